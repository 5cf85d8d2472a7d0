// WebSocketStream as the page sees it (Chromium; engines without it report so, and nothing else):
// its shape and toString, constructor errors, the identity of `opened` and of the streams it gives,
// locking, backpressure (desiredSize, ready), messages both ways and their types, for-await, pipeTo and
// pipeThrough, cancel and abort reasons reaching the server (its close echoes them), close(), a server
// close, a dropped connection, a refused one with no handler (no unhandled rejection), and the order in
// which readers, `closed` and timers settle.
window.scenario = async () => {
  if (typeof WebSocketStream !== 'function') return { supported: false };
  const WSS = WebSocketStream;
  const proto = WSS.prototype;
  const out = { supported: true };
  const desc = (o, k) => {
    const d = Object.getOwnPropertyDescriptor(o, k);
    return d && { get: d.get && lib.fn(d.get), set: d.set, e: d.enumerable, c: d.configurable };
  };
  const settle = (p) => p.then((v) => ({ ok: v === undefined ? 'undefined' : v }), (e) => ({ threw: lib.error(e), closeCode: e && e.closeCode, reason: e && e.reason }));
  const timeout = (p, ms = 5000) => Promise.race([p, new Promise((r) => setTimeout(() => r('timeout'), ms))]);

  // ---- shape ----
  out.shape = {
    ctor: lib.fn(WSS), ctorDescriptors: lib.descriptors(WSS), protoDescriptors: lib.descriptors(proto),
    opened: desc(proto, 'opened'), closed: desc(proto, 'closed'), url: desc(proto, 'url'), close: lib.fn(proto.close),
    windowDescriptor: (() => { const d = Object.getOwnPropertyDescriptor(window, 'WebSocketStream'); return [d.writable, d.enumerable, d.configurable, d.value === WSS]; })(),
    protoOfCtor: Object.getPrototypeOf(WSS) === Function.prototype, constructorProp: proto.constructor === WSS,
    bound: lib.fn(WSS.bind(null)),
  };

  // ---- constructor errors ----
  out.errors = {
    noNew: lib.attempt(() => WSS(env.ws + '/echo')),
    badUrl: lib.attempt(() => new WSS('not a url')),
    http: lib.attempt(() => new WSS('ftp://127.0.0.1/')),
    fragment: lib.attempt(() => new WSS(env.ws + '/echo#x')),
    dupProtocols: lib.attempt(() => new WSS(env.ws + '/echo', { protocols: ['a', 'a'] })),
    badProtocol: lib.attempt(() => new WSS(env.ws + '/echo', { protocols: ['a b'] })),
    badOptions: lib.attempt(() => new WSS(env.ws + '/echo', 42)),
  };
  const aborted = new AbortController();
  aborted.abort(new Error('stop'));
  const pre = new WSS(env.ws + '/echo', { signal: aborted.signal });
  out.preAborted = { opened: await settle(pre.opened), closed: await settle(pre.closed) };

  // ---- identity, locking, messages, backpressure ----
  const s = new WSS(env.ws + '/echo', { protocols: ['chat', 'json'] });
  out.identity = {
    openedSame: s.opened === s.opened, closedSame: s.closed === s.closed, url: s.url, tag: Object.prototype.toString.call(s), inst: s instanceof WSS,
  };
  const info = await s.opened;
  const again = await s.opened;
  out.opened = {
    keys: Reflect.ownKeys(info), descriptors: lib.descriptors(info), protoOk: Object.getPrototypeOf(info) === Object.prototype,
    protocol: info.protocol, extensions: info.extensions, sameStreams: info.readable === again.readable && info.writable === again.writable,
    readable: Object.prototype.toString.call(info.readable), writable: Object.prototype.toString.call(info.writable),
    instances: info.readable instanceof ReadableStream && info.writable instanceof WritableStream,
    locked: [info.readable.locked, info.writable.locked],
    byob: lib.attempt(() => info.readable.getReader({ mode: 'byob' })),
  };
  const reader = info.readable.getReader();
  const writer = info.writable.getWriter();
  out.locking = {
    locked: [info.readable.locked, info.writable.locked],
    secondReader: lib.attempt(() => info.readable.getReader()), secondWriter: lib.attempt(() => info.writable.getWriter()),
  };
  const pressure = [writer.desiredSize];
  const writes = [
    writer.write('hello'), writer.write(new Uint8Array([1, 2, 3]).buffer), writer.write(new Uint8Array([9, 8, 7, 6]).subarray(1, 3)), writer.write(42),
  ];
  pressure.push(writer.desiredSize);
  const readyOrder = [];
  writer.ready.then(() => readyOrder.push('ready:' + writer.desiredSize));
  out.writes = await Promise.all(writes.map(settle));
  out.pressure = { during: pressure, after: writer.desiredSize, readyOrder };
  const got = [];
  for (let i = 0; i < 4; i++) {
    const r = await reader.read();
    got.push({ done: r.done, type: Object.prototype.toString.call(r.value), value: typeof r.value === 'string' ? r.value : Array.from(new Uint8Array(r.value)), keys: Object.keys(r) });
  }
  out.received = got;
  reader.releaseLock();
  writer.releaseLock();
  out.released = [info.readable.locked, info.writable.locked];
  // cancel with a reason: the server sees (and echoes) its code and reason
  await info.readable.cancel(new WebSocketError('bye', { closeCode: 4001, reason: 'cancelled' }));
  out.cancelled = await timeout(settle(s.closed));

  // ---- abort the writable with a reason ----
  const a = new WSS(env.ws + '/echo');
  const ai = await a.opened;
  await settle(ai.writable.abort(new WebSocketError('abort', { closeCode: 4002, reason: 'aborted' })));
  out.aborted = await timeout(settle(a.closed));

  // ---- close() ----
  const c = new WSS(env.ws + '/echo');
  await c.opened;
  out.badClose = lib.attempt(() => c.close({ closeCode: 999 }));
  c.close({ closeCode: 4003, reason: 'done' });
  out.closed = await timeout(settle(c.closed));
  out.closeTwice = lib.attempt(() => c.close());

  // ---- for await, pipeThrough, pipeTo ----
  const f = new WSS(env.ws + '/echo');
  const fi = await f.opened;
  const fw = fi.writable.getWriter();
  await fw.write('one');
  await fw.write('two');
  const iterated = [];
  for await (const chunk of fi.readable) { iterated.push(chunk); if (iterated.length === 2) break; }
  out.forAwait = { iterated, lockedAfterBreak: fi.readable.locked };
  out.forAwaitClosed = await timeout(settle(f.closed));

  const p = new WSS(env.ws + '/echo');
  const pi = await p.opened;
  const sink = [];
  const piped = pi.readable.pipeThrough(new TransformStream({ transform: (ch, ctl) => ctl.enqueue('T:' + ch) }))
    .pipeTo(new WritableStream({ write: (ch) => { sink.push(ch); } }));
  const source = new ReadableStream({ start(ctl) { ctl.enqueue('x'); ctl.enqueue('y'); } });
  const into = source.pipeTo(pi.writable, { preventClose: true });
  for (let i = 0; i < 100 && sink.length < 2; i++) await lib.sleep(20);
  out.piped = { sink, locked: [pi.readable.locked, pi.writable.locked] };
  p.close();
  out.pipedEnd = await timeout(Promise.all([settle(piped), settle(into), settle(p.closed)]));

  // ---- server close: the order in which the reader, `closed` and a timer settle ----
  const order = [];
  const sc = new WSS(env.ws + '/close?code=4000&reason=' + encodeURIComponent('server says bye'));
  sc.closed.then((v) => order.push('closed ' + v.closeCode + ' ' + v.reason), (e) => order.push('closed rejected ' + e.name));
  const sci = await sc.opened;
  order.push('opened');
  const sr = sci.readable.getReader();
  sr.closed.then(() => order.push('reader closed'), (e) => order.push('reader closed rejected ' + e.name));
  const sw = sci.writable.getWriter();
  sw.closed.then(() => order.push('writer closed'), (e) => order.push('writer closed rejected ' + e.name + ' ' + e.closeCode));
  await sw.write('close me');
  order.push('wrote');
  const last = await sr.read();
  order.push('read ' + JSON.stringify(last));
  await timeout(sc.closed.catch(() => {}));
  await lib.sleep(50);
  out.serverClose = order;

  // ---- a dropped connection, and one refused (nobody handles its promises: no unhandled rejection) ----
  const d = new WSS(env.ws + '/drop');
  const di = await d.opened;
  const dw = di.writable.getWriter();
  const dr = di.readable.getReader();
  await dw.write('drop me');
  out.dropped = { read: await timeout(settle(dr.read())), closed: await timeout(settle(d.closed)), writer: await timeout(settle(dw.write('after'))) };
  const refused = new WSS('ws://127.0.0.1:9/');
  await lib.sleep(0);
  out.refused = { opened: await timeout(settle(refused.opened)), closed: await timeout(settle(refused.closed)) };
  void new WSS('ws://127.0.0.1:9/');
  await lib.sleep(300);

  // ---- a subclass ----
  class Chat extends WSS { constructor(u) { super(u); this.kind = 'chat'; } }
  const sub = new Chat(env.ws + '/echo');
  out.subclass = {
    inst: sub instanceof Chat && sub instanceof WSS, kind: sub.kind, proto: Object.getPrototypeOf(sub) === Chat.prototype,
    openedSame: sub.opened === sub.opened,
  };
  const subInfo = await sub.opened;
  out.subclass.readable = subInfo.readable instanceof ReadableStream;
  sub.close();
  await timeout(settle(sub.closed));
  return out;
};
