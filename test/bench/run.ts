/**
 * `npm run bench`: what the extension costs the page, next to what Chrome
 * DevTools' own capture costs it, as ratios measured side by side in one run;
 * then the panel's answer under streams (latency, many frames) and at a
 * million frames (panel.ts). The Markdown summary at the end has the issue's
 * targets next to every figure.
 *
 * Side by side: for every case and trial, one fresh browser per side — A (no
 * extension, no DevTools) and each side of sides.ts (closed, lightweight,
 * panel, anchor) — run the same page at the same time, all pinned to CPU 0.
 * We compare the page's main-thread CPU time (CDP Performance.getMetrics
 * ThreadTime: the hook and the relay run there) trial by trial and report the
 * median of the per-trial ratios and their spread. CPU time, not wall time: on
 * one shared core, wall time would also count the time a page was preempted.
 *
 * Why every side in one trial rather than A/B then A/anchor pairs: all ratios
 * of a trial share one A run and one stretch of machine noise (this VM's speed
 * changes up to 2× within a second), so the columns of a row are comparable
 * with each other, and a trial costs one A run instead of one per side. The
 * browsers only share a core: each page's CPU time is its own.
 *
 * Cases marked `alone` (event-loop lag) run each side by itself, unpinned:
 * lag measures queueing, which browsers sharing one core would create.
 *
 * Options: --pairs N (trials per case, default 5), --case <substring>,
 * --mode closed|lightweight|panel|rule|anchor|floor (comma-separated: the sides to run;
 * default all), --runs N (runs of the streaming cases and of bench:panel,
 * default 3), --profile (CPU profiles of each side's page, and of the panel and
 * service worker, from a build with source maps; see profile.ts).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CASES, type Case } from './cases';
import { panelBench, type PanelSummary } from './panel';
import { caseLine, printSummary, ratioOf, type CaseRow, type SideRow } from './report';
import { startBenchServer, type BenchServer } from './server';
import { launchSide, prepareSide, SIDES, type Side, type SideResult } from './sides';
import { latencyAtRate, manyFrames, type LatencyResult, type ManyFramesResult } from './stream-cases';

const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const PROFILE = process.argv.includes('--profile');
const ROOT = resolve(import.meta.dirname, '../..');
// --profile: a copy built with source maps, so the profiles name our functions by their source
if (PROFILE && !process.env.WSI_EXTENSION_DIR) {
  const built = spawnSync('npx', ['vite', 'build', '--sourcemap', '--outDir', 'dist/chrome-profile'], { cwd: ROOT, stdio: 'ignore' });
  if (built.status !== 0) throw new Error('could not build dist/chrome-profile');
}
const EXT = resolve(process.env.WSI_EXTENSION_DIR ?? resolve(ROOT, PROFILE ? 'dist/chrome-profile' : 'dist/chrome'));
const PAIRS = Number(arg('pairs') ?? 5);
const RUNS = Number(arg('runs') ?? 3);
const ONLY = arg('case');
const MODES = (arg('mode')?.split(',') ?? SIDES) as Side[];
for (const m of MODES) if (!SIDES.includes(m)) throw new Error(`--mode ${m}: expected one of ${SIDES.join(', ')}`);
const picked = (name: string, optional = false) => (ONLY ? name.includes(ONLY) : !optional);

/** One trial: A and every side at once, pinned to CPU 0; or, for `alone` cases, one after the other, unpinned. */
async function trial(server: BenchServer, c: Case): Promise<SideResult[]> {
  const url = server.page(`/${encodeURIComponent(c.name)}`, c.html(server.ws).replace('window.ready = true;',
    `window.ready = true; window.warm = new WebSocket('${server.ws}/sink?n=1000000000');`));
  const sides: Side[] = ['base', ...MODES];
  // profiled, each side runs by itself too: a profile samples wall time, and a thread preempted by the other browsers
  // would be charged for the time it waited
  if (c.alone || PROFILE) {
    const out: SideResult[] = [];
    for (const side of sides) {
      const b = await launchSide(side, EXT);
      try { out.push(await (await prepareSide(b, side, url, PROFILE && side !== 'base' ? EXT : undefined))()); } finally { await b.close(); }
    }
    return out;
  }
  const browsers = await Promise.all(sides.map((side) => launchSide(side, EXT, 0)));
  try {
    const measure = await Promise.all(browsers.map((b, i) => prepareSide(b, sides[i]!, url)));
    return await Promise.all(measure.map((m) => m()));
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
  }
}

async function floods(server: BenchServer): Promise<CaseRow[]> {
  const rows: CaseRow[] = [];
  for (const c of CASES.filter((x) => picked(x.name, x.optional))) {
    const trials: SideResult[][] = [];
    for (let i = 0; i < PAIRS; i++) {
      const t = await attempt(`${c.name}, trial ${i + 1}`, () => trial(server, c));
      if (t) trials.push(t);
    }
    if (!trials.length) continue;
    const row: CaseRow = { name: c.name, sides: {} };
    for (const side of MODES) {
      const pairs = trials.map((t) => [t[0]!, t.find((r) => r.side === side)!] as const);
      row.sides[side] = sideRow(pairs);
      console.log(caseLine(c.name, side, row.sides[side]!));
    }
    rows.push(row);
  }
  return rows;
}

function sideRow(pairs: readonly (readonly [SideResult, SideResult])[]): SideRow {
  const med = (f: (a: SideResult, b: SideResult) => number) => ratioOf(pairs.map(([a, b]) => f(a, b))).median;
  const panels = pairs.map(([, b]) => b.panel).filter((p) => !!p);
  const frames = med((_, b) => b.page.frames!);
  return {
    aMs: med((a) => a.pageMs), bMs: med((_, b) => b.pageMs),
    page: ratioOf(pairs.map(([a, b]) => b.pageMs / a.pageMs)),
    pageProc: ratioOf(pairs.map(([a, b]) => b.pageProcMs / a.pageProcMs)),
    withPanel: ratioOf(pairs.map(([a, b]) => b.renderersMs / a.renderersMs)),
    all: ratioOf(pairs.map(([a, b]) => b.allMs / a.allMs)),
    wall: ratioOf(pairs.map(([a, b]) => b.wallMs / a.wallMs)),
    panelUs: panels.length ? med((_, b) => (b.panelMs * 1000) / (b.panel?.frames ?? NaN)) : undefined,
    extUs: panels.length ? med((_, b) => (b.extMs * 1000) / frames) : undefined,
    swUs: panels.length ? med((_, b) => (b.swMs * 1000) / frames) : undefined,
    browserUs: med((a, b) => ((b.browserMs - a.browserMs) * 1000) / frames),
    threadsUs: extraThreads(pairs, frames),
    panel: panels.length ? {
      frames: ratioOf(panels.map((p) => p.frames)).median, dropped: Math.max(...panels.map((p) => p.dropped)),
      p50: ratioOf(panels.map((p) => p.p50)).median, p99: ratioOf(panels.map((p) => p.p99)).median,
      batches: ratioOf(panels.map((p) => p.batches)).median, heapMb: ratioOf(panels.map((p) => p.heapMb)).median,
      redraws: ratioOf(panels.map((p) => p.redraws)).median, redrawMs: ratioOf(panels.map((p) => p.redrawMs)).median,
    } : undefined,
    heap: [med((a) => a.heapMb), med((_, b) => b.heapMb)],
    lag: 'lagP99' in pairs[0]![0].page ? [med((a) => a.page.lagP99!), med((_, b) => b.page.lagP99!)] : undefined,
  };
}

/** Renderer threads that cost this side more than A, by name: µs per frame (medians), most first. */
function extraThreads(pairs: readonly (readonly [SideResult, SideResult])[], frames: number): [string, number][] {
  const names = new Set(pairs.flatMap(([, b]) => Object.keys(b.threads)));
  const out: [string, number][] = [...names].map((n) =>
    [n, ratioOf(pairs.map(([a, b]) => (((b.threads[n] ?? 0) - (a.threads[n] ?? 0)) * 1000) / frames)).median]);
  return out.filter(([, us]) => us >= 0.5).sort((x, y) => y[1] - x[1]).slice(0, 6);
}

/** A part of the run that fails is reported, the run goes on, and the exit code says so: the summary keeps the rest. */
async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    console.error(`${what} failed: ${e instanceof Error ? e.stack : String(e)}`);
    process.exitCode = 1;
    return undefined;
  }
}

async function streaming(server: BenchServer, latency: LatencyResult[][], many: ManyFramesResult[]): Promise<void> {
  for (const rate of [20_000, 50_000]) {
    if (!picked(`panel latency at ${rate} msg/s`)) continue;
    const runs: LatencyResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await attempt(`latency at ${rate}/s`, () => latencyAtRate(server, EXT, rate));
      if (!r) continue;
      runs.push(r);
      console.log(`panel latency at ${rate}/s, run ${i + 1}: p50 ${r.p50.toFixed(0)} / p99 ${r.p99.toFixed(0)} / max ${r.max.toFixed(0)} ms (its last 16,384 frames ${r.tailP50.toFixed(0)} / ${r.tailP99.toFixed(0)}; ` +
        `stats() ${r.ringP50.toFixed(0)} / ${r.ringP99.toFixed(0)}); ` +
        `${r.panelFrames}/${r.sent} frames in the panel, dropped ${r.dropped}; ${r.batches} batches; panel ${((r.panelMs * 1000) / r.sent).toFixed(1)} µs/frame`);
    }
    if (runs.length) latency.push(runs);
  }
  if (!picked('many frames: 30 iframes × 20 msg/s, click latency')) return;
  for (let i = 0; i < RUNS; i++) {
    const r = await attempt('many frames', () => manyFrames(server, EXT));
    if (!r) continue;
    many.push(r);
    console.log(`many frames, run ${i + 1}: clicks while streaming ${r.streaming.map((c) => c.paintMs.toFixed(0)).join(', ')} ms; ` +
      `idle ${r.idle.map((c) => c.paintMs.toFixed(0)).join(', ')} ms; ${r.events} events in ${r.batches} batches; ${r.panelFrames}/${r.sent} frames`);
  }
}

async function main(): Promise<void> {
  const began = Date.now();
  // the browsers get CPU 0; the server and the CDP clients (this process) keep to CPU 1
  spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const server = await startBenchServer();
  console.log(`WebSocket Inspector benchmark — ${PAIRS} trials per case; A = no extension; sides: ${MODES.join(', ')}; all on CPU 0, side by side.`);
  console.log('ratio = side / A of the page main thread CPU time (CDP ThreadTime), median of per-trial ratios [min–max].\n');
  const latency: LatencyResult[][] = [];
  const many: ManyFramesResult[] = [];
  let rows: CaseRow[];

  try {
    rows = await floods(server);
    if (MODES.includes('panel')) await streaming(server, latency, many);
  } finally {
    await server.close();
  }
  const panel: PanelSummary | undefined = picked('panel at 1,000,000 frames') && MODES.includes('panel')
    ? await attempt('bench:panel', () => panelBench(EXT, { runs: RUNS }))
    : undefined;
  printSummary({ rows, latency, many, panel, minutes: (Date.now() - began) / 60_000, pairs: PAIRS, runs: RUNS });
}

await main();
