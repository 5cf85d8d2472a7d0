/**
 * Test pages for acting on traffic (actions.test.ts). Each socket is watched by
 * the page's OWN handlers — both `onX` properties and addEventListener — which
 * write what they saw into `window.seen[name]`, so tests compare what the page
 * experienced with what the panel did. `window.done` is set when ready.
 */

/** Shared page-side helpers: open a socket by name and record every event its handlers get. */
const WATCH = `
  window.seen = {};
  window.sockets = {};
  window.step = 'start';
  const entry = (via, e, s) => {
    const d = { via, type: e.type, isTrusted: e.isTrusted, readyState: s.readyState };
    if (e.type === 'message') {
      d.origin = e.origin;
      if (typeof e.data === 'string') { d.dataType = 'string'; d.data = e.data; }
      else if (e.data instanceof ArrayBuffer) { d.dataType = 'ArrayBuffer'; d.data = [...new Uint8Array(e.data)]; }
      else if (e.data instanceof Blob) { d.dataType = 'Blob'; e.data.arrayBuffer().then((b) => { d.data = [...new Uint8Array(b)]; }); }
      else d.dataType = String(e.data && e.data.constructor && e.data.constructor.name);
    }
    if (e.type === 'close') { d.code = e.code; d.reason = e.reason; d.wasClean = e.wasClean; }
    return d;
  };
  function watch(name, s) {
    const list = (seen[name] = []);
    for (const type of ['message', 'close', 'error']) {
      s['on' + type] = (e) => list.push(entry('on' + type, e, s));
      s.addEventListener(type, (e) => list.push(entry('listener', e, s)));
    }
  }
  function openSocket(name, url, binaryType) {
    const s = new WebSocket(url);
    if (binaryType) s.binaryType = binaryType;
    sockets[name] = s;
    watch(name, s);
    return new Promise((r, j) => { s.addEventListener('open', () => r(s), { once: true }); s.addEventListener('error', () => j(new Error(name + ' failed')), { once: true }); });
  }
  const messages = (s, n) => new Promise((r) => { let k = 0; s.addEventListener('message', () => { if (++k === n) r(); }); });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
`;

/** Sockets for every action: replay/edit/compose, inject (arraybuffer and blob), closes, a closed one, a sequence, a frame that goes away. */
export function actionsPage(ws: string): string {
  return `<!doctype html><html><head><title>actions</title><script>${WATCH}</script></head><body><script>
  const WS = ${JSON.stringify(ws)};
  (async () => {
    step = 'a';
    const a = await openSocket('a', WS + '/echo?actions-a', 'arraybuffer');
    const echoedA = messages(a, 2);
    a.send('hello page');
    a.send(new Uint8Array([1, 2, 3, 250]).buffer);
    await echoedA;

    step = 'others';
    await openSocket('blob', WS + '/echo?actions-blob');
    await openSocket('client', WS + '/echo?client-close');
    await openSocket('simServer', WS + '/echo?sim-server');
    await openSocket('simDrop', WS + '/echo?sim-drop');

    step = 'closed';
    const closed = await openSocket('closed', WS + '/echo?closed');
    const echoedClosed = messages(closed, 1);
    closed.send('before close');
    await echoedClosed;
    closed.close();
    await new Promise((r) => closed.addEventListener('close', r, { once: true }));

    step = 'seq';
    const seq = await openSocket('seq', WS + '/echo?seq');
    const echoedSeq = messages(seq, 3);
    seq.send('one'); await sleep(120);
    seq.send('two'); await sleep(60);
    seq.send('three');
    await echoedSeq;

    step = 'gone frame';
    const f = document.createElement('iframe');
    f.id = 'goner';
    f.srcdoc = '<script>window.s = new WebSocket(' + JSON.stringify(WS + '/echo?gone') + '); s.onopen = () => { parent.goneOpen = true; };<\\/script>';
    document.body.appendChild(f);
    while (!window.goneOpen) await sleep(20);

    window.done = true;
  })().catch((e) => { window.failed = String(e); });
</script></body></html>`;
}

/**
 * A page that tries to take over the channel before anything else: its very
 * first inline script dispatches a fake handshake (a synthetic MessageEvent
 * that claims to come from this window and carries its own port) and records
 * whatever arrives on that port. Then it opens a socket for the forging tests.
 */
export function forgePage(ws: string): string {
  return `<!doctype html><html><head><title>forge</title><script>
  window.evilGot = [];
  const evil = new MessageChannel();
  evil.port1.onmessage = (e) => evilGot.push(e.data);
  window.evilPort = evil.port1;
  const fake = { type: 'wsi-handshake', hook: 'evilhook' };
  window.dispatchEvent(new MessageEvent('message', { data: fake, source: window, origin: location.origin, ports: [evil.port2] }));
  </script><script>${WATCH}</script></head><body><script>
  (async () => {
    await openSocket('forge', ${JSON.stringify(ws + '/echo?forge')});
    window.done = true;
  })().catch((e) => { window.failed = String(e); });
</script></body></html>`;
}
