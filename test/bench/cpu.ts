/**
 * CPU time of a benchmark browser's processes and of the extension's service
 * worker thread, for the figures CDP does not give per target.
 *
 * - Per process: CDP SystemInfo.getProcessInfo (browser-wide, every process with
 *   its type and pid, cumulative CPU seconds).
 * - Renderers: the page's, the panel's, the service worker's (Chrome puts the
 *   extension's pages and worker in one process, or starts the worker in a spare
 *   renderer: which one is not visible from CDP), and idle ones (the first blank
 *   tab). Their sum is "page + panel processes"; the idle ones add ~0.
 * - The service worker's thread: Performance.getMetrics does not exist on worker
 *   targets, so we read the thread's CPU from /proc (Linux; its name is
 *   "ServiceWorker thread", cut to 15 characters by the kernel). Granularity is a
 *   clock tick (10 ms): good for totals of a few hundred ms and more.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Cdp } from './cdp';

const TICK = 100; // USER_HZ on Linux

export interface CpuSnapshot {
  /** seconds, summed over every process of the browser */
  all: number;
  /** seconds, per process type (browser, renderer, GPU, network …) */
  byType: Record<string, number>;
  /** seconds, every renderer process */
  renderers: number;
  /** seconds, the extension's service worker thread */
  serviceWorker: number;
  /** seconds, renderer threads summed by name (a renderer's main thread is named "chromium") */
  threads: Record<string, number>;
}

const read = (path: string): string => { try { return readFileSync(path, 'utf8'); } catch { return ''; } };

/** utime + stime of a /proc stat line, in seconds, and the thread or process name. */
function stat(path: string): { name: string; cpu: number } {
  const s = read(path);
  const close = s.lastIndexOf(')');
  if (close < 0) return { name: '', cpu: 0 };
  const f = s.slice(close + 2).split(' ');
  return { name: s.slice(s.indexOf('(') + 1, close), cpu: (Number(f[11]) + Number(f[12])) / TICK };
}

function threadsOf(pid: number): { name: string; cpu: number }[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => stat(`/proc/${pid}/task/${tid}/stat`));
  } catch {
    return [];
  }
}

export async function cpuSnapshot(cdp: Cdp): Promise<CpuSnapshot> {
  const { processInfo } = await cdp.send<{ processInfo: { type: string; id: number; cpuTime: number }[] }>('SystemInfo.getProcessInfo');
  const out: CpuSnapshot = { all: 0, byType: {}, renderers: 0, serviceWorker: 0, threads: {} };
  for (const p of processInfo) {
    out.all += p.cpuTime;
    out.byType[p.type] = (out.byType[p.type] ?? 0) + p.cpuTime;
    if (p.type !== 'renderer') continue;
    out.renderers += p.cpuTime;
    for (const t of threadsOf(p.id)) {
      out.threads[t.name] = (out.threads[t.name] ?? 0) + t.cpu;
      if (t.name.startsWith('ServiceWorker t')) out.serviceWorker += t.cpu;
    }
  }
  return out;
}

/** What was spent between two snapshots, in ms. */
export function cpuSpent(a: CpuSnapshot, b: CpuSnapshot): {
  all: number; browser: number; renderers: number; serviceWorker: number; threads: Record<string, number>;
} {
  const ms = (x: number) => x * 1000;
  const threads: Record<string, number> = {};
  for (const [name, cpu] of Object.entries(b.threads)) threads[name] = ms(cpu - (a.threads[name] ?? 0));
  return {
    threads,
    all: ms(b.all - a.all),
    browser: ms((b.byType['browser'] ?? 0) - (a.byType['browser'] ?? 0)),
    renderers: ms(b.renderers - a.renderers),
    serviceWorker: ms(b.serviceWorker - a.serviceWorker),
  };
}
