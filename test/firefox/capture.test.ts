/**
 * The capture pipeline in real Firefox ESR (dist/firefox as a temporary add-on): the panel opens
 * after the page did its work and must show every socket since load — every payload type byte for
 * byte as the server's transcript has it, server close 4000, client close 3001, drop 1006, sockets
 * in a child frame, an about:blank and a srcdoc iframe. The same page and the same checks
 * (test/e2e/capture-checks.ts) as the Chromium test.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { captureContext, defineCaptureChecks, serveCapturePage, type CaptureContext } from '../e2e/capture-checks';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchFirefox, newestTabId, openPanel, openTestPage, type FirefoxBrowser } from './harness';

let server: TestServer;
let browser: FirefoxBrowser;
let context: CaptureContext;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchFirefox();
  const page = await openTestPage(browser, serveCapturePage(server));
  // the panel opens only now: everything must come from the page's history
  context = await captureContext(server, page, await openPanel(browser, await newestTabId(browser)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: capture pipeline, panel opened after the fact', () => defineCaptureChecks(() => context));
