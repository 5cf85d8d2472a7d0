// What new WebSocket() throws, for every kind of bad input; and what it accepts.
window.scenario = async () => {
  const W = env.ws + '/echo';
  const cases = {
    withoutNew: () => WebSocket(W),
    callOnProto: () => WebSocket.call({}, W),
    noArgs: () => new WebSocket(),
    invalidUrl: () => new WebSocket('ws://[bad/'),
    relativeUrl: () => new WebSocket('/echo'),
    fragmentUrl: () => new WebSocket(W + '#frag'),
    ftpUrl: () => new WebSocket('ftp://127.0.0.1/'),
    httpUrl: () => new WebSocket(env.origin + '/echo'),
    duplicateProtocols: () => new WebSocket(W, ['a', 'a']),
    invalidProtocol: () => new WebSocket(W, ['with space']),
    emptyProtocol: () => new WebSocket(W, ''),
    protocolsNotIterable: () => new WebSocket(W, {}),
    symbolUrl: () => new WebSocket(Symbol('x')),
    objectUrl: () => new WebSocket({ toString: () => W }),
    urlObject: () => new WebSocket(new URL(W)),
    blockedPort: () => new WebSocket('ws://127.0.0.1:1/'),
  };
  const out = {};
  for (const [name, fn] of Object.entries(cases)) {
    try {
      const ws = fn();
      out[name] = { url: ws.url, readyState: ws.readyState, protocol: ws.protocol };
      ws.close();
    } catch (e) {
      out[name] = { threw: lib.error(e) };
    }
  }
  let calls = 0;
  try { new WebSocket({ toString() { calls++; return W; } }).close(); } catch { /* only the toString calls count */ }
  out.urlToStringCalls = calls;
  return out;
};
