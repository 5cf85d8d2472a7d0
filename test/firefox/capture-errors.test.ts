/**
 * If capture fails anyway, the panel says so, in Firefox too: the Chromium test's hostile page
 * (test/e2e/pages.ts, a protocols Proxy that throws when the hook reads it) — the socket and every frame
 * are still captured, and the panel counts the capture error in its status bar and on the connection.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileProtocolsPage } from '../e2e/pages';
import { until } from '../e2e/harness';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchFirefox, newestTabId, openPanel, openTestPage, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: FirefoxBrowser;
let page: Page;
let panel: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchFirefox();
  page = await openTestPage(browser, server.page('/hostile-protocols', hostileProtocolsPage(server.wsOrigin)));
  panel = await openPanel(browser, await newestTabId(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: capture errors', () => {
  it('the page saw nothing wrong; every frame is in the panel; the error is counted and shown', async () => {
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['one', 'two ✓', 'bytes']);
    const frames = await until(async () => {
      const [conn] = await panel.evaluate(() => wsInspector.connections());
      const f = conn ? await panel.evaluate((key) => wsInspector.frames(key), conn.key) : [];
      return f.length === 6 ? f : null;
    }, 'the socket\'s six frames');
    expect(frames.map((f) => `${f.dir} ${f.text ?? f.base64}`)).toEqual(['out one', 'out two ✓', 'out AQID', 'in one', 'in two ✓', 'in AQID']);
    const status = await until(() => panel.evaluate(() => document.querySelector('[aria-label="Capture errors"]')?.textContent), 'the status bar');
    expect(status).toBe('capture errors: 1');
    expect(await panel.evaluate(() => wsInspector.connections()[0]!.captureErrors)).toBe(1);
  });
});
