/**
 * The panel page on its own, for the benches that feed it batches directly
 * (bench:panel's million frames, bench:compare's redraw case): no page, no
 * socket — the panel subscribes to a tab that sends nothing.
 *
 * - `openPanelPage`: the panel in a tab of its own, 1280 × 800, in front and
 *   focused (a hidden page gets no animation frames and throttled timers),
 *   each CDP call bounded in time.
 * - `WIRE_IN_PAGE`: page-side code (a string, evaluated in the panel page: tsx
 *   would add helpers a page does not have) that defines
 *   `wire(rows, fill, texts, bins, events, at)`: a wire batch as the relay sends
 *   it (src/protocol/batch.ts), built with the protocol's own column layout;
 *   `fill(c)` writes the rows into typed views `c`.
 */
import { columnOffsets, NONE, ROW_BYTES } from '../../src/protocol/batch';
import type { BenchBrowser } from './browser';

/** progress on stderr with BENCH_DEBUG set */
export const step = (what: string): void => { if (process.env.BENCH_DEBUG) console.error(`  … ${what}`); };

/** A CDP call that fails instead of waiting forever. */
async function timed<T>(what: string, p: Promise<T>, ms = 120_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** Open a page in a tab and attach to it (like BenchBrowser.open, each call bounded in time). */
async function openTab(b: BenchBrowser, url: string): Promise<string> {
  const { targetId } = await timed('Target.createTarget', b.cdp.send<{ targetId: string }>('Target.createTarget', { url }));
  step(`created ${targetId}`);
  const { sessionId } = await timed('Target.attachToTarget', b.cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true }));
  step('attached');
  await timed('Runtime.enable', b.cdp.send('Runtime.enable', {}, sessionId));
  for (let i = 0; i < 300; i++) {
    // the target starts on about:blank, which is complete at once: wait for the page itself and its script
    const state = await timed('readyState', b.cdp.evaluate<string>(sessionId,
      'location.href !== "about:blank" && typeof wsInspector !== "undefined" && document.readyState'), 10_000).catch(() => '');
    if (state === 'complete') return sessionId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not load`);
}

/** The panel of tab `tabId` in a tab, 1280 × 800, in front and focused; its CDP session. */
export async function openPanelPage(b: BenchBrowser, tabId: number): Promise<string> {
  const s = await openTab(b, `chrome-extension://${b.extensionId}/extension/panel/panel.html?tabId=${tabId}&theme=light`);
  await b.cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false }, s);
  // the panel in front, as when the user looks at it: a hidden page gets no animation frames and throttled timers
  await b.cdp.send('Page.bringToFront', {}, s);
  await b.cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true }, s);
  const visible = await b.cdp.evaluate<string>(s, 'document.visibilityState');
  if (visible !== 'visible') throw new Error(`the panel page is ${visible}`);
  return s;
}

export const WIRE_IN_PAGE = `
  const AT = ${JSON.stringify(columnOffsets(1))}, ROW_BYTES = ${ROW_BYTES}, NONE = ${NONE};
  const b64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); };
  const wire = (rows, fill, texts, bins, events = [], at = []) => {
    const buf = new ArrayBuffer(rows * ROW_BYTES);
    const c = { t: new Float64Array(buf, AT.t * rows, rows), seq: new Uint32Array(buf, AT.seq * rows, rows), conn: new Uint32Array(buf, AT.conn * rows, rows),
      size: new Uint32Array(buf, AT.size * rows, rows), aux: new Uint32Array(buf, AT.aux * rows, rows), textLen: new Uint32Array(buf, AT.textLen * rows, rows),
      binLen: new Uint32Array(buf, AT.binLen * rows, rows), flags: new Uint16Array(buf, AT.flags * rows, rows), as: new Uint8Array(buf, AT.as * rows, rows) };
    fill(c);
    const total = bins.reduce((n, b) => n + b.length, 0);
    const bytes = new Uint8Array(total); let off = 0; for (const b of bins) { bytes.set(b, off); off += b.length; }
    return { rows, cols: b64(new Uint8Array(buf)), texts, binary: b64(bytes), events, at };
  };`;
