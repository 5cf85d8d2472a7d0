/**
 * What `npm run bench` prints: a line per case and side as it goes, and at the
 * end one Markdown summary in the shape of issue 13's table, with the targets
 * next to every figure.
 */
import type { PanelSummary } from './panel';
import type { Side } from './sides';
import type { LatencyResult, ManyFramesResult } from './stream-cases';

export interface Ratio { median: number; min: number; max: number }

export interface SideRow {
  /** page main-thread CPU ms, medians: A and this side */
  aMs: number; bMs: number;
  /** page main thread, side / A */
  page: Ratio;
  /** page renderer process, side / A */
  pageProc: Ratio;
  /** every renderer process (the page's, the panel's, the service worker's), side / A */
  withPanel: Ratio;
  /** every process of the browser, side / A */
  all: Ratio;
  wall: Ratio;
  /** µs per frame: the panel's main thread, the extension process, the service worker thread */
  panelUs?: number; extUs?: number; swUs?: number;
  /** µs per frame more than A: the browser process; renderer threads by name ("chromium" is a renderer's main thread) */
  browserUs: number; threadsUs: [string, number][];
  panel?: { frames: number; dropped: number; p50: number; p99: number; batches: number; heapMb: number; redraws: number; redrawMs: number };
  heap: [number, number];
  lag?: [number, number];
}

export interface CaseRow { name: string; sides: Partial<Record<Side, SideRow>> }

export const TARGETS = {
  page: 1.05, withPanel: 1.25, p99Ms: 250,
  /** "within a few animation frames": 3 frames at 60 Hz */
  clickMs: 50, bytesPerFrame: 110, filterMs: 100,
};

const median = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };
export const ratioOf = (xs: number[]): Ratio => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

const fmt = (n: number | undefined, d = 1) => (n !== undefined && Number.isFinite(n) ? n.toFixed(d) : '-');
const x = (r: Ratio | undefined) => (r ? `${fmt(r.median, 3)}× [${fmt(r.min, 2)}–${fmt(r.max, 2)}]` : '—');
const ok = (value: number, target: number) => (Number.isFinite(value) ? (value <= target ? ' ✓' : ' ✗') : '');

export function caseLine(name: string, side: Side, r: SideRow): string {
  const notes = [`page process ${x(r.pageProc)}`, `whole browser ${x(r.all)}`, `wall ${fmt(r.wall.median, 3)}×`,
    `page heap A ${fmt(r.heap[0])} / ${fmt(r.heap[1])} MB`];
  notes.push(`more than A, µs per frame: browser process ${fmt(r.browserUs, 2)}; renderer threads ${r.threadsUs.map(([n, us]) => `${n} ${fmt(us, 1)}`).join(', ') || '-'}`);
  if (r.lag) notes.push(`lag p99 A ${fmt(r.lag[0], 2)} / ${fmt(r.lag[1], 2)} ms`);
  if (r.panel) {
    notes.push(`page + panel processes ${x(r.withPanel)}`,
      `panel ${fmt(r.panelUs, 2)} µs/frame (panel and worker processes ${fmt(r.extUs, 2)}, of which the service worker thread ${fmt(r.swUs, 2)})`,
      `${fmt(r.panel.frames, 0)} frames in ${fmt(r.panel.batches, 0)} batches, dropped ${r.panel.dropped}`,
      `latency p50 ${fmt(r.panel.p50, 0)} / p99 ${fmt(r.panel.p99, 0)} ms`, `panel heap ${fmt(r.panel.heapMb)} MB`,
      `${fmt(r.panel.redraws, 0)} redraws of ${fmt(r.panel.redrawMs / r.panel.redraws, 1)} ms`);
  }
  return `${name} | ${side} | A ${fmt(r.aMs, 0)} ms | ${fmt(r.bMs, 0)} ms | ${x(r.page)} | ${notes.join('; ')}`;
}

export interface Summary {
  rows: CaseRow[]; latency: LatencyResult[][]; many: ManyFramesResult[]; panel?: PanelSummary;
  minutes: number; pairs: number; runs: number;
}

function latencyLine(runs: LatencyResult[]): string {
  const m = (f: (r: LatencyResult) => number) => median(runs.map(f));
  const all = runs.every((r) => r.panelFrames === r.sent && r.pageGot === r.sent);
  const p99 = m((r) => r.p99);
  return `- **Capture → panel latency at ${runs[0]!.rate.toLocaleString('en-US')} messages/s for 10 s** (panel open, ${runs.length} runs, medians): ` +
    `p99 **${fmt(p99, 0)} ms**${runs[0]!.rate === 20_000 ? ` (target ≤ ${TARGETS.p99Ms} ms${ok(p99, TARGETS.p99Ms)})` : ''}, ` +
    `p50 ${fmt(m((r) => r.p50), 0)} ms, max ${fmt(m((r) => r.max), 0)} ms over every frame (capture → held by the panel, sampled every 10 ms); ` +
    `the panel's own wsInspector.stats() (capture → ingest, its last 16,384 events) p50 ${fmt(m((r) => r.ringP50), 0)} / p99 ${fmt(m((r) => r.ringP99), 0)} ms, ` +
    `where the sampled figure reads ${fmt(m((r) => r.tailP50), 0)} / ${fmt(m((r) => r.tailP99), 0)} ms. ` +
    `${all ? 'Everything arrived' : '**Not everything arrived**'}: ${runs.map((r) => `${r.panelFrames}/${r.sent}`).join(', ')} frames in the panel, ` +
    `dropped ${runs.map((r) => r.dropped).join(', ')}; ${fmt(m((r) => r.events / r.batches), 0)} events per batch; ` +
    `panel main thread ${fmt(m((r) => (r.panelMs * 1000) / r.sent), 1)} µs/frame, panel + worker processes ${fmt(m((r) => (r.extMs * 1000) / r.sent), 1)}, ` +
    `service worker ${fmt(m((r) => (r.swMs * 1000) / r.sent), 1)}.`;
}

function manyLine(runs: ManyFramesResult[]): string {
  const busy = median(runs.flatMap((r) => r.streaming.map((c) => c.paintMs)));
  const idle = median(runs.flatMap((r) => r.idle.map((c) => c.paintMs)));
  const all = runs.every((r) => r.panelFrames === r.sent && !r.dropped);
  return `- **Many frames** (30 iframes × 20 messages/s × 10 s, panel open, ${runs.length} runs): a click on a row shows its frame in ` +
    `**${fmt(busy, 0)} ms** while they stream (${runs.reduce((n, r) => n + r.streaming.length, 0)} clicks) vs **${fmt(idle, 0)} ms** idle: ` +
    `**${fmt(busy / idle, 1)}×** (target: within a few animation frames, ≤ ${TARGETS.clickMs} ms${ok(busy, TARGETS.clickMs)}); ` +
    `slowest while streaming ${fmt(Math.max(...runs.flatMap((r) => r.streaming.map((c) => c.paintMs))), 0)} ms; ` +
    `${fmt(median(runs.map((r) => r.batches)), 0)} batches for ${fmt(median(runs.map((r) => r.events)), 0)} events ` +
    `(${fmt(median(runs.map((r) => r.events / r.batches)), 2)} events per batch); ` +
    `${all ? 'everything arrived' : '**not everything arrived**'} (${runs.map((r) => `${r.panelFrames}/${r.sent}`).join(', ')}, dropped ${runs.map((r) => r.dropped).join(', ')}).`;
}

export function printSummary(s: Summary): void {
  const out: string[] = ['', `## Summary (${s.pairs} trials per case side by side, ${s.runs} runs of the streaming cases; ${fmt(s.minutes, 1)} min)`, ''];
  if (s.rows.length) {
    out.push(`| case | page, DevTools closed (≤ ${TARGETS.page}×) | page, panel streaming (≤ ${TARGETS.page}×) | page + panel processes (≤ ${TARGETS.withPanel}×) | Chrome DevTools' own capture (Network domain on, no extension) | listener floor (no extension; one message listener reading \`data\`) |`,
      '|---|---|---|---|---|---|');
    for (const r of s.rows) {
      const closed = r.sides.closed, panel = r.sides.panel;
      const cell = (v: SideRow | undefined, target?: number) => (v ? `${x(v.page)}${target ? ok(v.page.median, target) : ''}` : '—');
      const procs = panel
        ? `${x(panel.withPanel)}${ok(panel.withPanel.median, TARGETS.withPanel)}; panel main thread ${fmt(panel.panelUs, 1)} µs/frame; panel + worker processes ${fmt(panel.extUs, 1)} µs/frame (service worker thread ${fmt(panel.swUs, 1)})`
        : '—';
      out.push(`| ${r.name} | ${cell(closed, TARGETS.page)} | ${cell(panel, TARGETS.page)} | ${procs} | ${cell(r.sides.anchor)} | ${cell(r.sides.floor)} |`);
    }
    const light = s.rows.filter((r) => r.sides.lightweight);
    if (light.length) out.push('', `- Lightweight mode, DevTools closed: ${light.map((r) => `${r.name} ${x(r.sides.lightweight!.page)}`).join('; ')}.`);
    const rule = s.rows.filter((r) => r.sides.rule);
    if (rule.length) {
      out.push(`- Panel streaming with one interception rule on that matches no message (interception on): ${rule.map((r) => `${r.name} ${x(r.sides.rule!.page)}`
        + (r.sides.panel ? ` (without it ${x(r.sides.panel.page)})` : '')).join('; ')}.`);
    }
  }
  out.push('');
  for (const runs of s.latency) out.push(latencyLine(runs));
  if (s.many.length) out.push(manyLine(s.many));
  if (s.panel) {
    const p = s.panel;
    out.push(`- **Panel with ${p.frames.toLocaleString('en-US')} frames** (bench:panel, ${p.runs} runs): memory **${fmt(p.perFrame, 0)} B per frame** ` +
      `(target ≤ ${TARGETS.bytesPerFrame} B${ok(p.perFrame, TARGETS.bytesPerFrame)}); text filter **${fmt(p.textWorkMs, 0)} ms of work** ` +
      `(target ≤ ${TARGETS.filterMs} ms${ok(p.textWorkMs, TARGETS.filterMs)}; filter pass ${fmt(p.textPassMs, 0)} ms, typed → painted ${fmt(p.textMs, 0)} ms).`);
  }
  console.log(out.join('\n'));
}
