// References taken before anything else ran, and a page that wraps WebSocket itself after load.
// This file runs as the page's first script, like an app's first inline script.
const earliest = window.WebSocket;
const earliestSend = WebSocket.prototype.send;
window.scenario = async () => {
  const out = { sameCtor: earliest === WebSocket, sameSend: earliestSend === WebSocket.prototype.send };
  const a = new earliest(env.ws + '/echo');
  await lib.once(a, 'open');
  a.send('early');
  out.early = (await lib.messages(a, 1))[0];
  a.close();

  // the page's own wrapper, the way analytics snippets do it
  const Original = window.WebSocket;
  const seen = [];
  window.WebSocket = function (url, protocols) {
    seen.push('ctor');
    const ws = protocols === undefined ? new Original(url) : new Original(url, protocols);
    const send = ws.send;
    ws.send = function (d) { seen.push('send ' + d); return send.call(this, d); };
    return ws;
  };
  window.WebSocket.prototype = Original.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  const b = new WebSocket(env.ws + '/echo');
  await lib.once(b, 'open');
  b.send('wrapped');
  out.wrapped = (await lib.messages(b, 1))[0];
  b.close();
  await lib.closed(b);
  window.WebSocket = Original;
  out.seen = seen;
  out.restored = window.WebSocket === earliest;
  return out;
};
