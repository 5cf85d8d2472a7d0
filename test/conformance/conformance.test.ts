/**
 * Do no harm: every scenario runs in real Chromium without the extension and
 * with dist/chrome loaded, and what the page observes must be identical. A
 * naive patch (a fixture extension) must be caught. For real client libraries,
 * what the panel captured must match, frame by frame and byte by byte, what
 * their real servers received and sent. The checks are checks.ts, which
 * Firefox runs too (test/firefox/conformance.test.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { launch, newestTabId, openPanel, setCaptureWorkers, setLightweight, type Browser } from '../e2e/harness';
import {
  defineCaptureMatchesServers, defineLightweightSameAsNative, defineNaiveCaught, defineSameAsNative, defineWorkersSameAsNative, NAIVE, observeConformance,
  startConformanceServers,
  type BrowserUnderTest, type ConformanceResults, type ConformanceServers,
} from './checks';
import { playwrightHost, SCENARIOS } from './runner';

let servers: ConformanceServers;
let results: ConformanceResults;

const underTest = (b: Browser): BrowserUnderTest => ({
  host: playwrightHost(b),
  openPanel: async () => openPanel(b, await newestTabId(b)),
  close: () => b.close(),
});

beforeAll(async () => {
  servers = await startConformanceServers();
  results = await observeConformance(servers.server, {
    plain: async () => underTest(await launch({ extension: false })),
    ours: async () => underTest(await launch()),
    naive: async () => underTest(await launch({ extensionDir: NAIVE, serviceWorker: false })),
    lightweight: async () => {
      const b = await launch();
      await setLightweight(b, true);
      return underTest(b);
    },
    workers: async () => {
      const b = await launch();
      await setCaptureWorkers(b, true);
      return underTest(b);
    },
  }, SCENARIOS); // the naive patch runs every scenario here: it must differ at least where NAIVE_SHOWS_IN says
}, 300_000);

afterAll(async () => {
  await servers?.close();
});

describe('with the extension, pages observe exactly what they observe without it', () => defineSameAsNative(() => results));
describe('in lightweight mode (no panel: no message listener), pages observe exactly what they observe without it', () => defineLightweightSameAsNative(() => results));
describe('with deep capture of workers on, pages and their workers observe exactly what they observe without it', () => defineWorkersSameAsNative(() => results));
describe('the suite can fail', () => defineNaiveCaught(() => results));
describe('capture matches what the real servers saw, frame by frame', () => defineCaptureMatchesServers(() => results));
