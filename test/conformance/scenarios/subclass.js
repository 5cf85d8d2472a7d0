// class X extends WebSocket: its own constructor, fields, overridden send, super calls, statics.
window.scenario = async () => {
  const sent = [];
  class Tracked extends WebSocket {
    static kind = 'tracked';
    label;
    constructor(url, protocols) {
      super(url, protocols);
      this.label = 'mine';
    }
    send(data) {
      sent.push(typeof data === 'string' ? data : 'binary');
      return super.send(data);
    }
    get state() { return ['C', 'O', 'CL', 'X'][this.readyState]; }
  }
  const ws = new Tracked(env.ws + '/echo', 'chat');
  const shape = {
    instanceofTracked: ws instanceof Tracked, instanceofWS: ws instanceof WebSocket,
    ctor: ws.constructor === Tracked, proto: Object.getPrototypeOf(ws) === Tracked.prototype,
    label: ws.label, state: ws.state, kind: Tracked.kind, OPEN: Tracked.OPEN,
    ctorName: Tracked.name, ctorLength: Tracked.length, parent: Object.getPrototypeOf(Tracked) === WebSocket,
  };
  await lib.once(ws, 'open');
  ws.send('via subclass');
  const [echo] = await lib.messages(ws, 1);
  ws.close(1000);
  await lib.closed(ws);

  // a subclass that calls super with bad arguments gets the native error
  class Broken extends WebSocket { constructor() { super('ftp://x/'); } }
  let brokenError;
  try { new Broken(); } catch (e) { brokenError = lib.error(e); }

  // Reflect.construct with a plain function as new.target
  function Legacy() {}
  Legacy.prototype = Object.create(WebSocket.prototype);
  const viaReflect = Reflect.construct(WebSocket, [env.ws + '/echo'], Legacy);
  const reflectShape = { instanceofLegacy: viaReflect instanceof Legacy, proto: Object.getPrototypeOf(viaReflect) === Legacy.prototype };
  viaReflect.close();
  return { shape, sent, echo, brokenError, reflectShape, state: ws.state };
};
