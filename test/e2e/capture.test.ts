/**
 * Story 1–2: open the panel after the page did its work and see every socket
 * since load — frames both ways byte for byte, every payload type, every way
 * a socket closes, sockets in iframes — checked against the server's own
 * transcript. The checks are capture-checks.ts, which Firefox runs too
 * (test/firefox/capture.test.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { captureContext, defineCaptureChecks, serveCapturePage, type CaptureContext } from './capture-checks';
import { launch, newestTabId, openPanel, openTestPage, type Browser } from './harness';

let server: TestServer;
let browser: Browser;
let context: CaptureContext;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  const page = await openTestPage(browser, serveCapturePage(server));
  // the panel opens only now: everything must come from the page's history
  context = await captureContext(server, page, await openPanel(browser, await newestTabId(browser)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('capture pipeline, panel opened after the fact', () => defineCaptureChecks(() => context));
