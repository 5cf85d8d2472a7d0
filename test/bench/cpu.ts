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

function threadCpu(pid: number, namePrefix: string): number {
  let sum = 0;
  let tids: string[] = [];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return NaN; }
  for (const tid of tids) {
    const t = stat(`/proc/${pid}/task/${tid}/stat`);
    if (t.name.startsWith(namePrefix)) sum += t.cpu;
  }
  return sum;
}

export async function cpuSnapshot(cdp: Cdp): Promise<CpuSnapshot> {
  const { processInfo } = await cdp.send<{ processInfo: { type: string; id: number; cpuTime: number }[] }>('SystemInfo.getProcessInfo');
  const out: CpuSnapshot = { all: 0, byType: {}, renderers: 0, serviceWorker: 0 };
  for (const p of processInfo) {
    out.all += p.cpuTime;
    out.byType[p.type] = (out.byType[p.type] ?? 0) + p.cpuTime;
    if (p.type !== 'renderer') continue;
    out.renderers += p.cpuTime;
    out.serviceWorker += threadCpu(p.id, 'ServiceWorker t');
  }
  return out;
}

/** What was spent between two snapshots, in ms. */
export function cpuSpent(a: CpuSnapshot, b: CpuSnapshot): { all: number; browser: number; renderers: number; serviceWorker: number } {
  const ms = (x: number) => x * 1000;
  return {
    all: ms(b.all - a.all),
    browser: ms((b.byType['browser'] ?? 0) - (a.byType['browser'] ?? 0)),
    renderers: ms(b.renderers - a.renderers),
    serviceWorker: ms(b.serviceWorker - a.serviceWorker),
  };
}
