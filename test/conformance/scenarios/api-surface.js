// The shape of WebSocket as the page sees it: identity, statics, prototype, descriptors, toString.
window.scenario = async () => {
  const WS = WebSocket;
  const proto = WS.prototype;
  const chain = [];
  for (let p = proto; p; p = Object.getPrototypeOf(p)) chain.push(p.constructor && p.constructor.name);
  const ws = new WebSocket(env.ws + '/echo');
  const result = {
    ctor: lib.fn(WS),
    statics: { CONNECTING: WS.CONNECTING, OPEN: WS.OPEN, CLOSING: WS.CLOSING, CLOSED: WS.CLOSED },
    protoConstants: { CONNECTING: proto.CONNECTING, OPEN: proto.OPEN, CLOSING: proto.CLOSING, CLOSED: proto.CLOSED },
    ctorDescriptors: lib.descriptors(WS),
    protoDescriptors: lib.descriptors(proto),
    windowDescriptor: (() => {
      const d = Object.getOwnPropertyDescriptor(window, 'WebSocket');
      return { writable: d.writable, enumerable: d.enumerable, configurable: d.configurable, same: d.value === WS };
    })(),
    chain,
    protoOfCtor: Object.getPrototypeOf(WS) === EventTarget,
    protoOfProto: Object.getPrototypeOf(proto) === EventTarget.prototype,
    instanceof: ws instanceof WebSocket && ws instanceof EventTarget,
    constructorProp: ws.constructor === WebSocket && proto.constructor === WebSocket,
    getPrototypeOf: Object.getPrototypeOf(ws) === proto,
    ownKeysOfInstance: Reflect.ownKeys(ws).map(String),
    send: lib.fn(proto.send),
    close: lib.fn(proto.close),
    sendIsSame: ws.send === proto.send && ws.close === proto.close,
    objectToString: Object.prototype.toString.call(ws),
    ctorObjectToString: Object.prototype.toString.call(WS),
    toStringOfToString: Function.prototype.toString.call(Function.prototype.toString),
    toStringDescriptor: lib.descriptors(Function.prototype).toString,
    toStringFn: lib.fn(Function.prototype.toString),
    accessors: ['url', 'readyState', 'bufferedAmount', 'onopen', 'onerror', 'onclose', 'extensions', 'protocol', 'onmessage', 'binaryType']
      .map((k) => { const d = Object.getOwnPropertyDescriptor(proto, k); return [k, d.get && lib.fn(d.get), d.set && lib.fn(d.set)]; }),
    bound: lib.fn(WS.bind(null)),
    reflectConstructOk: Reflect.construct(WS, [env.ws + '/echo']) instanceof WS,
    isConstructor: (() => { try { Reflect.construct(String, [], WS); return true; } catch { return false; } })(),
  };
  ws.close();
  return result;
};
