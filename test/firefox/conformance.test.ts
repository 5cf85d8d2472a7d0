/**
 * Do no harm, in real Firefox ESR: every conformance scenario (test/conformance/scenarios) runs
 * without the add-on and with dist/firefox installed, and what the page observes must be identical.
 * For the real client libraries, what the panel captured must equal what their real servers received
 * and sent, frame by frame, byte for byte. A naive patch (the fixture extension) must be caught here too.
 * The checks are the Chromium suite's (test/conformance/checks.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  defineCaptureMatchesServers, defineNaiveCaught, defineSameAsNative, NAIVE, NAIVE_SHOWS_IN, observeConformance, startConformanceServers,
  type BrowserUnderTest, type ConformanceResults, type ConformanceServers,
} from '../conformance/checks';
import { firefoxHost, launchFirefox, newestTabId, openPanel, type FirefoxBrowser } from './harness';

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
  }, NAIVE_SHOWS_IN); // unlike Chromium, the naive patch runs only the four scenarios where it must show (as before)
}, 240_000);

afterAll(async () => {
  await servers?.close();
});

describe('Firefox: with the add-on, pages observe exactly what they observe without it', () => defineSameAsNative(() => results));
describe('Firefox: the suite can fail', () => defineNaiveCaught(() => results));
describe('Firefox: capture matches what the real servers saw, frame by frame', () => defineCaptureMatchesServers(() => results));
