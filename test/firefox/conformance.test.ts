/**
 * Do no harm, in real Firefox ESR: every conformance scenario (test/conformance/scenarios) runs
 * without the add-on and with dist/firefox installed, and what the page observes must be identical.
 * For the real client libraries, what the panel captured must equal what their real servers received
 * and sent, frame by frame, byte for byte. A naive patch (the fixture extension) must be caught here too.
 * The checks are the Chromium suite's (test/conformance/checks.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  defineCaptureMatchesServers, defineNaiveCaught, defineSameAsNative, defineWorkersSameAsNative, mapStrings, NAIVE, NAIVE_SHOWS_IN,
  observeConformance, startConformanceServers,
  type BrowserUnderTest, type ConformanceResults, type ConformanceServers, type KnownDifferences,
} from '../conformance/checks';
import { firefoxHost, launchFirefox, newestTabId, openPanel, setCaptureWorkers, type FirefoxBrowser } from './harness';

let servers: ConformanceServers;
let results: ConformanceResults;

const underTest = (b: FirefoxBrowser): BrowserUnderTest => ({
  host: firefoxHost(b),
  openPanel: async () => openPanel(b, await newestTabId(b)),
  close: () => b.close(),
});

beforeAll(async () => {
  servers = await startConformanceServers();
  results = await observeConformance(servers.server, {
    plain: async () => underTest(await launchFirefox({ extension: false })),
    ours: async () => underTest(await launchFirefox()),
    naive: async () => underTest(await launchFirefox({ extensionDir: NAIVE })),
    workers: async () => {
      const b = await launchFirefox();
      await setCaptureWorkers(b, true);
      return underTest(b);
    },
  }, NAIVE_SHOWS_IN); // unlike Chromium, the naive patch runs only the four scenarios where it must show (as before)
}, 240_000);

afterAll(async () => {
  await servers?.close();
});

/**
 * SpiderMonkey keeps `stack` as an accessor on Error.prototype / DOMException.prototype: writing it would
 * give the error an own property the page could see, so the hook leaves the stacks of errors thrown
 * through its send/close/constructor as they are — with its own frames, which Firefox names
 * "<anonymous code>" (README, "What is not guaranteed"). Everything else in those stacks must match.
 */
const HOOK_FRAME = /^[^\n@]*@<anonymous code>:\d+:\d+\n/gm;
const FIREFOX_KNOWN: KnownDifferences = {
  'error-stacks': (o) => mapStrings(o, (s) => s.replace(HOOK_FRAME, '')) as typeof o,
};

describe('Firefox: with the add-on, pages observe exactly what they observe without it', () => defineSameAsNative(() => results, FIREFOX_KNOWN));
// the worker hook goes in front of the worker's own script (src/workers/): nothing is known to differ
describe('Firefox: with deep capture of workers on, pages and their workers observe exactly what they observe without it', () => defineWorkersSameAsNative(() => results, {}));
describe('Firefox: the suite can fail', () => defineNaiveCaught(() => results));
describe('Firefox: capture matches what the real servers saw, frame by frame', () => defineCaptureMatchesServers(() => results));
