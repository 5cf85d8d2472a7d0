/**
 * `--profile`: a V8 CPU profile (CDP Profiler) of the page, the panel and the
 * extension's service worker while a case runs, written to test/output/*.cpuprofile
 * (open them in DevTools' Performance panel) and summarised as self time per
 * function, in µs per frame of the case. Profiling slows the code it samples:
 * the CPU ratios of a profiled run are not comparable to the others. Self times
 * are sampled in wall time: a thread preempted by the other browsers on the
 * core is charged to what it was doing (mostly "(program)", native code).
 *
 * With source maps beside the extension's files (run.ts builds such a copy for
 * --profile), functions are named by their source: `src/capture/recorder.ts:120 onMessage`.
 * Not the page hook's: the build pads its replacement functions after the map
 * is made, so its positions no longer match (its functions keep their minified names).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SourceMapConsumer } from 'source-map-js';
import type { BenchBrowser } from './browser';

const OUT = resolve(import.meta.dirname, '../output');

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface Profiles { stop(frames: number): Promise<void> }

type Namer = (f: ProfileNode['callFrame']) => string | undefined;

/** Names a call frame of the extension's files by its source position, through the `.map` beside the file. */
function sourceNamer(extensionDir: string): Namer {
  const maps = new Map<string, SourceMapConsumer | null>();
  return (f) => {
    const m = /^chrome-extension:\/\/[^/]+\/(.+)$/.exec(f.url);
    if (!m) return undefined;
    const file = resolve(extensionDir, m[1]!);
    if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null);
    const pos = maps.get(file)?.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
    if (!pos?.source) return undefined;
    return `${pos.source.replace(/^(\.\.\/)+/, '')}:${pos.line} ${pos.name ?? f.functionName}`;
  };
}

/** Self time by function (name, file, line), most first; `(idle)` left out. */
export function selfTimes(p: CpuProfile, name: Namer = () => undefined): { name: string; ms: number }[] {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const n = byNode.get(p.samples[i]!);
    if (!n || n.callFrame.functionName === '(idle)') continue;
    const f = n.callFrame;
    const file = f.url ? f.url.slice(f.url.lastIndexOf('/') + 1) : '';
    const key = name(f) ?? `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    // a sample's time is the delta to the next one
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
  }
  return [...self].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

export async function startProfiles(b: BenchBrowser, extensionDir: string, sessions: Record<string, string | undefined>): Promise<Profiles> {
  const namer = sourceNamer(extensionDir);
  const targets = Object.entries({ ...sessions, worker: sessions['panel'] ? b.workerSession : undefined }).filter((e): e is [string, string] => !!e[1]);
  for (const [, s] of targets) {
    await b.cdp.send('Profiler.enable', {}, s);
    await b.cdp.send('Profiler.setSamplingInterval', { interval: 200 }, s);
    await b.cdp.send('Profiler.start', {}, s);
  }
  return {
    async stop(frames) {
      mkdirSync(OUT, { recursive: true });
      for (const [what, s] of targets) {
        const { profile } = await b.cdp.send<{ profile: CpuProfile }>('Profiler.stop', {}, s);
        const file = resolve(OUT, `bench-${what.replace(/\W+/g, '-').replace(/-$/, '')}-${Date.now()}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        const rows = selfTimes(profile, namer);
        const total = rows.reduce((n, r) => n + r.ms, 0);
        console.log(`\n  profile of the ${what} (${file}): ${total.toFixed(0)} ms busy, ${((total * 1000) / frames).toFixed(2)} µs per frame; self time, top 15:`);
        for (const r of rows.slice(0, 15)) {
          console.log(`    ${((r.ms * 1000) / frames).toFixed(3).padStart(8)} µs/frame  ${r.ms.toFixed(1).padStart(8)} ms  ${((r.ms * 100) / total).toFixed(1).padStart(5)} %  ${r.name}`);
        }
      }
    },
  };
}
