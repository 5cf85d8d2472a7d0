// socket.io client (real library) against a real socket.io server: ack, binary attachment, server
// disconnect. Returns what the library delivered to the app, in order.
window.scenario = async () => {
  const log = [];
  const socket = io(env.origin, { path: '/proxy/socketio/socket.io/', transports: ['websocket'], reconnection: false });
  await new Promise((r) => socket.on('connect', r));
  log.push(['connect', socket.connected]);
  const ack = await new Promise((r) => socket.emit('greet', { name: 'conformance', n: 1 }, r));
  log.push(['ack', ack]);
  const bin = await new Promise((r) => {
    socket.once('bytes', (data) => r(Array.from(new Uint8Array(data))));
    socket.emit('bytes', new Uint8Array([1, 2, 3, 254]));
  });
  log.push(['binary', bin]);
  const reason = await new Promise((r) => {
    socket.on('disconnect', r);
    socket.emit('kick');
  });
  log.push(['disconnect', reason]);
  return log;
};
