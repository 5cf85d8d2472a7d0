/**
 * Preserve log across a real reload (like DevTools' own checkbox): with it on,
 * connections and frames of the previous document stay; with it off, a reload
 * starts the panel afresh.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, scenarioDone, until, type Browser } from './harness';
import { reloadPage } from './panel-pages';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;
let page: Page;
let panel: Page;

const urls = () => panel.evaluate(() => wsInspector.connections().map((c) => c.url));
const helloRows = () => panel.getByRole('grid', { name: 'Frames' }).getByRole('row').filter({ hasText: 'hello from document' });

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(server.page('/reload', reloadPage(server.wsOrigin)));
  await scenarioDone(page);
  panel = await openPanel(browser, await newestTabId(browser));
  await until(async () => (await urls()).length === 1, 'the first document\'s socket');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('preserve log', () => {
  it('keeps the previous document\'s connections and frames across a reload when on', async () => {
    const first = (await urls())[0]!;
    await panel.getByRole('checkbox', { name: 'Preserve log' }).check();
    await page.reload();
    await scenarioDone(page);
    const both = await until(async () => { const u = await urls(); return u.length === 2 ? u : null; }, 'old and new document\'s sockets');
    expect(both[0]).toBe(first);
    expect(both[1]).not.toBe(first);
    // every connection's frames together: both documents' hellos (sent and echoed)
    await until(async () => (await helloRows().count()) === 4, 'both documents\' frames in the grid');
    expect(await panel.getByRole('grid', { name: 'Connections' }).getByRole('row').count()).toBe(3);
  });

  it('starts afresh on a reload when off', async () => {
    await panel.getByRole('checkbox', { name: 'Preserve log' }).uncheck();
    const before = await urls();
    await page.reload();
    await scenarioDone(page);
    const after = await until(async () => {
      const u = await urls();
      return u.length === 1 && !before.includes(u[0]!) ? u : null;
    }, 'only the newest document\'s socket');
    expect(after).toHaveLength(1);
    await until(async () => (await helloRows().count()) === 2, 'only the new document\'s frames');
    expect(await panel.getByRole('group', { name: 'Totals' }).textContent()).toContain('1 connection');
  });
});
