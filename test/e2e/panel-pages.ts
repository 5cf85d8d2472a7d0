/**
 * Pages for the panel's feature tests: one socket with every kind of payload
 * the detail views care about (JSON with nesting, errors in two cases, binary
 * that is not UTF-8, ASCII inside binary, a text over one page long), a
 * second socket, a stream of numbered frames, a server close with 1009 and a
 * drop. Each sets `window.done` when its scenario finished.
 */

/** The payloads the "feed" socket sends (the server echoes each back). */
export const FEED = {
  hello: 'hello world',
  again: 'Hello again',
  trade: JSON.stringify({ type: 'Trade', order: { id: 42, items: [1, 2, 3] }, user: 'ann' }),
  errorUpper: 'ERROR: disk full',
  errorLower: 'error: minor',
  /** 0xff 0xfe are not UTF-8; then "AB" */
  notUtf8: [0xff, 0xfe, 0x41, 0x42],
  topic: 'topic/prices',
  /** longer than one page of the text view (256 Ki characters) */
  bigChars: 300 * 1024,
} as const;

export function featuresPage(ws: string): string {
  return `<!doctype html><html><head><title>panel features</title></head><body><script>
  const WS = ${JSON.stringify(ws)};
  const FEED = ${JSON.stringify(FEED)};
  window.step = 'start';
  const opened = (s) => new Promise((r) => s.readyState === 1 ? r() : s.addEventListener('open', r, { once: true }));
  const closed = (s) => new Promise((r) => s.addEventListener('close', r, { once: true }));
  const echoes = (s, n) => new Promise((r) => { let k = 0; s.addEventListener('message', () => { if (++k === n) r(); }); });
  (async () => {
    window.step = 'feed';
    const feed = new WebSocket(WS + '/echo?feed');
    feed.binaryType = 'arraybuffer';
    await opened(feed);
    const got = echoes(feed, 8);
    feed.send(FEED.hello);
    feed.send(FEED.again);
    feed.send(FEED.trade);
    feed.send(FEED.errorUpper);
    feed.send(FEED.errorLower);
    feed.send(new Uint8Array(FEED.notUtf8));
    feed.send(new TextEncoder().encode(FEED.topic));
    feed.send('L'.repeat(FEED.bigChars - 1) + '!');
    await got;
    window.feed = feed;

    window.step = 'other';
    const other = new WebSocket(WS + '/echo?other');
    await opened(other);
    const got2 = echoes(other, 1);
    other.send('from the other socket');
    await got2;

    window.step = 'stream';
    const stream = new WebSocket(WS + '/push?n=300&size=40&stream');
    await echoes(stream, 300);

    window.step = 'too big';
    const big = new WebSocket(WS + '/close?code=1009&reason=' + encodeURIComponent('too big'));
    await opened(big); big.send('a message the server finds too big'); await closed(big);

    window.step = 'drop';
    const drop = new WebSocket(WS + '/drop');
    await opened(drop); drop.send('last words'); await closed(drop);
    window.done = true;
  })().catch((e) => { window.failed = String(e); });
</script></body></html>`;
}

/** A page that opens one socket and says hello on it, naming the document (for reload tests). */
export function reloadPage(ws: string): string {
  return `<!doctype html><title>reload</title><script>
  const s = new WebSocket(${JSON.stringify(ws + '/echo?doc=')} + performance.timeOrigin);
  s.onopen = () => s.send('hello from document ' + performance.timeOrigin);
  s.onmessage = () => { window.done = true; };
</script>`;
}

/** A page that receives `n` frames of about `size` bytes as fast as the server sends them. */
export function floodPage(ws: string, n: number, size: number): string {
  return `<!doctype html><title>flood</title><script>
  let k = 0;
  const s = new WebSocket(${JSON.stringify(`${ws}/push?n=${n}&size=${size}&flood`)});
  s.onmessage = () => { if (++k === ${n}) window.done = true; };
  // more frames on a second socket (they push the first socket's oldest frames out of a small cap)
  window.more = (n, size) => new Promise((r) => {
    let m = 0;
    const s2 = new WebSocket(${JSON.stringify(ws)} + '/push?n=' + n + '&size=' + size + '&more');
    s2.onmessage = () => { if (++m === n) r(m); };
  });
</script>`;
}
