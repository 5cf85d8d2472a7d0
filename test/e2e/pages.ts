/**
 * Test pages: real documents that use WebSocket the way apps do. Each sets
 * `window.done = true` when its scenario finished, and keeps what its own
 * handlers saw in `window.seen`, so tests compare page and capture.
 */

/** The scenario of the capture-pipeline story: every payload type, every way to close. */
export function capturePage(ws: string, origin: string): string {
  return `<!doctype html><html><head><title>capture</title>
<script>
  // the very first inline script: this socket must be captured too
  window.seen = [];
  window.early = new WebSocket(${JSON.stringify(ws + '/echo')}, ['chat.v1', 'json']);
  early.onmessage = (e) => seen.push(typeof e.data === 'string' ? e.data : 'binary:' + e.data.constructor.name);
</script></head><body>
<iframe id="child" src="${origin}/child"></iframe>
<script>
  const WS = ${JSON.stringify(ws)};
  window.step = 'start';
  const step = (name) => { window.step = name; };
  // the head socket may open before this script runs (the parser can yield between scripts)
  const opened = (s) => new Promise((r) => s.readyState === 1 ? r() : s.addEventListener('open', r, { once: true }));
  const closed = (s) => new Promise((r) => s.addEventListener('close', r, { once: true }));
  const echoes = (s, n) => new Promise((r) => { let k = 0; s.addEventListener('message', () => { if (++k === n) r(); }); });
  (async () => {
    step('early open');
    await opened(early);
    const got = echoes(early, 6);
    early.send('hello');
    early.send('héllo ✓ 😀');
    early.send(JSON.stringify({ type: 'greet', id: 7 }));
    early.send(new Uint8Array([1, 2, 3, 250]).buffer);
    const big = new Uint8Array(10); big.forEach((_, i) => big[i] = i + 100);
    early.send(new Uint8Array(big.buffer, 2, 3));           // view with byteOffset: bytes 102,103,104
    early.send(new Blob(['blob-data']));
    await got;

    step('ab');
    const ab = new WebSocket(WS + '/echo');
    ab.binaryType = 'arraybuffer';
    await opened(ab);
    const got2 = echoes(ab, 2);
    ab.send(new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2)); // bytes 8,7
    ab.send(new Float32Array([1.5]));
    await got2;

    step('server close');
    const server = new WebSocket(WS + '/close?code=4000&reason=' + encodeURIComponent('server says bye'));
    await opened(server); server.send('close me'); await closed(server);

    step('client close');
    const client = new WebSocket(WS + '/echo');
    await opened(client); client.close(3001, 'client says bye'); await closed(client);

    step('drop');
    const drop = new WebSocket(WS + '/drop');
    await opened(drop); drop.send('drop me'); await closed(drop);

    // exceptions the API throws must still reach the page, unchanged
    step('errors');
    window.errors = [];
    try { new WebSocket('ftp://x/'); } catch (e) { errors.push(e.name); }
    const early2 = new WebSocket(WS + '/echo?errors');
    try { early2.send('too early'); } catch (e) { errors.push(e.name); }
    await opened(early2);
    try { early2.close(999); } catch (e) { errors.push(e.name); }
    // backpressure: a large send is buffered, then drains
    step('big send');
    const bigSend = new Uint8Array(2 * 1024 * 1024);
    early2.send(bigSend);
    await echoes(early2, 1);

    // http(s) URLs are accepted and resolved to ws(s)
    step('via http');
    const viaHttp = new WebSocket(${JSON.stringify(origin + '/echo?via-http')});
    viaHttp.binaryType = 'arraybuffer';
    await opened(viaHttp);

    step('blank');
    const blank = document.createElement('iframe');
    document.body.appendChild(blank);
    const inBlank = new blank.contentWindow.WebSocket(WS + '/echo');
    await opened(inBlank); inBlank.send('from about:blank'); await echoes(inBlank, 1);

    step('srcdoc');
    const sd = document.createElement('iframe');
    sd.srcdoc = '<script>const s = new WebSocket(' + JSON.stringify(WS + '/echo?srcdoc') + '); s.onopen = () => s.send("from srcdoc"); s.onmessage = () => { window.echoed = true; };<\\/script>';
    document.body.appendChild(sd);
    // until the srcdoc frame's socket has its echo
    await new Promise((r) => { const t = setInterval(() => { try { if (sd.contentWindow.echoed) { clearInterval(t); r(); } } catch {} }, 20); });

    window.done = true;
  })().catch((e) => { window.failed = String(e); });
</script></body></html>`;
}

export function childPage(ws: string): string {
  return `<!doctype html><title>child</title><script>
  const s = new WebSocket(${JSON.stringify(ws + '/echo')});
  s.onopen = () => s.send('from child frame');
  s.onmessage = () => { window.done = true; };
</script>`;
}

/** A page that receives `n` messages one every `every` ms and counts them. */
export function streamPage(ws: string, n: number, every: number): string {
  return `<!doctype html><title>stream</title><script>
  window.count = 0;
  const s = new WebSocket(${JSON.stringify(`${ws}/push?n=${n}&every=${every}&size=60`)});
  s.onmessage = () => { if (++window.count === ${n}) window.done = true; };
</script>`;
}

/**
 * One echo socket the test talks on (lightweight mode, in Chromium and Firefox). `talk(tag, n)` sends n
 * messages and resolves with the echoes they got, once all n came back; `drip(tag, ms)` sends one
 * message every ms milliseconds until `stopDrip()` (or `n` of them), then resolves the same way.
 * `window.sent` keeps when each message was sent, on the hook's clock (timeOrigin + now).
 */
export function talkPage(ws: string): string {
  return `<!doctype html><meta charset="utf-8"><title>talk</title><script>
  window.received = 0;
  window.sent = [];
  const sock = new WebSocket(${JSON.stringify(`${ws}/echo`)});
  let waiting = [];
  sock.addEventListener('message', () => {
    window.received++;
    waiting = waiting.filter((w) => (window.received >= w.n ? (w.resolve(), false) : true));
  });
  window.opened = new Promise((r) => sock.addEventListener('open', r, { once: true }));
  const send = (text) => { sock.send(text); sent.push({ text, t: performance.timeOrigin + performance.now() }); };
  const echoes = (n) => new Promise((resolve) => (n > 0 ? waiting.push({ n: window.received + n, resolve }) : resolve()));
  window.talk = async (tag, n) => {
    await window.opened;
    const start = window.received;
    const back = echoes(n);
    for (let i = 0; i < n; i++) send(tag + ' ' + i);
    await back;
    return window.received - start;
  };
  let dripping = false;
  window.stopDrip = () => { dripping = false; };
  window.drip = async (tag, ms, n = Infinity) => {
    await window.opened;
    const start = window.received;
    dripping = true;
    let i = 0;
    for (; i < n && dripping; i++) { send(tag + ' ' + i); await new Promise((r) => setTimeout(r, ms)); }
    await echoes(i - (window.received - start));
    return window.received - start;
  };
</script>`;
}

/**
 * A hostile page that makes the hook fail: the protocols it passes are a Proxy whose trap throws once the
 * browser has read the list (the hook reads it once more, to record it). It then talks on the socket and
 * closes it; `window.seen` holds what it received, `window.closeCode` the close.
 */
export const hostileProtocolsPage = (ws: string): string => `<!doctype html><html><head><title>hostile protocols</title><script>
  window.seen = [];
  let lengthReads = 0;
  // the browser reads the list's length once; the trap throws at any later read (the hook's)
  const protocols = new Proxy([], {
    get(target, key, receiver) {
      if (key === 'length' && ++lengthReads > 1) throw new Error('hostile trap');
      return Reflect.get(target, key, receiver);
    },
  });
  const ws = new WebSocket(${JSON.stringify(`${ws}/echo`)}, protocols);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => { ws.send('one'); ws.send('two ✓'); ws.send(new Uint8Array([1, 2, 3]).buffer); };
  ws.onmessage = (e) => { seen.push(typeof e.data === 'string' ? e.data : 'bytes'); if (seen.length === 3) ws.close(1000, 'done'); };
  ws.onclose = (e) => { window.closeCode = e.code; window.done = true; };
</script></head><body></body></html>`;

/** A page that sends (and gets echoed) a text of `depth` nested arrays and one of `depth` nested objects; `window.done` then. */
export const deepPayloadsPage = (ws: string, depth: number): string => `<!doctype html><html><head><title>deep payloads</title><script>
  const ws = new WebSocket(${JSON.stringify(`${ws}/echo`)});
  ws.onopen = () => {
    ws.send('[' + '['.repeat(${depth - 1}) + ']'.repeat(${depth - 1}) + ']');
    ws.send('{"a":'.repeat(${depth}) + '1' + '}'.repeat(${depth}));
  };
  let n = 0;
  ws.onmessage = () => { if (++n === 2) window.done = true; };
</script></head><body></body></html>`;
