/**
 * What one redraw of the frame grid costs, without traffic's noise: a panel
 * page (no page, no socket) fed batches of `rows` new frames, one batch per
 * redraw, so every row in view is new each time — the grid following a flood.
 * The ms of each redraw are the panel's own measure (wsInspector.view(): the
 * store's change to the DOM, layout included). A flood's redraw time in the
 * `flood` case moves with the page and server competing for the core; this one
 * moves with the grid's code and CSS only (9.2–9.7 ms here, ±0.5 between runs).
 */
import { launchBench } from './browser';
import { openPanelPage, WIRE_IN_PAGE } from './panel-page';

const quantile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) * p)] ?? NaN; };

const SETUP = `(() => {
  ${WIRE_IN_PAGE}
  const t0 = Date.now(); let seq = 2, k0 = 0;
  const life = wire(0, () => {}, [], [], [
    { k: 'created', c: 'r.0', seq: 0, t: t0, url: 'wss://bench.example/feed', resolvedUrl: 'wss://bench.example/feed', frameUrl: 'https://bench.example/' },
    { k: 'open', c: 'r.0', seq: 1, t: t0 + 5, protocol: '', extensions: '', binaryType: 'arraybuffer' }], [0, 0]);
  if (!wsInspector.ingestBatch(0, 'r', JSON.parse(JSON.stringify(life)))) throw new Error('lifecycle batch refused');
  const batch = (n) => {
    const texts = [];
    const b = wire(n, (c) => {
      for (let k = 0; k < n; k++, k0++) {
        const text = '{"type":"tick","sym":"SYM' + (k0 % 500) + '","px":' + ((k0 * 7919) % 100000) / 100 + ',"seq":' + k0 + ',"pad":"' + 'x'.repeat(k0 % 40) + '"}';
        c.conn[k] = 0; c.seq[k] = seq++; c.t[k] = t0 + 10 + k0; c.aux[k] = NONE; c.flags[k] = (k0 >> 2) & 1; c.size[k] = NONE; c.textLen[k] = text.length; texts.push(text);
      }
    }, texts, []);
    return JSON.parse(JSON.stringify(b)); // as a Chrome port delivers it
  };
  /** one batch, then the ms of the redraw it caused */
  window.redrawOnce = async (n) => {
    const v0 = wsInspector.view();
    if (!wsInspector.ingestBatch(0, 'r', batch(n))) throw new Error('batch refused');
    for (let i = 0; i < 500; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const v = wsInspector.view();
      if (v.redraws > v0.redraws) return v.redrawMs - v0.redrawMs;
    }
    throw new Error('no redraw');
  };
  return true;
})()`;

/** Median (and quartiles) of `redraws` redraws of `rows` new frames each, after 20 to warm up; panel at 1280 × 800. */
export async function redrawCost(dir: string, redraws = 60, rows = 60): Promise<{ median: number; p25: number; p75: number; domRows: number }> {
  const b = await launchBench({ extensionDir: dir, cpu: 0 });
  try {
    // nothing streams into it but the batches fed here (tab 1 sends nothing)
    const sessionId = await openPanelPage(b, 1);
    await b.cdp.evaluate(sessionId, SETUP);
    const ms = await b.cdp.evaluate<number[]>(sessionId, `(async () => {
      for (let i = 0; i < 20; i++) await redrawOnce(${rows});
      const ms = []; for (let i = 0; i < ${redraws}; i++) ms.push(await redrawOnce(${rows})); return ms;
    })()`);
    const domRows = await b.cdp.evaluate<number>(sessionId, 'document.querySelectorAll(".frame-grid .grid-body [role=row]").length');
    return { median: quantile(ms, 0.5), p25: quantile(ms, 0.25), p75: quantile(ms, 0.75), domRows };
  } finally {
    await b.close();
  }
}
