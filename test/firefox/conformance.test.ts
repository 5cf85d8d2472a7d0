/**
 * Do no harm, in real Firefox ESR: every conformance scenario (test/conformance/scenarios) runs
 * without the add-on and with dist/firefox installed, and what the page observes must be identical.
 * For the real client libraries, what the panel captured must equal what their real servers received
 * and sent, frame by frame, byte for byte. A naive patch (the fixture extension) must be caught here too.
 */
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameSnapshot } from '../../src/store/automation';
import { startLibraryServers, type LibraryServers } from '../fixtures/library-servers';
import { startTestServer, type TestServer, type Transcript } from '../fixtures/server';
import { LIBRARY_SCENARIOS, SCENARIOS, runAll, runScenario, serveScenarios, type Observed } from '../conformance/runner';
import { firefoxHost, launchFirefox, newestTabId, openPanel, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

const NAIVE = resolve(import.meta.dirname, '../fixtures/naive-extension');
/** where a naive patch gives itself away (the Chromium suite checks the same four) */
const NAIVE_SHOWS_IN = ['api-surface', 'constructor-errors', 'subclass', 'events'];

let server: TestServer;
let libraries: LibraryServers;
let native: Record<string, Observed>;
let ours: Record<string, Observed>;
const naive: Record<string, Observed> = {};
const completeness: Record<string, { captured: string[][]; server: string[][] }> = {};

const line = (binary: boolean, bytes: Buffer) => `${binary ? 'binary' : 'text'}:${binary ? bytes.toString('base64') : bytes.toString('utf8')}`;
const fromFrame = (f: FrameSnapshot) => line(f.kind === 'binary', Buffer.from(f.base64 ?? f.text ?? '', f.base64 !== undefined ? 'base64' : 'utf8'));
const directions = (lines: [string, string][]) => [
  lines.filter(([d]) => d === 'sent').map(([, l]) => l),
  lines.filter(([d]) => d === 'received').map(([, l]) => l),
];

async function capturedByPanel(b: FirefoxBrowser, name: string, transcripts: Transcript[]): Promise<string[][]> {
  const panel: Page = await openPanel(b, await newestTabId(b));
  try {
    const expected = transcripts.reduce((n, t) => n + t.entries.length, 0);
    return await until(async () => {
      const conns = (await panel.evaluate(() => wsInspector.connections()))
        .filter((c) => c.url.includes('/proxy/')).sort((a, c) => a.createdAt - c.createdAt);
      const perConn = await Promise.all(conns.map((c) => panel.evaluate((k) => wsInspector.frames(k), c.key)));
      const total = perConn.reduce((n, f) => n + f.length, 0);
      if (total < expected || perConn.some((f) => f.some((x) => x.text === undefined && x.base64 === undefined))) return null;
      return perConn.flatMap((frames) => directions(frames.map((f) => [f.dir === 'out' ? 'sent' : 'received', fromFrame(f)])));
    }, `${name}: ${expected} frames in the panel`, 10_000);
  } finally {
    await panel.close();
  }
}

beforeAll(async () => {
  server = await startTestServer();
  libraries = await startLibraryServers();
  for (const [name, url] of Object.entries(libraries.upstreams)) server.proxy(name, url);
  serveScenarios(server);

  const plain = await launchFirefox({ extension: false });
  native = await runAll(firefoxHost(plain), server, 'native').finally(() => plain.close());

  const withUs = await launchFirefox();
  try {
    ours = {};
    for (const name of SCENARIOS) {
      const from = server.transcripts.length;
      ours[name] = await runScenario(firefoxHost(withUs), server, name, 'ours', async () => {
        if (!LIBRARY_SCENARIOS.includes(name)) return;
        const transcripts = server.transcripts.slice(from).filter((t) => t.path.startsWith('/proxy/'));
        const captured = await capturedByPanel(withUs, name, transcripts).catch((e: unknown) => [[String(e)]]);
        const seen = transcripts.flatMap((t) => directions(t.entries.map((e) => [e.dir === 'in' ? 'sent' : 'received', line(e.binary, e.data)])));
        completeness[name] = { captured, server: seen };
      });
    }
  } finally {
    await withUs.close();
  }

  const withNaive = await launchFirefox({ extensionDir: NAIVE });
  try {
    for (const name of NAIVE_SHOWS_IN) naive[name] = await runScenario(firefoxHost(withNaive), server, name, 'naive');
  } finally {
    await withNaive.close();
  }
}, 240_000);

afterAll(async () => {
  await libraries?.close();
  await server?.close();
});

describe('Firefox: with the add-on, pages observe exactly what they observe without it', () => {
  it.each(SCENARIOS)('%s', (name) => {
    expect(native[name]!.value, 'the scenario itself must work natively').not.toHaveProperty('timedOut');
    expect(native[name]!.value).not.toHaveProperty('scenarioError');
    expect(ours[name]).toEqual(native[name]);
  });
});

describe('Firefox: the suite can fail', () => {
  it('reports a naive WebSocket patch as different', () => {
    const differing = NAIVE_SHOWS_IN.filter((name) => JSON.stringify(naive[name]) !== JSON.stringify(native[name]));
    expect(differing).toEqual(NAIVE_SHOWS_IN);
  });
});

describe('Firefox: capture matches what the real servers saw, frame by frame', () => {
  it.each(LIBRARY_SCENARIOS)('%s', (name) => {
    const c = completeness[name]!;
    expect(c.server.flat().length, 'the server saw traffic').toBeGreaterThan(0);
    expect(c.captured).toEqual(c.server);
  });
});
