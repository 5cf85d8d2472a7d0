/**
 * Cases with the panel open that measure the panel's answer, not the page's
 * CPU ratio: one browser with the extension, unpinned (the page, the panel and
 * the browser use both cores, as on any machine), the page and the panel each
 * in a window of its own (both visible, as with a docked DevTools), the panel
 * at 1280×800. The server paces the messages by the clock.
 *
 * - Latency at a rate: a page receives R messages/s (100 B texts) for 10 s.
 *   Capture → panel latency of every frame: the panel page samples, every
 *   10 ms, how many frames of the socket it holds (wsInspector.connections());
 *   a frame's arrival is the first sample that counts it, its capture time is
 *   its `t` (wsInspector.frames). So the figure covers the whole run (±10 ms),
 *   where wsInspector.stats() keeps only the last 16,384 events (under a
 *   second at these rates): both are printed. The connection's close, which
 *   comes after its frames, is the marker that everything sent has arrived.
 * - Many frames: a page with 30 iframes (served pages, each its own document
 *   and socket), each 20 messages/s for 10 s. Click latency on grid rows while
 *   they stream and after (idle), as a ratio; batches the panel received for
 *   its events (wsInspector.stats()).
 */
import type { BenchBrowser } from './browser';
import { clickRow, installClickProbe, scrollGridToTop, type ClickResult } from './click-probe';
import { cpuSnapshot, cpuSpent } from './cpu';
import type { BenchServer } from './server';
import { launchSide, openPanel, panelState, waitFor } from './sides';

export interface LatencyResult {
  rate: number; sent: number; pageGot: number; panelFrames: number; dropped: number;
  p50: number; p99: number; max: number; ringP50: number; ringP99: number;
  /** this method over the ring's window (the last 16,384 frames): agrees with ringP50/99 when the sampling adds little */
  tailP50: number; tailP99: number;
  events: number; batches: number; panelMs: number; extMs: number; swMs: number;
}

export interface ManyFramesResult {
  sockets: number; sent: number; panelFrames: number; dropped: number; events: number; batches: number;
  streaming: ClickResult[]; idle: ClickResult[];
}

const SECONDS = 10;
const warm = (ws: string) => `window.warm = new WebSocket('${ws}/sink?n=1000000000');`;

const metricMs = (name: string) => async (b: BenchBrowser, s: string) =>
  ((await b.cdp.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics', {}, s)).metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
const threadMs = metricMs('ThreadTime'), processMs = metricMs('ProcessTime');

async function withPanel<T>(extensionDir: string, url: string, body: (b: BenchBrowser, page: string, panel: string) => Promise<T>): Promise<T> {
  const b = await launchSide('panel', extensionDir);
  try {
    const { sessionId: page } = await b.open(url);
    const panel = await openPanel(b);
    await b.cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false }, panel);
    return await body(b, page, panel);
  } finally {
    await b.close();
  }
}

/** Sampled in the panel page every 10 ms: frames held of the connections whose URL has `part`. */
const ARRIVALS = (part: string) => `(() => {
  const held = () => wsInspector.connections().filter((c) => c.url.includes(${JSON.stringify(part)})).reduce((n, c) => n + c.framesIn, 0);
  window.__arrivals = { t: [], n: [] };
  let last = 0;
  window.__arrivalTimer = setInterval(() => {
    const n = held();
    if (n !== last) { window.__arrivals.t.push(performance.timeOrigin + performance.now()); window.__arrivals.n.push(n); last = n; }
  }, 10);
})()`;

/** Latency of every frame from its capture time and the first sample that held it; quantiles only leave the page. */
const LATENCIES = (part: string) => `(() => {
  clearInterval(window.__arrivalTimer);
  const c = wsInspector.connections().find((x) => x.url.includes(${JSON.stringify(part)}));
  const frames = wsInspector.frames(c.key).filter((f) => f.dir === 'in');
  const { t, n } = window.__arrivals;
  const lat = new Float64Array(frames.length);
  let s = 0;
  for (let k = 0; k < frames.length; k++) { while (s < n.length - 1 && n[s] < k + 1) s++; lat[k] = t[s] - frames[k].t; }
  const quantiles = (a) => {
    a.sort();
    const q = (x) => a.length ? a[Math.min(a.length - 1, Math.floor(x * a.length))] : NaN;
    return { p50: q(0.5), p99: q(0.99), max: a.length ? a[a.length - 1] : NaN };
  };
  // the same window as wsInspector.stats() (its last 16,384 events), to compare the two methods
  const tail = quantiles(lat.slice(Math.max(0, lat.length - 16384)));
  return { ...quantiles(lat), tailP50: tail.p50, tailP99: tail.p99 };
})()`;

export async function latencyAtRate(server: BenchServer, extensionDir: string, rate: number): Promise<LatencyResult> {
  const sent = rate * SECONDS;
  const url = server.page(`/latency-${rate}`, `<!doctype html><title>latency</title><script>
    window.result = null; ${warm(server.ws)}
    window.start = () => {
      const s = new WebSocket('${server.ws}/rate?perSec=${rate}&seconds=${SECONDS}&tag=r'); let n = 0;
      s.onmessage = () => { n++; };
      s.onclose = () => { window.result = { n }; };
    };</script>`);
  return withPanel(extensionDir, url, async (b, page, panel) => {
    await b.cdp.evaluate(panel, ARRIVALS('/rate'));
    const cpu0 = await cpuSnapshot(b.cdp);
    const panel0 = await threadMs(b, panel);
    const pageProc0 = await processMs(b, page);
    await b.cdp.evaluate(page, 'window.start()');
    const got = await waitFor(() => b.cdp.evaluate<{ n: number } | null>(page, 'window.result'), 'the page to receive every message');
    // the close comes after the socket's frames: once the panel has it, everything sent has arrived (or is counted as dropped)
    await waitFor(() => b.cdp.evaluate<boolean>(panel, `wsInspector.connections().some((c) => c.url.includes('/rate') && c.state === 3)`), 'the close in the panel');
    const panelMs = (await threadMs(b, panel)) - panel0;
    const cpu = cpuSpent(cpu0, await cpuSnapshot(b.cdp));
    const pageProc = (await processMs(b, page)) - pageProc0;
    const st = await panelState(b, panel);
    const whole = await b.cdp.evaluate<{ p50: number; p99: number; max: number; tailP50: number; tailP99: number }>(panel, LATENCIES('/rate'));
    const ring = await b.cdp.evaluate<{ p50: number; p99: number }>(panel, 'wsInspector.stats().latency');
    const conn = await b.cdp.evaluate<{ framesIn: number; dropped: number }>(panel, `wsInspector.connections().find((c) => c.url.includes('/rate'))`);
    return {
      rate, sent, pageGot: got.n, panelFrames: conn.framesIn, dropped: conn.dropped, ...whole, ringP50: ring.p50, ringP99: ring.p99,
      events: st.events, batches: st.batches, panelMs, extMs: cpu.renderers - pageProc, swMs: cpu.serviceWorker,
    };
  });
}

const SOCKETS = 30, PER_SEC = 20;

export async function manyFrames(server: BenchServer, extensionDir: string, clicksIdle = 3): Promise<ManyFramesResult> {
  for (let k = 0; k < SOCKETS; k++) {
    const tag = `f${String(k).padStart(2, '0')}`;
    server.page(`/many/${k}`, `<!doctype html><title>${tag}</title><script>
      window.start = () => {
        const s = new WebSocket('${server.ws}/rate?perSec=${PER_SEC}&seconds=${SECONDS}&tag=${tag}'); let n = 0;
        s.onmessage = () => { n++; };
        s.onclose = () => { parent.frameDone(n); };
      };</script>`);
  }
  const url = server.page('/many', `<!doctype html><title>many frames</title><style>iframe { width: 120px; height: 40px; }</style>
    ${Array.from({ length: SOCKETS }, (_, k) => `<iframe src="/many/${k}"></iframe>`).join('')}<script>
    window.result = null; ${warm(server.ws)}
    let done = 0, got = 0;
    window.frameDone = (n) => { got += n; if (++done === ${SOCKETS}) window.result = { n: got }; };
    window.start = () => { for (let k = 0; k < frames.length; k++) frames[k].start(); };</script>`);
  return withPanel(extensionDir, url, async (b, page, panel) => {
    await installClickProbe(b, panel, 11); // "f07 0000012"
    await b.cdp.evaluate(page, 'window.start()');
    const t0 = Date.now();
    // rows to click: a second of traffic
    await waitFor(async () => (await panelState(b, panel)).frames >= SOCKETS * PER_SEC, 'frames in the grid');
    // off the newest rows, so the grid stops following and a row stays under the pointer from press to release
    // (clicking while it follows measured about the same: 69 vs 60 ms in one run)
    await scrollGridToTop(b, panel);
    const streaming: ClickResult[] = [];
    // clicks made while the frames stream (the last one may be answered after they ended)
    for (let n = 1; Date.now() - t0 < (SECONDS - 1) * 1000; n++) streaming.push(await clickRow(b, panel, n));
    await waitFor(() => b.cdp.evaluate<{ n: number } | null>(page, 'window.result'), 'every iframe\'s socket to close');
    await waitFor(() => b.cdp.evaluate<boolean>(panel, `wsInspector.connections().filter((c) => c.url.includes('/rate') && c.state === 3).length === ${SOCKETS}`),
      'every close in the panel');
    const idle: ClickResult[] = [];
    await scrollGridToTop(b, panel);
    for (let n = 0; n < clicksIdle; n++) idle.push(await clickRow(b, panel, 20 + n));
    const st = await panelState(b, panel);
    const conns = await b.cdp.evaluate<{ framesIn: number; dropped: number }[]>(panel, `wsInspector.connections().filter((c) => c.url.includes('/rate'))`);
    return {
      sockets: conns.length, sent: SOCKETS * PER_SEC * SECONDS, panelFrames: conns.reduce((n, c) => n + c.framesIn, 0),
      dropped: conns.reduce((n, c) => n + c.dropped, 0), events: st.events, batches: st.batches, streaming, idle,
    };
  });
}
