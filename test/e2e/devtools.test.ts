/**
 * The panel inside real Chrome DevTools: open DevTools on a page whose sockets
 * were opened before, pick the "WebSocket" tab, see them. Selecting an
 * extension panel needs DevTools internals (they change across Chromium
 * versions), so this is the one test that goes there; the other panel tests
 * use the detached panel page.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { showWebSocketPanel } from './devtools-panel';
import { launchWithDevtools, scenarioDone, until } from './harness';
import { lookAtGrid, overlaps } from './layout-checks';
import { layoutPage } from './layout-page';
import { capturePage, childPage } from './pages';
import { shotPath } from './shots';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchWithDevtools();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('inside Chrome DevTools', () => {
  it('shows the sockets the page opened before DevTools was opened', async () => {
    server.page('/child', childPage(server.wsOrigin));
    const page = await browser.newPage();
    await page.goto(server.page('/capture', capturePage(server.wsOrigin, server.origin)));
    await scenarioDone(page);

    const devtools = await (page as Page & { openDevTools(): Promise<Page> }).openDevTools();
    const panel = await showWebSocketPanel(devtools);
    // the panel took its tab from chrome.devtools.inspectedWindow (no ?tabId= in its URL)
    expect(panel.url()).not.toContain('tabId=');

    // each frame's history comes in its own batch (the child frames' may come a moment after the top one's)
    const rows = await until(async () => {
      const texts = await panel.$$eval('[role=grid][aria-label=Connections] [role=row]', (r) => r.map((x) => x.textContent ?? ''));
      return texts.length >= 8 && texts.some((r) => r.includes('about:blank')) ? texts : null;
    }, 'connections listed in the DevTools panel, the about:blank frame\'s too');
    expect(rows.some((r) => r.includes('/close') && r.includes('4000'))).toBe(true);
    expect(rows.some((r) => r.includes('/drop') && r.includes('1006'))).toBe(true);
    expect(rows.some((r) => r.includes('about:blank'))).toBe(true);

    const status = await panel.$eval('[role=status][aria-label="Connection status"]', (e) => e.textContent);
    expect(status).toBe('Connected');
  });

  it('docked to the right (about 520 px wide): the payload is readable, the details under the list', async () => {
    const page = await browser.newPage();
    await page.goto(server.page('/layout', layoutPage(server.wsOrigin)));
    await scenarioDone(page);
    const devtools = await (page as Page & { openDevTools(): Promise<Page> }).openDevTools();
    // docked to the right: DevTools keeps the inspected page on its left (150 px here), the panel gets ~520 px
    await devtools.setViewport({ width: 670, height: 900 });
    const panel = await showWebSocketPanel(devtools);
    const clickRow = (grid: string, text: string) => panel.evaluate((g, t) => {
      const rows = [...document.querySelectorAll(`[role=grid][aria-label=${g}] [role=row]`)].filter((r) => (r.textContent ?? '').includes(t));
      (rows[rows.length - 1] as HTMLElement | undefined)?.click();
      return rows.length > 0;
    }, grid, text);
    await until(() => clickRow('Connections', '/echo?ticker'), 'the ticker connection');
    await until(() => clickRow('Frames', 'BTC-USD'), 'a ticker frame');
    const look = await until(async () => {
      const l = await panel.evaluate(lookAtGrid);
      return l.payload && l.viewport.width > 0 ? l : null;
    }, 'the grid measured');
    expect(look.viewport.width).toBeGreaterThan(480);
    expect(look.viewport.width).toBeLessThanOrEqual(540);
    expect(look.visibleChars, JSON.stringify(look)).toBeGreaterThanOrEqual(40);
    const data = look.columns.find((c) => c.name === 'Data')!;
    for (const c of look.columns) if (c !== data) expect(data.width).toBeGreaterThan(c.width);
    expect(overlaps(look.grid, look.side!)).toBe(false);
    expect(look.side!.top).toBeGreaterThanOrEqual(look.grid.bottom - 1);
    // every toolbar action on screen or behind the » button
    const toolbar = await panel.evaluate(() => {
      const bar = document.querySelector('[role=toolbar]')!;
      const right = bar.getBoundingClientRect().right;
      return { more: !!bar.querySelector('button[aria-label="More tools"]'), past: [...bar.querySelectorAll('button, label')].filter((b) => b.getBoundingClientRect().right > right + 0.5).length };
    });
    expect(toolbar).toEqual({ more: true, past: 0 });
    await devtools.screenshot({ path: shotPath('devtools-docked-right.png', { readme: false }) });
  });
});
