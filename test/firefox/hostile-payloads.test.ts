/**
 * Hostile data in Firefox's panel: the Chromium test's page (test/e2e/pages.ts) sends 100,000 nested
 * arrays and objects; selecting each, *Load full payload* and *Expand all* raise no error in the panel,
 * and the JSON tree says where it stopped.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepPayloadsPage } from '../e2e/pages';
import { until } from '../e2e/harness';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchFirefox, newestTabId, openPanel, openTestPage, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

const DEPTH = 100_000;
let server: TestServer;
let browser: FirefoxBrowser;
let panel: Page;
const panelErrors: string[] = [];

/** Click the button named `name` (its text) inside the element labelled `region`, in the panel. */
const click = (region: string, name: string) => panel.evaluate((r, n) => {
  const scope = document.querySelector(`[aria-label="${r}"]`) ?? document;
  const b = [...scope.querySelectorAll('button')].find((x) => x.textContent?.trim() === n);
  if (!b) return false;
  b.click();
  return true;
}, region, name);
const regionText = (region: string) => panel.evaluate((r) => document.querySelector(`[aria-label="${r}"]`)?.textContent ?? '', region);

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchFirefox();
  await openTestPage(browser, server.page('/deep', deepPayloadsPage(server.wsOrigin, DEPTH)));
  panel = await openPanel(browser, await newestTabId(browser));
  panel.on('pageerror', (e: unknown) => panelErrors.push(e instanceof Error ? e.message : String(e)));
  await until(async () => {
    const [c] = await panel.evaluate(() => wsInspector.connections());
    return c && c.framesIn === 2 && c.framesOut === 2;
  }, 'the four deep frames');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: deeply nested payloads in the panel', () => {
  for (const [name, head] of [['arrays', '[[[[[[[[[['], ['objects', '{"a":{"a":{"a":']] as const) {
    it(`${name}: loads the full payload, expands all, and the tree says where it stopped`, async () => {
      await until(() => panel.evaluate((h) => {
        const row = [...document.querySelectorAll('[aria-label="Frames"] [role="row"]')].find((r) => r.textContent?.includes(h));
        (row as HTMLElement | undefined)?.click();
        return !!row;
      }, head), `a row of ${name}`);
      await until(() => click('Frame detail', 'Load full payload'), 'Load full payload');
      await until(async () => !(await regionText('Frame detail')).includes('Truncated'), 'the full payload');
      await until(() => click('JSON', 'Expand all'), 'Expand all');
      const tree = await until(async () => {
        const t = await regionText('JSON tree');
        return t.includes('nested deeper than') ? t : null;
      }, 'the depth note');
      expect(tree).toMatch(/nested deeper than \d+ levels: shown as text from here/);
      expect(panelErrors).toEqual([]);
    });
  }
});
