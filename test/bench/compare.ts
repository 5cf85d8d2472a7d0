/**
 * `npm run bench:compare -- <extension dir> <extension dir> …`: two (or more)
 * builds of the extension side by side, in alternating runs on the same machine
 * in the same minutes — what a change did, where the main bench's ratios against
 * "no extension" move with the machine's load as much as with the code. Build
 * the other one in a worktree: `git worktree add /tmp/base <commit>`, link
 * node_modules, `npx vite build` there, then compare `/tmp/base/dist/chrome`
 * with `dist/chrome`.
 *
 * Cases (`--case`, default all): `flood` — the 100k text flood with the panel
 * open, page and panel pinned to one core as in the bench: their main threads'
 * CPU (CDP ThreadTime) and the panel's redraws; `latency` — capture → panel
 * latency at 20,000 messages/s (stream-cases.ts); `clicks` — a click on a row
 * while 30 frames stream, and idle; `redraw` — one redraw of the frame grid
 * with every row in view new (redraw-case.ts: no traffic, so the figure moves
 * with the grid's code and CSS only). `--rounds N` (default 3) rounds of one
 * run per build each. Like the bench, this process (the server, the CDP
 * client) keeps to CPU 1, so the figures compare with the bench's.
 */
import { spawnSync } from 'node:child_process';
import { launchBench, type BenchBrowser } from './browser';
import { CASES } from './cases';
import { startBenchServer, type BenchServer } from './server';
import { openPanel, waitFor } from './sides';
import { redrawCost } from './redraw-case';
import { latencyAtRate, manyFrames } from './stream-cases';

const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const ROUNDS = Number(arg('rounds') ?? 3);
const ONLY = arg('case');
const builds = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (builds.length < 2) throw new Error('usage: npm run bench:compare -- <extension dir> <extension dir> [--case flood|latency|clicks|redraw] [--rounds N]');

const median = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };
const threadMs = async (b: BenchBrowser, session: string) =>
  ((await b.cdp.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics', {}, session)).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;

/** The text flood with the panel open, on CPU 0: page and panel main-thread ms, and the panel's redraws. */
async function flood(server: BenchServer, dir: string): Promise<Record<string, number>> {
  const c = CASES.find((x) => x.name.includes('100k text'))!;
  // a socket open before the panel, as in the bench (the panel attaches to a page that has one)
  const url = server.page('/compare-flood', c.html(server.ws).replace('window.ready = true;', `window.ready = true; window.warm = new WebSocket('${server.ws}/sink?n=1000000000');`));
  const b = await launchBench({ extensionDir: dir, cpu: 0 });
  try {
    const { sessionId: page } = await b.open(url);
    const panel = await openPanel(b);
    await b.cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false }, panel);
    for (const s of [page, panel]) await b.cdp.send('Performance.enable', {}, s);
    const page0 = await threadMs(b, page), panel0 = await threadMs(b, panel);
    await b.cdp.evaluate(page, 'window.start()');
    const { frames } = await waitFor(() => b.cdp.evaluate<{ frames: number } | null>(page, 'window.result'), 'the page to finish');
    await waitFor(() => b.cdp.evaluate<boolean>(panel, `wsInspector.connections().reduce((n, c) => n + c.framesIn + c.framesOut, 0) >= ${frames}`), 'every frame in the panel');
    await new Promise((r) => setTimeout(r, 1200)); // its last redraw (the longest gap is 1 s)
    const v = await b.cdp.evaluate<{ redraws?: number; redrawMs?: number } | null>(panel, 'wsInspector.view()');
    const pageMs = (await threadMs(b, page)) - page0, panelMs = (await threadMs(b, panel)) - panel0;
    return { 'page ms': pageMs, 'panel ms': panelMs, 'panel µs/frame': (panelMs * 1000) / frames, redraws: v?.redraws ?? NaN,
      // wall time of one redraw: what a change to the grid's drawing moves (the pacing turns cheaper redraws into more of them)
      'ms per redraw': v?.redraws ? (v.redrawMs ?? NaN) / v.redraws : NaN };
  } finally {
    await b.close();
  }
}

const CASES_RUN: Record<string, (server: BenchServer, dir: string) => Promise<Record<string, number>>> = {
  flood,
  latency: async (server, dir) => {
    const r = await latencyAtRate(server, dir, 20_000);
    return { 'p50 ms': r.p50, 'p99 ms': r.p99, 'stats() p99 ms': r.ringP99, 'panel µs/frame': (r.panelMs * 1000) / r.sent, lost: r.sent - r.panelFrames };
  },
  clicks: async (server, dir) => {
    const r = await manyFrames(server, dir);
    return { 'streaming ms': median(r.streaming.map((c) => c.paintMs)), 'idle ms': median(r.idle.map((c) => c.paintMs)), clicks: r.streaming.length };
  },
  redraw: async (_server, dir) => {
    const r = await redrawCost(dir);
    return { 'ms per redraw': r.median, p25: r.p25, p75: r.p75, 'rows in DOM': r.domRows };
  },
};

// as in the bench (run.ts): the browsers get CPU 0 (or both cores, for latency and clicks); the server and
// the CDP client (this process) keep to CPU 1
spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
const server = await startBenchServer();
try {
  for (const [name, run] of Object.entries(CASES_RUN)) {
    if (ONLY && !name.includes(ONLY)) continue;
    const got = new Map<string, Record<string, number>[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const dir of builds) {
        const r = await run(server, dir);
        console.log(`${name}, round ${round + 1}, ${dir}: ${Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
        got.set(dir, [...(got.get(dir) ?? []), r]);
      }
    }
    console.log(`\n${name} (medians of ${ROUNDS} rounds):`);
    for (const [dir, rs] of got) console.log(`  ${dir}: ${Object.keys(rs[0]!).map((k) => `${k} ${median(rs.map((r) => r[k]!)).toFixed(1)}`).join(', ')}`);
    console.log('');
  }
} finally {
  await server.close();
}
