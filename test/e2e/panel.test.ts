/**
 * The panel as a user drives it, by accessible names only: pick a connection,
 * read its close diagnosis, pick frames and read them as JSON, hex and base64,
 * move with the keyboard, clear, switch theme. Also makes the README's
 * screenshots.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, scenarioDone, unnamedControls, until, type Browser } from './harness';
import { shotPath } from './shots';
import { capturePage, childPage } from './pages';

let server: TestServer;
let browser: Browser;
let panel: Page;
let tabId: number;

const connections = () => panel.getByRole('grid', { name: 'Connections' });
const frames = () => panel.getByRole('grid', { name: 'Frames' });
const text = async (l: Locator) => (await l.textContent()) ?? '';
const connectionRow = (urlPart: string, nth = 0) =>
  connections().getByRole('row').filter({ hasText: urlPart }).filter({ hasText: 'top' }).nth(nth);

beforeAll(async () => {
  server = await startTestServer();
  server.page('/child', childPage(server.wsOrigin));
  const url = server.page('/capture', capturePage(server.wsOrigin, server.origin));
  browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(url);
  await scenarioDone(page);
  tabId = await newestTabId(browser);
  panel = await openPanel(browser, tabId, '&theme=light');
  await panel.setViewportSize({ width: 1280, height: 800 });
  await until(async () => (await connections().getByRole('row').count()) >= 12, 'eleven connection rows');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('panel', () => {
  it('lists every connection with state, counts and close code', async () => {
    expect(await connections().getByRole('row').count()).toBe(12); // header + 11
    expect(await text(connections().getByRole('row').filter({ hasText: 'ftp://x/' }))).toContain('failed');
    const closeRow = await text(connectionRow('/close'));
    expect(closeRow).toContain('CLOSED');
    expect(closeRow).toContain('4000');
    expect(await text(connectionRow('/drop'))).toContain('1006');
    expect(await text(panel.getByRole('status', { name: 'Connection status' }))).toBe('Connected');
  });

  it('explains a server close: code name, meaning, reason, clean, who closed', async () => {
    await connectionRow('/close').click();
    const details = panel.getByRole('region', { name: 'Close details' });
    const t = await text(details);
    expect(t).toContain('4000');
    expect(t).toContain('server says bye');
    expect(t).toContain('The server closed the connection');
    expect(t).toMatch(/Clean\s*yes/);
  });

  it('explains an abrupt drop (1006) in plain words', async () => {
    await connectionRow('/drop').click();
    const t = await text(panel.getByRole('region', { name: 'Close details' }));
    expect(t).toContain('1006');
    expect(t).toContain('Abnormal Closure');
    expect(t).toContain('No closing handshake');
    expect(t).toMatch(/network drop/i);
  });

  it('shows what the page asked for when it closed the socket itself', async () => {
    await connectionRow('/echo', 2).click();
    const t = await text(panel.getByRole('region', { name: 'Close details' }));
    expect(t).toContain('3001');
    expect(t).toContain('The page called close()');
    expect(t).toContain('client says bye');
  });

  it('shows a JSON frame pretty-printed and a binary frame as hex and base64', async () => {
    await connectionRow('/echo', 0).click();
    await until(async () => (await frames().getByRole('row').count()) === 13, 'twelve frame rows');
    await frames().getByRole('row').filter({ hasText: 'greet' }).first().click();
    const json = await text(panel.getByRole('region', { name: 'JSON' }));
    expect(json).toContain('"type": "greet"');
    expect(json).toContain('"id": 7');
    // a socket without a protocol: the Decoded section shows the JSON's fields, not one escaped string
    const decoded = panel.getByRole('region', { name: 'Decoded' });
    await until(async () => (await decoded.getByLabel('JSON fields').count()) === 1, 'the JSON fields');
    expect(await decoded.getByLabel('Decoded summary').textContent()).toBe('JSON {type, id}');
    expect(await decoded.getByRole('term').allTextContents()).toEqual(['type', 'id']);
    expect(await decoded.getByRole('definition').allTextContents()).toEqual(['greet', '7']);
    await panel.screenshot({ path: shotPath('panel-light.png') });

    await frames().getByRole('row').filter({ hasText: 'ArrayBuffer' }).first().click();
    expect(await text(panel.getByRole('region', { name: 'Hex' }))).toMatch(/00000000\s+01 02 03 fa/);
    expect(await text(panel.getByRole('region', { name: 'Base64' }))).toContain('AQID+g==');
  });

  it('moves through frames with the keyboard', async () => {
    const selected = () => frames().locator('[role=row][aria-selected=true]');
    await connectionRow('/echo', 0).click();
    await until(async () => (await frames().getByRole('row').count()) === 13, 'twelve frame rows');
    await frames().getByRole('row').filter({ hasText: 'greet' }).first().click();
    const before = await text(selected());
    await frames().focus();
    await panel.keyboard.press('ArrowDown');
    const after = await text(selected());
    expect(after).not.toBe(before);
    await panel.keyboard.press('Home');
    expect(await text(selected())).toContain('hello');
  });

  it('gives every control an accessible name', async () => {
    expect(await unnamedControls(panel)).toEqual([]);
  });

  it('follows the dark theme', async () => {
    const dark = await openPanel(browser, tabId, '&theme=dark');
    await dark.setViewportSize({ width: 1280, height: 800 });
    await until(async () => (await dark.getByRole('grid', { name: 'Connections' }).getByRole('row').count()) >= 12, 'rows');
    expect(await dark.evaluate(() => document.body.className)).toContain('theme-dark');
    await dark.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/close' }).click();
    await dark.screenshot({ path: shotPath('panel-dark.png') });
    await dark.close();
  });

  it('clears captured traffic but keeps live sockets listed', async () => {
    const open = await connections().getByRole('row').filter({ hasText: /OPEN/ }).count(); // case-sensitive: not the "Opened" header
    expect(open).toBeGreaterThan(0);
    await panel.getByRole('button', { name: 'Clear', exact: true }).click();
    await until(async () => (await connections().getByRole('row').count()) === open + 1, 'only open sockets left')
      .catch(async (e) => { throw new Error(`${String(e)}: ${open} open; rows now: ${(await connections().getByRole('row').allTextContents()).join(' | ')}`); });
    expect(await text(connections())).not.toContain('/close');
    expect(await text(panel.getByRole('group', { name: 'Totals' }))).toContain('0 frames');
  });
});
