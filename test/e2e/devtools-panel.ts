/**
 * The WebSocket panel inside real Chrome DevTools (puppeteer's openDevTools()): selecting a DevTools
 * panel needs DevTools' own internals, which change across Chromium versions, so they live here, once.
 * `waitForFunction` on the DevTools page times out (its CSP): callers poll from Node (`until`).
 */
import type { Frame, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { until } from './harness';

/** Open DevTools on a page (docked; headless). */
export const openDevTools = (page: Page): Promise<Page> => (page as Page & { openDevTools(): Promise<Page> }).openDevTools();

/** Show a DevTools panel by the end of its tab id ('WebSocket' for ours, 'sources' …); its id. */
export function showPanel(devtools: Page, idEnd: string): Promise<string> {
  // a string, so the test transform leaves this import() alone: it runs inside DevTools' own module graph
  const select = `(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    const view = UI.InspectorView.InspectorView.instance();
    const id = view.tabbedPane.tabIds().find((t) => t.endsWith(${JSON.stringify(idEnd)}));
    if (id) await view.showPanel(id);
    return id;
  })()`;
  return until(() => devtools.evaluate(select) as Promise<string | undefined>, `the ${idEnd} panel in DevTools`);
}

/** The id of the DevTools panel shown now. */
export function shownPanel(devtools: Page): Promise<string> {
  return devtools.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    return UI.InspectorView.InspectorView.instance().tabbedPane.selectedTabId;
  })()`) as Promise<string>;
}

/** Select our panel in the DevTools window and return its frame. */
export async function showWebSocketPanel(devtools: Page): Promise<Frame> {
  const panelId = await showPanel(devtools, 'WebSocket');
  expect(panelId).toMatch(/^chrome-extension:\/\/[a-p]{32}WebSocket$/);
  return until(() => devtools.frames().find((f) => f.url().includes('/extension/panel/panel.html')), 'panel frame');
}
