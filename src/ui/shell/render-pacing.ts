/**
 * How long the panel waits between redraws while traffic streams.
 *
 * A redraw's cost depends on how much is new: a few messages a second shift the
 * grid by a row or two (cheap), a flood replaces every row in view (the trace in
 * test/bench/RESULTS.md "The grid's layout, traced": ~460 new layout objects, 14–45 ms on this
 * VM). A fixed pace either lags a quiet socket or, during a flood, spends most
 * of the panel's main thread drawing rows nobody can read — and delays taking
 * in the next batches. So the pace follows the measured cost: redraws may take
 * at most SHARE of the main thread (measured in wall time: on a machine so busy that
 * the panel waits for the CPU, the redraws wait too), never more often than every
 * MIN_GAP_MS, and never rarer than every MAX_GAP_MS (still live to the eye).
 *
 * SHARE is a twentieth, not a tenth: what `took` measures is only the main
 * thread's part — the redraw's paint and raster cost about as much again on the
 * panel process's other threads. Measured on the 100k text flood (README
 * Performance): 0.1 → 0.05 took the panel's main thread from 4.1 to 3.0
 * µs/frame and page + panel processes from 2.12× to 1.92×, a flood's grid
 * redrawn ~2–4 times a second instead of ~7; a quiet socket's redraws (a few
 * ms) still come every MIN_GAP_MS.
 */
export const MIN_GAP_MS = 100;
export const MAX_GAP_MS = 1000;
export const SHARE = 0.05;

/** weight of the newest measurement: follows a flood within a few redraws, not a single outlier */
const NEWEST = 0.4;

export class RenderPacing {
  private cost = 0;
  /** redraws for traffic so far, and the ms they took (wsInspector.view(): what the panel's drawing costs) */
  count = 0;
  totalMs = 0;

  /** a redraw took `ms` (the store's change to the DOM, its layout included) */
  took(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    this.count++;
    this.totalMs += ms;
    this.cost = this.cost === 0 ? ms : this.cost + NEWEST * (ms - this.cost);
  }

  /** the time from one redraw to the next while changes keep coming */
  gap(): number {
    return Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, this.cost / SHARE));
  }
}
