// Sockets in a same-origin iframe, a script-made about:blank iframe and a dedicated Worker keep working.
window.scenario = async () => {
  const out = {};
  const iframe = document.createElement('iframe');
  iframe.src = env.origin + '/blank-page';
  document.body.appendChild(iframe);
  await lib.once(iframe, 'load');
  const roundTrip = async (W) => {
    const ws = new W(env.ws + '/echo');
    await new Promise((r) => ws.addEventListener('open', r, { once: true }));
    ws.send('hi from frame');
    const data = await new Promise((r) => ws.addEventListener('message', (e) => r(e.data), { once: true }));
    ws.close();
    return { data, instanceofOwn: ws instanceof W, instanceofParent: ws instanceof WebSocket, name: W.name, toString: Function.prototype.toString.call(W) };
  };
  out.sameOrigin = await roundTrip(iframe.contentWindow.WebSocket);

  const blank = document.createElement('iframe');
  document.body.appendChild(blank);
  const BlankWS = blank.contentWindow.WebSocket; // synchronously, right after insertion
  out.blankIsOwn = BlankWS !== WebSocket;
  out.blank = await roundTrip(BlankWS);
  out.blankToStringFromParent = Function.prototype.toString.call(BlankWS);

  const src = `onmessage = (e) => { const ws = new WebSocket(e.data); ws.onopen = () => ws.send('from worker');
    ws.onmessage = (m) => { postMessage([m.data, typeof WebSocket, WebSocket.name]); ws.close(); }; };`;
  const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  worker.postMessage(env.ws + '/echo');
  out.worker = await new Promise((r) => { worker.onmessage = (e) => r(e.data); });
  worker.terminate();
  return out;
};
