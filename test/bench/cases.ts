/**
 * The side-by-side benchmark cases (issues 6 and 13). Each page waits for
 * `start()`, does its work, and sets `window.result` when done, with `frames`:
 * how many frames its socket carried (a panel has caught up once it holds
 * them). The page's socket is opened first (so a panel can attach before
 * measuring), then the work starts.
 */
export interface Case {
  name: string;
  /** not in the default run (pick it with --case) */
  optional?: boolean;
  /**
   * Run A and B one after the other instead of side by side: event-loop lag
   * measures queueing, which two browsers saturating one core would create.
   */
  alone?: boolean;
  /** page HTML, given the server's ws origin */
  html(ws: string): string;
}

const shell = (setup: string, start: string) => `<!doctype html><title>bench</title><script>
window.result = null;
${setup}
window.start = () => { const t0 = performance.now(); ${start} };
</script>`;

export const CASES: Case[] = [
  {
    name: 'receive 100k text (~100 B)',
    html: (ws) => shell(`window.ready = true;`, `
      const s = new WebSocket('${ws}/flood?n=100000&size=100'); let n = 0;
      s.onmessage = (e) => { if (++n === 100000) window.result = { ms: performance.now() - t0, n, frames: n }; };`),
  },
  {
    // the same traffic, but the page does what apps do: read and parse each message
    name: 'receive 100k JSON, page parses',
    html: (ws) => shell(`window.ready = true;`, `
      const s = new WebSocket('${ws}/flood?n=100000&size=100&json=1'); let n = 0, sum = 0;
      s.onmessage = (e) => { sum += JSON.parse(e.data).i; if (++n === 100000) window.result = { ms: performance.now() - t0, n, frames: n }; };`),
  },
  {
    name: 'send 50k text',
    html: (ws) => shell(`window.ready = true;`, `
      const s = new WebSocket('${ws}/sink?n=50000'); const msg = 'y'.repeat(100);
      s.onopen = () => { for (let i = 0; i < 50000; i++) s.send(msg); };
      s.onmessage = () => { window.result = { ms: performance.now() - t0, frames: 50001 }; };`),
  },
  {
    name: 'receive 500 × 256 KiB binary',
    html: (ws) => shell(`window.ready = true;`, `
      const s = new WebSocket('${ws}/binary?n=500&size=262144'); s.binaryType = 'arraybuffer'; let n = 0, bytes = 0;
      s.onmessage = (e) => { bytes += e.data.byteLength; if (++n === 500) window.result = { ms: performance.now() - t0, bytes, frames: n }; };`),
  },
  {
    // 256 MiB: eight times what the page history keeps by default (32 MiB), so most of the run is the
    // steady state of a long binary stream — the case above fills the history exactly once
    name: 'receive 4,000 × 64 KiB binary',
    html: (ws) => shell(`window.ready = true;`, `
      const s = new WebSocket('${ws}/binary?n=4000&size=65536'); s.binaryType = 'arraybuffer'; let n = 0, bytes = 0;
      s.onmessage = (e) => { bytes += e.data.byteLength; if (++n === 4000) window.result = { ms: performance.now() - t0, bytes, frames: n }; };`),
  },
  {
    name: '20 sockets × 2,000 msg/s × 10 s',
    alone: true,
    optional: true,
    html: (ws) => shell(`window.ready = true;`, `
      const lags = []; let expected = performance.now() + 10;
      const lagTimer = setInterval(() => { const now = performance.now(); lags.push(Math.max(0, now - expected)); expected = now + 10; }, 10);
      let closed = 0, n = 0;
      for (let k = 0; k < 20; k++) {
        const s = new WebSocket('${ws}/rate?perSec=2000&seconds=10');
        s.onmessage = () => { n++; };
        s.onclose = () => { if (++closed === 20) {
          clearInterval(lagTimer); lags.sort((a, b) => a - b);
          window.result = { ms: performance.now() - t0, n, frames: n, lagP99: lags[Math.floor(lags.length * 0.99)], lagP50: lags[Math.floor(lags.length / 2)] };
        } };
      }`),
  },
];
