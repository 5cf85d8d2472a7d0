// The stack of every error WebSocket's constructor, send() and close() throw: frames, depth (deeper than
// Error.stackTraceLimit), a page-installed Error.prepareStackTrace (V8's structured stack traces), an error
// thrown by the page's own toString inside send(). Error trackers group errors by these frames.
window.scenario = async () => {
  const stackOf = (fn) => { try { fn(); return 'no error'; } catch (e) { return String(e && e.stack); } };
  const deep = (n, fn) => (n === 0 ? fn() : deep(n - 1, fn));
  const whileConnecting = () => { const c = new WebSocket(env.ws + '/echo'); try { c.send('x'); } finally { c.close(); } };
  const ws = await lib.open(env.ws + '/echo');
  const cases = {
    sendWhileConnecting: whileConnecting,
    sendNoArgs: () => ws.send(),
    sendSymbol: () => ws.send(Symbol('s')),
    sendForeignThis: () => WebSocket.prototype.send.call({}, 'x'),
    sendThrowingToString: () => ws.send({ toString() { throw new Error('from toString'); } }),
    closeBadCode: () => ws.close(5),
    closeLongReason: () => ws.close(1000, 'x'.repeat(124)),
    closeForeignThis: () => WebSocket.prototype.close.call({}),
    ctorBadScheme: () => new WebSocket('ftp://127.0.0.1/'),
    ctorBadProtocol: () => new WebSocket(env.ws + '/echo', ['with space']),
    ctorWithoutNew: () => WebSocket(env.ws + '/echo'),
    subclassCtor: () => { class Sub extends WebSocket {} return new Sub('ftp://127.0.0.1/'); },
  };
  const out = { limit: Error.stackTraceLimit };
  for (const [name, fn] of Object.entries(cases)) {
    out[name] = stackOf(fn);
    out[name + 'Deep'] = stackOf(() => deep(14, fn));
  }
  // V8 formats stacks with a page's Error.prepareStackTrace, handing it the frames as CallSites
  Error.prepareStackTrace = (e, sites) => `${e.name}|${sites.length}|` + sites.map((s) => `${s.getFunctionName()}@${s.getFileName()}:${s.getLineNumber()}`).join(';');
  try {
    out.prepared = { send: stackOf(whileConnecting), close: stackOf(() => ws.close(5)), ctor: stackOf(() => new WebSocket('ftp://x/')) };
  } finally {
    delete Error.prepareStackTrace;
  }
  out.afterPrepared = stackOf(whileConnecting);
  // shared memory (a SharedArrayBuffer: from WebAssembly where the global is not exposed) is refused by send()
  let shared = null;
  try { shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer; } catch (e) { out.sharedMemory = lib.error(e); }
  if (shared) {
    out.sendShared = lib.attempt(() => ws.send(shared));
    out.sendSharedView = lib.attempt(() => ws.send(new Uint8Array(shared, 0, 8)));
    out.sendSharedDataView = lib.attempt(() => ws.send(new DataView(shared, 0, 8)));
    out.bufferedAfterShared = ws.bufferedAmount;
  }
  ws.close();
  if (typeof WebSocketStream === 'function') out.stream = await streamStacks(stackOf, deep);
  return out;
};

/** The same for WebSocketStream: its constructor, close(), the `opened` getter, and writes the browser refuses. */
async function streamStacks(stackOf, deep) {
  const WSS = WebSocketStream;
  const out = {
    ctorBadScheme: stackOf(() => new WSS('ftp://127.0.0.1/')),
    ctorWithoutNew: stackOf(() => WSS(env.ws + '/echo')),
    ctorDeep: stackOf(() => deep(14, () => new WSS('ftp://127.0.0.1/'))),
    openedForeignThis: stackOf(() => Object.getOwnPropertyDescriptor(WSS.prototype, 'opened').get.call({})),
    closeForeignThis: stackOf(() => WSS.prototype.close.call({})),
  };
  const s = new WSS(env.ws + '/echo');
  out.closeBadCode = stackOf(() => s.close({ closeCode: 5 }));
  const { writable } = await s.opened;
  const writer = writable.getWriter();
  const rejected = (p) => p.then(() => 'no error', (e) => String(e && e.stack));
  out.writeSymbol = await rejected(writer.write(Symbol('s')));
  const s2 = new WSS(env.ws + '/echo');
  const w2 = (await s2.opened).writable.getWriter();
  out.writeThrowingToString = await rejected(deep(3, () => w2.write({ toString() { throw new Error('from toString'); } })));
  s.close();
  s2.close();
  return out;
}
