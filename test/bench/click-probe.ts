/**
 * Click latency in the panel page: a real click (CDP Input.dispatchMouseEvent,
 * press and release as one gesture) on a row of the frame grid, timed from
 * inside the panel page from the press event's timeStamp — when the browser
 * created the input event, so time the event waited behind a busy main thread
 * counts, as it does for a user — to
 *   dom:   the DOM change that shows the clicked frame in the detail pane (a
 *          MutationObserver set before the click), and
 *   paint: the next animation frame after it (what the user sees).
 * The clicked frame is recognised by the first characters of the row's Data
 * cell (the bench server's messages start with a unique `<tag> <index>`).
 */
import type { BenchBrowser } from './browser';
import { waitFor } from './sides';

export interface ClickResult { key: string; domMs: number; paintMs: number; waitedMs: number }

/** Installed once in the panel page; every press on a grid row arms one measurement. */
const PROBE = (keyChars: number) => `(() => {
  if (window.__click) return;
  window.__click = { result: null };
  addEventListener('pointerdown', (e) => {
    const row = e.target instanceof Element ? e.target.closest('[role=row][id]') : null;
    if (!row) { window.__click.result = { error: 'no frame row under the pointer' }; return; }
    const key = (row.querySelector('.cell.data')?.textContent ?? '').slice(0, ${keyChars});
    const t0 = e.timeStamp;
    const shows = () => { const d = document.querySelector('section[aria-label="Frame detail"]'); return !!d && d.textContent.includes(key); };
    const done = () => {
      mo.disconnect();
      const dom = performance.now();
      requestAnimationFrame(() => { window.__click.result = { key, domMs: dom - t0, paintMs: performance.now() - t0 }; });
    };
    const mo = new MutationObserver(() => { if (shows()) done(); });
    mo.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, true);
})()`;

export const installClickProbe = (b: BenchBrowser, panel: string, keyChars: number) => b.cdp.evaluate(panel, PROBE(keyChars));

/** Scroll the grid to its top, so it stops following the newest frame and rows stay where they are while frames stream. */
export const scrollGridToTop = (b: BenchBrowser, panel: string) => b.cdp.evaluate(panel, `(() => {
  const body = document.querySelector('[role=grid][aria-label="Frames"] .scroller');
  body.scrollTop = 0; body.dispatchEvent(new Event('scroll'));
})()`);

/** Click the `n`-th frame row in view (from the top) and wait until the detail pane shows it. */
export async function clickRow(b: BenchBrowser, panel: string, n: number): Promise<ClickResult> {
  const at = await b.cdp.evaluate<{ x: number; y: number } | { missing: unknown }>(panel, `(() => {
    window.__click.result = null;
    const body = document.querySelector('[role=grid][aria-label="Frames"] .scroller');
    const box = body.getBoundingClientRect();
    const rows = [...body.querySelectorAll('[role=row][id]')].map((r) => r.getBoundingClientRect())
      .filter((r) => r.top >= box.top && r.bottom <= box.bottom).sort((a, b) => a.top - b.top);
    const r = rows[${n} % Math.max(1, rows.length)];
    return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : { missing: {
      rows: body.querySelectorAll('[role=row][id]').length, box: [box.top, box.bottom], scrollTop: body.scrollTop, scrollHeight: body.scrollHeight,
      first: [...body.querySelectorAll('[role=row][id]')].slice(0, 3).map((x) => { const b = x.getBoundingClientRect(); return [b.top, b.bottom]; }) } };
  })()`);
  if ('missing' in at) throw new Error(`no frame row in view to click: ${JSON.stringify(at.missing)}`);
  const t0 = Date.now();
  const mouse = (type: string) => b.cdp.send('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', clickCount: 1 }, panel);
  await Promise.all([mouse('mousePressed'), mouse('mouseReleased')]);
  const r = await waitFor(() => b.cdp.evaluate<(ClickResult & { error?: string }) | null>(panel, 'window.__click.result'), 'the clicked frame in the detail pane', 120_000);
  if (r.error) throw new Error(r.error);
  return { ...r, waitedMs: Date.now() - t0 };
}
