/**
 * Hostile data, small: a page sends text frames of 100,000 nested `[` … `]` and of 100,000 nested objects.
 * In the panel, selecting them, *Load full payload*, *Expand all*, the Decoded section, copying as JSON and
 * the exports must not throw (no "Maximum call stack size exceeded"): the JSON tree stops at a depth and
 * says where ("nested deeper than N levels: shown as text from here").
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, rendered, scenarioDone, until, type Browser } from './harness';
import { deepPayloadsPage } from './pages';
import { shotPath } from './shots';

declare const wsInspector: import('../../src/store/automation').Automation;

const DEPTH = 100_000;
const deepArrays = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObjects = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);

let server: TestServer;
let browser: Browser;
let panel: Page;
const panelErrors: string[] = [];

const text = async (l: Locator) => (await l.textContent()) ?? '';
const region = (name: string) => panel.getByRole('region', { name, exact: true });
const framesGrid = () => panel.getByRole('grid', { name: 'Frames' });

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(server.page('/deep', deepPayloadsPage(server.wsOrigin, DEPTH)));
  await scenarioDone(page);
  panel = await openPanel(browser, await newestTabId(browser));
  panel.on('pageerror', (e) => panelErrors.push(e.message));
  await until(async () => {
    const [c] = await panel.evaluate(() => wsInspector.connections());
    return c && c.framesIn === 2 && c.framesOut === 2;
  }, 'the four deep frames');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('deeply nested payloads in the panel', () => {
  for (const [name, payload, bytes] of [['arrays', deepArrays, 2 * DEPTH], ['objects', deepObjects, 6 * DEPTH + 1]] as const) {
    it(`${name}: loads the full payload, shows the tree to a depth and says where it stopped, expands all, copies`, async () => {
      const row = framesGrid().getByRole('row').filter({ hasText: payload.slice(0, 30) }).first();
      await row.click();
      const detail = region('Frame detail');
      expect(await text(detail)).toContain(`of ${bytes} bytes`);
      await detail.getByRole('button', { name: 'Load full payload' }).click();
      await until(async () => !(await text(detail)).includes('Truncated'), 'the full payload');
      const tree = panel.getByRole('group', { name: 'JSON tree' });
      await region('JSON').getByRole('button', { name: 'Expand all' }).click();
      await rendered(panel);
      expect(await text(tree)).toMatch(/nested deeper than \d+ levels: shown as text from here/);
      await detail.getByRole('button', { name: 'Copy as JSON' }).click();
      expect(await text(detail.getByRole('alert'))).toBe('Cannot copy as JSON: the JSON is nested deeper than 1000 levels: copy it as text');
      await panel.screenshot({ path: shotPath(`deep-${name}.png`, { readme: false }) });
      expect(panelErrors).toEqual([]);
    });
  }

  it('exports both as HAR and NDJSON without an error', async () => {
    for (const name of ['Export HAR', 'Export NDJSON']) {
      const download = panel.waitForEvent('download');
      await panel.getByRole('button', { name }).click();
      const file = await download;
      expect(await file.failure()).toBeNull();
    }
    expect(panelErrors).toEqual([]);
  });
});
