/**
 * The conformance suite, once for both browsers: test/conformance/conformance.test.ts (Chromium) and
 * test/firefox/conformance.test.ts (Firefox) each say how to launch their browser three ways (plain,
 * with our build, with the naive fixture extension); `observeConformance` runs the scenarios in each,
 * and the `define…` functions hold the checks on what was observed.
 */
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { FrameSnapshot } from '../../src/store/automation';
import { automationIn, until } from '../e2e/harness';
import { startLibraryServers, type LibraryServers } from '../fixtures/library-servers';
import { startTestServer, type TestServer, type Transcript } from '../fixtures/server';
import { HOSTILE_SCENARIOS, LIBRARY_SCENARIOS, SCENARIOS, runAll, runScenario, serveScenarios, type Observed, type ScenarioHost } from './runner';

/** The fixture extension with a naive WebSocket patch, which the suite must catch. */
export const NAIVE = resolve(import.meta.dirname, '../fixtures/naive-extension');
/** Where a naive patch gives itself away: identity/toString, errors without `new`, subclassing, listener wrapping. */
export const NAIVE_SHOWS_IN = ['api-surface', 'constructor-errors', 'subclass', 'events'];

/** A launched browser, as the suite needs it. */
export interface BrowserUnderTest {
  host: ScenarioHost<unknown>;
  /** open the panel for the tab opened last (call before that tab closes) */
  openPanel(): Promise<{ evaluate(expression: string): Promise<unknown>; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface ConformanceResults {
  native: Record<string, Observed>;
  ours: Record<string, Observed>;
  /** only the scenarios in `naiveRan` */
  naive: Record<string, Observed>;
  naiveRan: string[];
  /** per library and hostile scenario: [captured by the panel, seen by the real server], per connection */
  completeness: Record<string, CaptureCheck>;
  /** with the extension in lightweight mode (no panel): every scenario, when a launcher was given */
  lightweight?: Record<string, Observed>;
  /** with deep capture of workers on: the scenarios with workers (WORKER_SCENARIOS), when a launcher was given */
  workers?: Record<string, Observed>;
}

/** Scenarios whose pages start dedicated or module workers (run again with deep capture of workers on). */
export const WORKER_SCENARIOS = SCENARIOS.filter((name) => name.startsWith('workers-') || name === 'frames-workers');

/** One direction of one connection as comparable lines: "binary:<base64>" or "text:<utf8>". */
const line = (binary: boolean, bytes: Buffer) => `${binary ? 'binary' : 'text'}:${binary ? bytes.toString('base64') : bytes.toString('utf8')}`;
const fromFrame = (f: FrameSnapshot) => line(f.kind === 'binary', Buffer.from(f.base64 ?? f.text ?? '', f.base64 !== undefined ? 'base64' : 'utf8'));
const directions = (lines: [string, string][]) => [
  lines.filter(([d]) => d === 'sent').map(([, l]) => l),
  lines.filter(([d]) => d === 'received').map(([, l]) => l),
];

type PanelPage = Awaited<ReturnType<BrowserUnderTest['openPanel']>>;

/** What a panel captured of the connections whose URL has `marker`, once it has as many frames as the transcripts. */
async function capturedIn(panel: PanelPage, name: string, marker: string, transcripts: Transcript[]): Promise<string[][]> {
  const automation = automationIn(panel);
  const expected = transcripts.reduce((n, t) => n + t.entries.length, 0);
  return until(async () => {
    const conns = (await automation.connections()).filter((c) => c.url.includes(marker)).sort((a, c) => a.createdAt - c.createdAt);
    const perConn = await Promise.all(conns.map((c) => automation.frames(c.key)));
    const total = perConn.reduce((n, f) => n + f.length, 0);
    if (total < expected || perConn.some((f) => f.some((x) => x.text === undefined && x.base64 === undefined))) return null;
    return perConn.flatMap((frames) => directions(frames.map((f) => [f.dir === 'out' ? 'sent' : 'received', fromFrame(f)])));
  }, `${name}: ${expected} frames in the panel`, 10_000);
}

/** What the test server saw on the connections whose path has `marker`, as capturedIn gives it. */
const seenByServer = (transcripts: Transcript[]) =>
  transcripts.flatMap((t) => directions(t.entries.map((e) => [e.dir === 'in' ? 'sent' : 'received', line(e.binary, e.data)])));

async function capturedByPanel(b: BrowserUnderTest, name: string, transcripts: Transcript[]): Promise<string[][]> {
  const panel = await b.openPanel();
  try {
    return await capturedIn(panel, name, '/proxy/', transcripts);
  } finally {
    await panel.close();
  }
}

/**
 * A hostile scenario with a panel attached before the page patches anything (so the hook streams while
 * the page spies): `prepared` opens the panel once the page's first socket echoed and waits for it there;
 * `after` reads what the panel captured of the scenario's sockets.
 */
function withPanelAttached(b: BrowserUnderTest, server: TestServer, name: string, onCaptured: (c: CaptureCheck) => void) {
  let panel: PanelPage | undefined;
  const from = server.transcripts.length;
  const marker = `hostile=${name.slice('hostile-'.length)}`;
  return {
    prepared: async () => {
      panel = await b.openPanel();
      const automation = automationIn(panel);
      await until(async () => (await automation.connections()).some((c) => c.url.includes(marker) && c.framesIn + c.framesOut >= 2),
        `${name}: the first socket's echo in the panel`);
    },
    after: async () => {
      if (!panel) return;
      try {
        const transcripts = server.transcripts.slice(from).filter((t) => t.path.includes(marker));
        const captured = await capturedIn(panel, name, marker, transcripts).catch((e: unknown) => [[String(e)]]);
        onCaptured({ captured, server: seenByServer(transcripts) });
      } finally {
        await panel.close();
      }
    },
  };
}

type CaptureCheck = { captured: string[][]; server: string[][] };

export interface ConformanceServers { server: TestServer; close(): Promise<void> }

/** The test server with the scenario pages, proxying to the client libraries' real servers. */
export async function startConformanceServers(): Promise<ConformanceServers> {
  const server = await startTestServer();
  let libraries: LibraryServers | undefined;
  try {
    libraries = await startLibraryServers();
    for (const [name, url] of Object.entries(libraries.upstreams)) server.proxy(name, url);
    serveScenarios(server);
  } catch (e) {
    await server.close();
    throw e;
  }
  return { server, close: async () => { await libraries?.close(); await server.close(); } };
}

/**
 * Every scenario without the extension and with ours (reading, for the library scenarios, what the
 * panel captured before the tab closes), then the scenarios in `naiveRan` with the naive patch.
 */
export async function observeConformance(server: TestServer, launch: {
  plain(): Promise<BrowserUnderTest>; ours(): Promise<BrowserUnderTest>; naive(): Promise<BrowserUnderTest>;
  /** the extension with lightweight mode on */
  lightweight?(): Promise<BrowserUnderTest>;
  /** the extension with deep capture of workers on */
  workers?(): Promise<BrowserUnderTest>;
}, naiveRan: string[]): Promise<ConformanceResults> {
  const plain = await launch.plain();
  const native = await runAll(plain.host, server, 'native').finally(() => plain.close());

  const ours: Record<string, Observed> = {};
  const completeness: ConformanceResults['completeness'] = {};
  const withUs = await launch.ours();
  try {
    for (const name of SCENARIOS) {
      const from = server.transcripts.length;
      if (HOSTILE_SCENARIOS.includes(name)) {
        const attached = withPanelAttached(withUs, server, name, (c) => { completeness[name] = c; });
        ours[name] = await runScenario(withUs.host, server, name, 'ours', attached.after, attached.prepared);
        continue;
      }
      ours[name] = await runScenario(withUs.host, server, name, 'ours', async () => {
        if (!LIBRARY_SCENARIOS.includes(name)) return;
        const transcripts = server.transcripts.slice(from).filter((t) => t.path.startsWith('/proxy/'));
        const captured = await capturedByPanel(withUs, name, transcripts).catch((e: unknown) => [[String(e)]]);
        completeness[name] = { captured, server: seenByServer(transcripts) };
      });
    }
  } finally {
    await withUs.close();
  }

  const naive: Record<string, Observed> = {};
  const withNaive = await launch.naive();
  try {
    for (const name of naiveRan) naive[name] = await runScenario(withNaive.host, server, name, 'naive');
  } finally {
    await withNaive.close();
  }
  let lightweight: Record<string, Observed> | undefined;
  if (launch.lightweight) {
    const light = await launch.lightweight();
    lightweight = await runAll(light.host, server, 'lightweight').finally(() => light.close());
  }
  let workers: Record<string, Observed> | undefined;
  if (launch.workers) {
    const deep = await launch.workers();
    workers = {};
    try {
      for (const name of WORKER_SCENARIOS) workers[name] = await runScenario(deep.host, server, name, 'workers');
    } finally {
      await deep.close();
    }
  }
  return { native, ours, naive, naiveRan, completeness, ...(lightweight ? { lightweight } : {}), ...(workers ? { workers } : {}) };
}

/**
 * The one case deep capture of workers is known to change in Chromium (README, deep capture of workers: what differs): a
 * captured classic worker loads the page's script with importScripts() from its blob: script, so a script that
 * fails to load is an uncaught NetworkError there (an ErrorEvent, and a page error) instead of the plain `error`
 * Event. Taken out of both sides before the comparison; everything else must be equal.
 */
const WORKERS_KNOWN: KnownDifferences = {
  'workers-errors': (o) => ({
    value: { ...(o.value as Record<string, unknown>), 'missing-classic': 'not compared' },
    pageErrors: o.pageErrors.filter((e) => !e.includes("Failed to execute 'importScripts'")),
  }),
};

/** One `it` per scenario with workers: with deep capture of workers on, the page and its workers observe exactly what they do without the extension. */
export function defineWorkersSameAsNative(results: () => ConformanceResults, knownDifferences: KnownDifferences = WORKERS_KNOWN): void {
  it.each(WORKER_SCENARIOS)('%s', (name) => {
    const { native, workers } = results();
    expect(workers, 'the run with deep capture of workers').toBeDefined();
    expect(native[name]!.value).not.toHaveProperty('scenarioError');
    expect(native[name]!.value).not.toHaveProperty('timedOut');
    const known = knownDifferences[name] ?? ((o: Observed) => o);
    expect(known(workers![name]!)).toEqual(known(native[name]!));
  });
}

/** One `it` per scenario: in lightweight mode too, the page observes exactly what it does without the extension. */
export function defineLightweightSameAsNative(results: () => ConformanceResults): void {
  it.each(SCENARIOS)('%s', (name) => {
    const { native, lightweight } = results();
    expect(lightweight, 'the lightweight run').toBeDefined();
    expect(lightweight![name]).toEqual(native[name]);
  });
}

/**
 * What a browser cannot make identical, taken out of what the page observed with the extension before the
 * comparison: scenario name → a function of the observed value. Everything else must still be equal.
 */
export type KnownDifferences = Record<string, (observed: Observed) => Observed>;

/** One `it` per scenario: with the extension, the page observes exactly what it does without it. */
export function defineSameAsNative(results: () => ConformanceResults, known: KnownDifferences = {}): void {
  it.each(SCENARIOS)('%s', (name) => {
    const { native, ours } = results();
    expect(native[name]!.value, 'the scenario itself must work natively').not.toHaveProperty('timedOut');
    expect(native[name]!.value).not.toHaveProperty('scenarioError');
    expect(known[name] ? known[name](ours[name]!) : ours[name]).toEqual(native[name]);
  });
}

/** Every string in a JSON value, mapped. */
export function mapStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, fn));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, fn)]));
  return v;
}

/** The suite can fail: the naive patch shows in every scenario of NAIVE_SHOWS_IN (it ran). */
export function defineNaiveCaught(results: () => ConformanceResults): void {
  it('reports a naive WebSocket patch as different', () => {
    const { native, naive, naiveRan } = results();
    expect(naiveRan).toEqual(expect.arrayContaining(NAIVE_SHOWS_IN));
    const differing = naiveRan.filter((name) => JSON.stringify(naive[name]) !== JSON.stringify(native[name]));
    expect(differing).toEqual(expect.arrayContaining(NAIVE_SHOWS_IN));
  });
}

/** One `it` per library scenario: the panel captured what the real server saw, frame by frame. */
export function defineCaptureMatchesServers(results: () => ConformanceResults): void {
  it.each([...LIBRARY_SCENARIOS, ...HOSTILE_SCENARIOS])('%s', (name) => {
    const c = results().completeness[name]!;
    expect(c.server.flat().length, 'the server saw traffic').toBeGreaterThan(0);
    expect(c.captured).toEqual(c.server);
  });
}
