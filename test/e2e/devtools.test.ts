/**
 * The panel inside real Chrome DevTools: open DevTools on a page whose sockets
 * were opened before, pick the "WebSocket" tab, see them. Selecting an
 * extension panel needs DevTools internals (they change across Chromium
 * versions), so this is the one test that goes there; the other panel tests
 * use the detached panel page.
 */
import type { Browser, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchWithDevtools, scenarioDone, until } from './harness';
import { capturePage, childPage } from './pages';

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

/** Select our panel in the DevTools window and return its frame. */
async function showWebSocketPanel(devtools: Page): Promise<Frame> {
  // DevTools front-end internals: the tab ids of its main panels. A string, so the test
  // transform leaves this import() alone: it runs inside DevTools' own module graph.
  const select = `(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    const view = UI.InspectorView.InspectorView.instance();
    const id = view.tabbedPane.tabIds().find((t) => t.endsWith('WebSocket'));
    if (id) await view.showPanel(id);
    return id;
  })()`;
  const panelId = await until(() => devtools.evaluate(select) as Promise<string | undefined>, 'the WebSocket panel in DevTools');
  expect(panelId).toMatch(/^chrome-extension:\/\/[a-p]{32}WebSocket$/);
  return until(() => devtools.frames().find((f) => f.url().includes('/extension/panel/panel.html')), 'panel frame');
}

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

    const rows = await until(async () => {
      const texts = await panel.$$eval('[role=grid][aria-label=Connections] [role=row]', (r) => r.map((x) => x.textContent ?? ''));
      return texts.length >= 8 ? texts : null;
    }, 'connections listed in the DevTools panel');
    expect(rows.some((r) => r.includes('/close') && r.includes('4000'))).toBe(true);
    expect(rows.some((r) => r.includes('/drop') && r.includes('1006'))).toBe(true);
    expect(rows.some((r) => r.includes('about:blank'))).toBe(true);

    const status = await panel.$eval('[role=status][aria-label="Connection status"]', (e) => e.textContent);
    expect(status).toBe('Connected');
  });
});
