/**
 * If capture fails anyway, the panel says so — never silence. A hostile page hands `new WebSocket()` a
 * protocols list that is a Proxy whose trap throws once the browser has read it: the hook's own read of
 * it fails. The socket is still captured, every frame of it is in the panel, and the panel counts the
 * failure where the user looks: the status bar ("capture errors: 1", with what it means), the note above
 * the frames, and the connection's row.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, scenarioDone, until, type Browser } from './harness';
import { hostileProtocolsPage } from './pages';
import { shotPath } from './shots';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;
let page: Page;
let panel: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.page('/hostile-protocols', hostileProtocolsPage(server.wsOrigin)));
  await scenarioDone(page);
  panel = await openPanel(browser, await newestTabId(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('capture errors', () => {
  it('the page itself saw nothing go wrong', async () => {
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['one', 'two ✓', 'bytes']);
    expect(await page.evaluate(() => (window as unknown as { closeCode: number }).closeCode)).toBe(1000);
    expect(pageErrors).toEqual([]);
  });

  it('every frame that was captured is in the panel', async () => {
    const frames = await until(async () => {
      const [conn] = await panel.evaluate(() => wsInspector.connections());
      const f = conn ? await panel.evaluate((key) => wsInspector.frames(key), conn.key) : [];
      return f.length === 6 ? f : null;
    }, 'the socket\'s six frames');
    expect(frames.map((f) => `${f.dir} ${f.text ?? f.base64}`)).toEqual([
      'out one', 'out two ✓', 'out AQID', 'in one', 'in two ✓', 'in AQID',
    ]);
  });

  it('says how many capture errors there were: status bar, note above the frames, the connection\'s row', async () => {
    const status = panel.getByRole('status', { name: 'Capture errors' });
    await until(async () => (await status.count()) === 1, 'the capture error in the status bar');
    expect(await status.textContent()).toBe('capture errors: 1');
    expect(await status.getAttribute('title')).toContain('frames or events may be missing');
    expect(await panel.evaluate(() => wsInspector.captureErrors())).toBe(1);
    const [conn] = await panel.evaluate(() => wsInspector.connections());
    expect(conn!.captureErrors).toBe(1);
    const row = panel.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/echo' });
    expect(await row.textContent()).toContain('1 capture error');
    expect(await panel.getByRole('alert').filter({ hasText: 'capture error' }).first().textContent()).toContain('1 capture error: ');
    await panel.screenshot({ path: shotPath('capture-errors.png', { readme: false }) });
  });
});
