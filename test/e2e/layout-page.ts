/**
 * A page streaming JSON the way a real app does (a price ticker, a chat), for
 * the layout tests: payloads long enough that a cut-off Data column shows.
 * The server echoes each message, so every one appears sent and received.
 */

/** The n-th ticker message: ~110 characters of JSON, the same on every run. */
export function tick(n: number): string {
  return JSON.stringify({ type: 'price', symbol: 'BTC-USD', bid: 64000 + n, ask: 64001 + n, volume: 12.5 * n, seq: n, venue: 'test-exchange' });
}

export const TICKS = 24;

export function layoutPage(ws: string): string {
  return `<!doctype html><html><head><title>layout</title></head><body><script>
  const WS = ${JSON.stringify(ws)};
  const tick = ${tick.toString()};
  const opened = (s) => new Promise((r) => s.readyState === 1 ? r() : s.addEventListener('open', r, { once: true }));
  const echoes = (s, n) => new Promise((r) => { let k = 0; s.addEventListener('message', () => { if (++k === n) r(); }); });
  (async () => {
    window.step = 'chat';
    const chat = new WebSocket(WS + '/echo?chat');
    await opened(chat);
    const c = echoes(chat, 2);
    chat.send(JSON.stringify({ type: 'message', room: 'general', from: 'ann', text: 'Has anyone seen the deploy notes for today?' }));
    chat.send(new Uint8Array([1, 2, 3, 250, 251]));
    await c;
    window.step = 'ticker';
    const ticker = new WebSocket(WS + '/echo?ticker');
    await opened(ticker);
    const t = echoes(ticker, ${TICKS});
    for (let i = 1; i <= ${TICKS}; i++) ticker.send(tick(i));
    await t;
    window.done = true;
  })().catch((e) => { window.failed = String(e); });
</script></body></html>`;
}
