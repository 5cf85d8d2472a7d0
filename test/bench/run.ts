/**
 * `npm run bench`: the page overhead of the extension, as ratios measured side
 * by side in one run. For every case, pair and mode, two fresh browsers — A
 * without the extension, B with dist/chrome — run the same page at the same
 * time, pinned to the same CPU. The page's main-thread CPU time (CDP
 * Performance.getMetrics ThreadTime: the hook and the relay run there) is
 * compared pair by pair; we report medians and the median of per-pair ratios.
 * CPU time, not task wall time: on one shared core, wall time would also count
 * the time the page was preempted by the other browser or by the panel.
 * Mode "panel": B also has the panel open on the page, attached and streaming.
 *
 * The event-loop-lag case runs A and B one after the other instead (lag measures
 * queueing, which two browsers saturating one core would create), unpinned.
 *
 * Mode "lightweight": DevTools closed, lightweight mode on (messages recorded only while a panel is attached).
 * Options: --pairs N (default 5), --case <substring>, --mode closed|lightweight|panel.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { launchBench, type BenchBrowser } from './browser';
import { CASES, type Case } from './cases';
import { startBenchServer, type BenchServer } from './server';

const EXT = resolve(process.env.WSI_EXTENSION_DIR ?? resolve(import.meta.dirname, '../../dist/chrome'));
const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const PAIRS = Number(arg('pairs') ?? 5);
const ONLY = arg('case');
type Mode = 'closed' | 'lightweight' | 'panel';
const MODES = (arg('mode') ? [arg('mode')] : ['closed', 'lightweight', 'panel']) as Mode[];

interface RunResult { taskMs: number; wallMs: number; page: Record<string, number>; panel?: PanelResult; heapMb: number }
interface PanelResult { events: number; p50: number; p99: number; perSecond: number; dropped: number; frames: number; heapMb: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };
const metric = async (b: BenchBrowser, sessionId: string, name: string) => {
  const { metrics } = await b.cdp.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics', {}, sessionId);
  return metrics.find((m) => m.name === name)?.value ?? NaN;
};

async function waitFor<T>(fn: () => Promise<T | null | undefined>, what: string, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(250);
  }
}

/** Open the page (and for B in panel mode, the panel), run the case, measure. */
async function runOne(b: BenchBrowser, url: string, mode: Mode): Promise<() => Promise<RunResult>> {
  // lightweight mode is read by the page's relay when the page starts
  if (mode === 'lightweight' && b.withExtension) {
    // the worker's extension APIs may not be there the very first moment after launch
    await waitFor(() => b.inWorker<boolean>('typeof chrome !== "undefined" && !!chrome.storage'), 'the service worker\'s chrome.storage');
    await b.inWorker('chrome.storage.local.set({ captureLightweight: true })');
  }
  const { sessionId } = await b.open(url);
  let panelSession: string | undefined;
  if (mode === 'panel' && b.withExtension) {
    const tabId = await b.tabId();
    panelSession = (await b.open(`chrome-extension://${b.extensionId}/extension/panel/panel.html?tabId=${tabId}`)).sessionId;
    await waitFor(() => b.cdp.evaluate<boolean>(panelSession!, 'typeof wsInspector !== "undefined" && wsInspector.connections().length > 0'), 'panel attached');
  }
  // returns the measurement, to be started together with the other browser's
  return async () => {
    const task0 = await metric(b, sessionId, 'ThreadTime');
    await b.cdp.evaluate(sessionId, 'window.start()');
    const page = await waitFor(() => b.cdp.evaluate<Record<string, number> | null>(sessionId, 'window.result'), 'case result');
    const task1 = await metric(b, sessionId, 'ThreadTime');
    const heapMb = (await metric(b, sessionId, 'JSHeapUsedSize')) / 2 ** 20;
    let panel: PanelResult | undefined;
    if (panelSession) {
      await sleep(1000); // let the last batches arrive
      const s = await b.cdp.evaluate<Omit<PanelResult, 'heapMb'>>(panelSession, `(() => {
        const st = wsInspector.stats(); const cs = wsInspector.connections();
        return { events: st.events, p50: st.latency.p50, p99: st.latency.p99, perSecond: st.perSecond,
          dropped: cs.reduce((n, c) => n + c.dropped, 0), frames: cs.reduce((n, c) => n + c.framesIn + c.framesOut, 0) };
      })()`);
      panel = { ...s, heapMb: (await metric(b, panelSession, 'JSHeapUsedSize')) / 2 ** 20 };
    }
    return { taskMs: (task1 - task0) * 1000, wallMs: page.ms ?? NaN, page, panel, heapMb };
  };
}

async function pair(server: BenchServer, c: Case, mode: Mode): Promise<[RunResult, RunResult]> {
  const url = server.page(`/${encodeURIComponent(c.name)}`, c.html(server.ws).replace('window.ready = true;',
    `window.ready = true; window.warm = new WebSocket('${server.ws}/sink?n=1000000000');`));
  if (c.alone) return [await single(url, undefined, mode), await single(url, EXT, mode)];
  const [a, b] = await Promise.all([launchBench({ cpu: 0 }), launchBench({ cpu: 0, extensionDir: EXT })]);
  try {
    const [runA, runB] = await Promise.all([runOne(a, url, mode), runOne(b, url, mode)]);
    return await Promise.all([runA(), runB()]);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function single(url: string, extensionDir: string | undefined, mode: Mode): Promise<RunResult> {
  // alone, the browser may use both cores (its page, panel and browser processes in parallel, as on any machine)
  const b = await launchBench({ extensionDir });
  try {
    return await (await runOne(b, url, mode))();
  } finally {
    await b.close();
  }
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

async function main(): Promise<void> {
  // the browsers get CPU 0; the server (this process) keeps to CPU 1
  spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const server = await startBenchServer();
  console.log(`WebSocket Inspector benchmark — ${PAIRS} pairs per case; A = no extension, B = dist/chrome; both on CPU 0, side by side.`);
  console.log('ratio = B / A of the page main thread CPU time (CDP ThreadTime), median of per-pair ratios [min–max].\n');
  const rows: string[][] = [['case', 'mode', 'A cpu ms', 'B cpu ms', 'ratio', 'spread', 'wall ratio', 'notes']];
  try {
    for (const c of CASES.filter((x) => !ONLY || x.name.includes(ONLY))) {
      for (const mode of MODES) {
        const runs: [RunResult, RunResult][] = [];
        for (let i = 0; i < PAIRS; i++) runs.push(await pair(server, c, mode));
        const ratios = runs.map(([a, b]) => b.taskMs / a.taskMs);
        const wall = runs.map(([a, b]) => b.wallMs / a.wallMs);
        const notes: string[] = [];
        const pageNote = (k: string) => `${k} A ${fmt(median(runs.map(([a]) => a.page[k]!)), 2)} / B ${fmt(median(runs.map(([, b]) => b.page[k]!)), 2)} ms`;
        if ('lagP99' in runs[0]![0].page) notes.push(`lag p99 ${pageNote('lagP99')}`);
        notes.push(`page heap A ${fmt(median(runs.map(([a]) => a.heapMb)))} / B ${fmt(median(runs.map(([, b]) => b.heapMb)))} MB`);
        const p = runs.map(([, b]) => b.panel).filter((x): x is PanelResult => !!x);
        if (p.length) {
          notes.push(`panel: ${fmt(median(p.map((x) => x.frames)), 0)} frames, dropped ${Math.max(...p.map((x) => x.dropped))}, ` +
            `latency p50 ${fmt(median(p.map((x) => x.p50)), 0)} / p99 ${fmt(median(p.map((x) => x.p99)), 0)} ms, ` +
            `ingest ${fmt(median(p.map((x) => x.perSecond)), 0)} events/s, heap ${fmt(median(p.map((x) => x.heapMb)))} MB`);
        }
        rows.push([c.name, mode, fmt(median(runs.map(([a]) => a.taskMs)), 0), fmt(median(runs.map(([, b]) => b.taskMs)), 0),
          `${fmt(median(ratios), 3)}×`, `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}`, `${fmt(median(wall), 3)}×`, notes.join('; ')]);
        console.log(rows.at(-1)!.join(' | '));
      }
    }
  } finally {
    await server.close();
  }
  console.log('\n' + rows.map((r) => `| ${r.join(' | ')} |`).join('\n'));
}

await main();
