// Error messages that name the socket's class or constructor (V8 prints "#<WebSocket>" from the object's
// constructor): strict-mode writes to read-only and getter-only properties, frozen sockets, circular JSON,
// cloning — for a WebSocket and for a subclass instance.
window.scenario = async () => {
  'use strict';
  const messageOf = (fn) => { try { fn(); return 'no error'; } catch (e) { return `${e && e.name}: ${e && e.message}`; } };
  const probe = (ws, W) => ({
    constant: messageOf(() => { ws.CLOSED = 5; }),
    getterOnly: messageOf(() => { ws.readyState = 5; }),
    urlGetter: messageOf(() => { ws.url = 'x'; }),
    staticConstant: messageOf(() => { W.OPEN = 9; }),
    protoConstant: messageOf(() => { W.prototype.CLOSING = 9; }),
    notAFunction: messageOf(() => ws()),
    notAConstructor: messageOf(() => new ws()),
    circularJson: messageOf(() => { const o = { ws }; ws.self = o; try { JSON.stringify(o); } finally { delete ws.self; } }),
    clone: messageOf(() => structuredClone(ws)),
    frozenAdd: messageOf(() => { const f = Object.freeze(new W(env.ws + '/echo')); f.close(); f.extra = 1; }),
    frozenDefine: messageOf(() => { const f = Object.preventExtensions(new W(env.ws + '/echo')); f.close(); Object.defineProperty(f, 'x', { value: 1 }); }),
    tag: Object.prototype.toString.call(ws),
    constructorName: ws.constructor.name,
  });
  const ws = new WebSocket(env.ws + '/echo');
  class Sub extends WebSocket {}
  const sub = new Sub(env.ws + '/echo');
  const bound = new (WebSocket.bind(null))(env.ws + '/echo');
  const reflected = Reflect.construct(WebSocket, [env.ws + '/echo']);
  const out = { plain: probe(ws, WebSocket), subclass: probe(sub, Sub), bound: probe(bound, WebSocket), reflected: probe(reflected, WebSocket) };
  for (const s of [ws, sub, bound, reflected]) s.close();
  return out;
};
