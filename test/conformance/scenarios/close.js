// close(): argument checks, codes, reasons, closing while CONNECTING, server closes, drops,
// CloseEvent fields, readyState at each event, negotiated protocol and extensions.
window.scenario = async () => {
  const out = {};
  const ws = await lib.open(env.ws + '/echo', ['p1', 'p2']);
  out.negotiated = { protocol: ws.protocol, extensions: ws.extensions, url: ws.url };
  out.invalid = {};
  for (const args of [[999], [1001], [5000], [2999], [1000, 'x'.repeat(124)], [1000, 'é'.repeat(62)], ['abc'], [1000.7], [null]]) {
    out.invalid[JSON.stringify(args)] = lib.attempt(() => ws.close(...args));
  }
  out.illegal = lib.attempt(() => WebSocket.prototype.close.call({}));
  out.stillOpen = ws.readyState;
  const states = [];
  ws.onclose = () => states.push('onclose:' + ws.readyState);
  ws.addEventListener('close', () => states.push('listener:' + ws.readyState));
  out.validClose = lib.attempt(() => ws.close(3000, 'x'.repeat(123)));
  states.push('after close():' + ws.readyState);
  out.closeAgain = lib.attempt(() => ws.close(4000));
  const ev = await lib.closed(ws);
  out.clientClose = { code: ev.code, reason: ev.reason, wasClean: ev.wasClean, tag: Object.prototype.toString.call(ev), isTrusted: ev.isTrusted, states };

  const early = new WebSocket(env.ws + '/echo');
  early.close();
  out.whileConnecting = { readyState: early.readyState };
  const errs = [];
  early.onerror = (e) => errs.push(e.type + ':' + early.readyState);
  const e2 = await lib.closed(early);
  out.whileConnecting.close = { code: e2.code, wasClean: e2.wasClean, errs };

  const server = await lib.open(env.ws + '/close?code=4001&reason=' + encodeURIComponent('server reason ✓'));
  server.send('please close');
  const e3 = await lib.closed(server);
  out.serverClose = { code: e3.code, reason: e3.reason, wasClean: e3.wasClean, readyState: server.readyState };

  const drop = await lib.open(env.ws + '/drop');
  const dropEvents = [];
  drop.onerror = () => dropEvents.push('error:' + drop.readyState);
  drop.send('drop');
  const e4 = await lib.closed(drop);
  out.drop = { code: e4.code, reason: e4.reason, wasClean: e4.wasClean, dropEvents };

  const refused = new WebSocket('ws://127.0.0.1:9/');
  const refusedEvents = [];
  refused.onerror = (e) => refusedEvents.push(e.type + ':' + refused.readyState + ':' + Object.prototype.toString.call(e));
  const e5 = await lib.closed(refused);
  out.refused = { code: e5.code, wasClean: e5.wasClean, refusedEvents };
  return out;
};
