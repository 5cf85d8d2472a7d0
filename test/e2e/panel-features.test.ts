/**
 * The panel's frame grid, filters, detail views, row menu, keyboard, charts,
 * close diagnostics, split panes and memory cap, driven by accessible names in
 * real Chromium against a real server (issue 4's stories).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, rendered, scenarioDone, serviceWorker, unnamedControls, until, type Browser } from './harness';
import { shotPath } from './shots';
import { FEED, featuresPage, floodPage } from './panel-pages';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;
let page: Page;
let panel: Page;
let tabId: number;

const text = async (l: Locator) => (await l.textContent()) ?? '';
const framesGrid = (p: Page = panel) => p.getByRole('grid', { name: 'Frames' });
const connGrid = () => panel.getByRole('grid', { name: 'Connections' });
const filters = () => panel.getByRole('search', { name: 'Frame filters' });
const filterBox = () => filters().getByRole('searchbox', { name: 'Filter' });
const typeBox = (name: 'Text' | 'Binary' | 'Lifecycle') => filters().getByRole('group', { name: 'Types' }).getByRole('checkbox', { name, exact: true });
const region = (name: string) => panel.getByRole('region', { name, exact: true });
/** The grid's body rows (the header row is the first). */
const bodyRows = () => framesGrid().getByRole('row').filter({ hasNot: panel.getByRole('columnheader') });
const rowTexts = () => bodyRows().allTextContents();
const selectedRow = () => framesGrid().locator('[role=row][aria-selected=true]');
const headers = () => framesGrid().getByRole('columnheader').allTextContents();

/** Wait until the grid's rows satisfy `ok`. */
const rowsUntil = (ok: (rows: string[]) => boolean, what: string) =>
  until(async () => { const r = await rowTexts(); return ok(r) ? r : null; }, what)
    .catch(async (e) => { throw new Error(`${String(e)}; rows: ${(await rowTexts()).join(' | ').slice(0, 800)}`); });

async function pickConnection(part: string): Promise<void> {
  await connGrid().getByRole('row').filter({ hasText: part }).first().click();
  await until(async () => (await filters().getByRole('combobox', { name: 'Connection' }).inputValue()) !== '-1', 'connection filter set');
}

async function resetFilters(): Promise<void> {
  await filterBox().fill('');
  await filters().getByRole('checkbox', { name: 'Invert' }).setChecked(false);
  await filters().getByRole('combobox', { name: 'Direction' }).selectOption('all');
  await typeBox('Text').setChecked(true);
  await typeBox('Binary').setChecked(true);
  await typeBox('Lifecycle').setChecked(false);
}

/** Record what the panel copies (navigator.clipboard.writeText replaced by a recorder). */
async function recordClipboard(): Promise<void> {
  await panel.evaluate(() => {
    const w = window as unknown as { copied: string[] };
    w.copied = [];
    navigator.clipboard.writeText = async (t: string) => { w.copied.push(t); };
  });
}
const copied = () => panel.evaluate(() => (window as unknown as { copied: string[] }).copied);

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(server.page('/features', featuresPage(server.wsOrigin)));
  await scenarioDone(page, 30_000);
  tabId = await newestTabId(browser);
  panel = await openPanel(browser, tabId, '&theme=light');
  await panel.setViewportSize({ width: 1280, height: 800 });
  await until(async () => (await connGrid().getByRole('row').count()) >= 6, 'five connections listed');
  await until(() => panel.evaluate(() => wsInspector.connections().reduce((n, c) => n + c.frameCount, 0) >= 320), 'every frame in the panel');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('all connections and one', () => {
  it('shows every connection\'s frames together, with a Connection column, until a connection is picked', async () => {
    expect(await filters().getByRole('combobox', { name: 'Connection' }).inputValue()).toBe('-1');
    expect(await headers()).toContain('Connection');
    await filterBox().fill('socket');
    const rows = await rowsUntil((r) => r.length === 2, 'the other socket\'s two frames');
    expect(rows.every((r) => r.includes('/echo?other'))).toBe(true);
    await filterBox().fill('');

    await pickConnection('/echo?feed');
    expect(await headers()).not.toContain('Connection');
    await rowsUntil((r) => r.length === 16, 'the feed socket\'s 16 frames');
    expect(await text(filters().getByRole('status', { name: 'Filter result' }))).toBe('16 shown of 16 frames');
  });
});

describe('filters', () => {
  beforeAll(async () => {
    await pickConnection('/echo?feed');
    await resetFilters();
  });

  it('matches text case-insensitively, and /regex/ with its flags', async () => {
    await filterBox().fill('error');
    let rows = await rowsUntil((r) => r.length === 4, 'four error frames (two sent, two echoed)');
    expect(rows.filter((r) => r.includes('ERROR: disk full'))).toHaveLength(2);
    await filterBox().fill('/^ERROR/');
    rows = await rowsUntil((r) => r.length === 2, 'only the upper-case ones');
    expect(rows.every((r) => r.includes('ERROR: disk full'))).toBe(true);
    await filterBox().fill('/^error/i');
    await rowsUntil((r) => r.length === 4, 'both cases with the i flag');
    await filterBox().fill('/"id":\\s*42/');
    rows = await rowsUntil((r) => r.length === 2, 'the JSON frame by a regex over its text');
    expect(rows[0]).toContain('Trade');
  });

  it('says when a regex does not compile, and keeps the last good filter', async () => {
    await filterBox().fill('/^error/i');
    await rowsUntil((r) => r.length === 4, 'good filter');
    await filterBox().fill('/a(/');
    const alert = filters().getByRole('alert');
    expect(await text(alert)).toMatch(/Invalid regular expression/);
    expect(await filterBox().getAttribute('aria-invalid')).toBe('true');
    expect(await rowTexts()).toHaveLength(4);
  });

  it('combines direction, types and invert', async () => {
    await resetFilters();
    await filterBox().fill('error');
    await filters().getByRole('combobox', { name: 'Direction' }).selectOption({ label: 'Sent' });
    let rows = await rowsUntil((r) => r.length === 2, 'sent errors');
    expect(rows.every((r) => r.includes('sent'))).toBe(true);
    await filters().getByRole('checkbox', { name: 'Invert' }).check();
    rows = await rowsUntil((r) => r.length === 6, 'sent frames that are not errors');
    expect(rows.some((r) => /error/i.test(r))).toBe(false);
    await typeBox('Binary').uncheck();
    rows = await rowsUntil((r) => r.length === 4, 'sent text frames that are not errors');
    expect(rows.some((r) => r.includes('binary'))).toBe(false);
    await resetFilters();
    await typeBox('Text').uncheck();
    rows = await rowsUntil((r) => r.length === 4, 'only binary frames, both ways');
    expect(rows.every((r) => r.includes('binary'))).toBe(true);
    await filters().getByRole('combobox', { name: 'Direction' }).selectOption({ label: 'Received' });
    await rowsUntil((r) => r.length === 2 && r.every((x) => x.includes('received')), 'received binary frames');
  });

  it('finds ASCII inside binary frames', async () => {
    await resetFilters();
    await filterBox().fill('topic/prices');
    const rows = await rowsUntil((r) => r.length === 2, 'the binary frame carrying the topic, both ways');
    expect(rows.every((r) => r.includes('binary'))).toBe(true);
  });

  it('shows lifecycle events as rows when asked', async () => {
    await resetFilters();
    await typeBox('Lifecycle').check();
    const rows = await rowsUntil((r) => r.length === 18, 'created and open rows besides the 16 frames');
    expect(rows[0]).toContain('new WebSocket("ws://');
    expect(rows[1]).toContain('open · protocol (none)');
    await typeBox('Text').uncheck();
    await typeBox('Binary').uncheck();
    await rowsUntil((r) => r.length === 2, 'lifecycle rows only');
    await resetFilters();
  });

  it('saves a filter in storage.local and applies it in another panel', async () => {
    await filterBox().fill('/^error/i');
    await filters().getByRole('combobox', { name: 'Direction' }).selectOption({ label: 'Received' });
    await rowsUntil((r) => r.length === 2, 'received errors');
    await filters().getByRole('button', { name: 'Save filter' }).click();
    const sw = await serviceWorker(browser);
    const stored = await until(async () => {
      const v = (await sw.evaluate(() => chrome.storage.local.get('panel:savedFilters')))['panel:savedFilters'] as { name: string }[] | undefined;
      return v?.length ? v : null;
    }, 'saved filter in storage.local');
    expect(stored[0]).toEqual({ name: 'received · /^error/i', spec: { dir: 'in', text: true, binary: true, lifecycle: false, query: '/^error/i', invert: false } });

    const second = await openPanel(browser, tabId, '&theme=light');
    try {
      const saved = second.getByRole('combobox', { name: 'Saved filters' });
      await until(async () => (await saved.locator('option').allTextContents()).includes('received · /^error/i'), 'saved filter listed');
      await second.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/echo?feed' }).click();
      await saved.selectOption({ label: 'received · /^error/i' });
      expect(await second.getByRole('searchbox', { name: 'Filter' }).inputValue()).toBe('/^error/i');
      await until(async () => (await framesGrid(second).getByRole('row').count()) === 3, 'the saved filter applied');
      await second.getByRole('button', { name: 'Delete saved filter' }).click();
      await until(async () => {
        const v = (await sw.evaluate(() => chrome.storage.local.get('panel:savedFilters')))['panel:savedFilters'] as unknown[];
        return v.length === 0;
      }, 'deleted from storage');
    } finally {
      await second.close();
    }
    await resetFilters();
  });
});

describe('keyboard', () => {
  it('"/" focuses the filter and Escape clears it', async () => {
    await pickConnection('/echo?feed');
    await framesGrid().focus();
    await panel.keyboard.press('/');
    expect(await filterBox().evaluate((el) => el === document.activeElement)).toBe(true);
    await panel.keyboard.type('hello');
    await rowsUntil((r) => r.length === 4, 'hello frames (two cases, both ways)');
    await panel.keyboard.press('Escape');
    expect(await filterBox().inputValue()).toBe('');
    await rowsUntil((r) => r.length === 16, 'all frames again');
  });

  it('moves the selection with arrows, Page Down, Home and End, and the grid follows', async () => {
    await pickConnection('/push?n=300');
    await rowsUntil((r) => r.length > 10, 'stream rows');
    await framesGrid().focus();
    await panel.keyboard.press('Home');
    expect(await text(selectedRow())).toContain('{"i":0,');
    await panel.keyboard.press('ArrowDown');
    expect(await text(selectedRow())).toContain('{"i":1,');
    await panel.keyboard.press('PageDown');
    const after = Number(/"i":(\d+)/.exec(await text(selectedRow()))?.[1]);
    expect(after).toBeGreaterThan(5);
    await panel.keyboard.press('End');
    expect(await text(selectedRow())).toContain('{"i":299,');
    await panel.keyboard.press('ArrowUp');
    expect(await text(selectedRow())).toContain('{"i":298,');
    // only the rows in view exist
    expect((await rowTexts()).length).toBeLessThan(100);
  });
});

describe('frame detail', () => {
  beforeAll(async () => {
    await pickConnection('/echo?feed');
    await resetFilters();
  });

  it('shows JSON as a tree that collapses and expands, and raw on request', async () => {
    await bodyRows().filter({ hasText: 'Trade' }).first().click();
    const json = region('JSON');
    expect(await text(json)).toContain('"type": "Trade"');
    expect(await text(json)).toContain('"id": 42');
    await json.getByRole('button', { name: 'Collapse "order"' }).click();
    expect(await text(json)).not.toContain('"id": 42');
    expect(await text(json)).toContain('2 keys');
    await json.getByRole('button', { name: 'Expand "order"' }).click();
    expect(await text(json)).toContain('"id": 42');
    await json.getByRole('button', { name: 'Collapse all' }).click();
    expect(await text(json)).not.toContain('"id": 42');
    expect(await text(json)).toContain('"user": "ann"');
    expect(await json.getByRole('button', { name: 'Collapse root' }).getAttribute('aria-expanded')).toBe('true');
    await json.getByRole('button', { name: 'Expand all' }).click();
    expect(await text(json)).toContain('"user": "ann"');
    await json.getByRole('checkbox', { name: 'Raw' }).check();
    expect(await text(json)).toContain(FEED.trade);
    await json.getByRole('checkbox', { name: 'Raw' }).uncheck();
  });

  it('shows binary as a hex dump with offsets, base64, and UTF-8 (saying when it is not valid)', async () => {
    await bodyRows().filter({ hasText: 'ff fe 41 42' }).first().click();
    expect(await text(region('Hex'))).toMatch(/00000000\s+ff fe 41 42\s+\|\.\.AB\|/);
    expect(await text(region('Base64'))).toContain('//5BQg==');
    const utf8 = await text(region('UTF-8'));
    expect(utf8).toContain('Not valid UTF-8');
    expect(utf8).toContain('\ufffd\ufffdAB');
  });

  it('says a large payload is truncated, loads it whole, and pages it', async () => {
    await bodyRows().filter({ hasText: 'LLLL' }).first().click();
    const detail = region('Frame detail');
    // the stream carries a preview of large payloads
    expect(await text(detail)).toMatch(/Truncated: showing \d+ of 307200 bytes/);
    await detail.getByRole('button', { name: 'Load full payload' }).click();
    await until(async () => !(await text(detail)).includes('Truncated'), 'the full payload');
    const view = region('Text');
    const head = (await text(view)).slice(0, 20);
    expect(head).toBe('TextLLLLLLLLLLLLLLLL');
    expect(await text(view.locator('.pager'))).toBe('‹ PreviousPage 1 of 2: characters 0–262,143 of 307,200Next ›');
    expect((await text(view)).includes('L!')).toBe(false);
    await view.getByRole('button', { name: 'Next text page' }).click();
    expect(await text(view.locator('.pager'))).toContain('Page 2 of 2: characters 262,144–307,199 of 307,200');
    expect((await text(view)).includes('L!')).toBe(true);
    expect(await view.getByRole('button', { name: 'Next text page' }).isDisabled()).toBe(true);
    await view.getByRole('button', { name: 'Previous text page' }).click();
    expect(await text(view.locator('.pager'))).toContain('Page 1 of 2');
  });

  it('copies as text, JSON, base64 and hex, and refuses JSON for a payload that is not', async () => {
    await recordClipboard();
    await bodyRows().filter({ hasText: 'Trade' }).first().click();
    const copy = region('Frame detail').getByRole('group', { name: 'Copy' });
    await copy.getByRole('button', { name: 'Copy as JSON' }).click();
    await copy.getByRole('button', { name: 'Copy as text' }).click();
    await bodyRows().filter({ hasText: 'ff fe 41 42' }).first().click();
    await copy.getByRole('button', { name: 'Copy as hex' }).click();
    await copy.getByRole('button', { name: 'Copy as base64' }).click();
    await until(async () => (await copied()).length === 4, 'four copies');
    expect(await copied()).toEqual([JSON.stringify(JSON.parse(FEED.trade), null, 2), FEED.trade, 'ff fe 41 42', '//5BQg==']);
    expect(await text(copy.getByRole('status', { name: 'Copy result' }))).toContain('Copied as base64');
    await copy.getByRole('button', { name: 'Copy as JSON' }).click();
    expect(await text(copy.getByRole('alert'))).toContain('not JSON');
  });

  it('falls back to a selected textarea when navigator.clipboard is not allowed', async () => {
    await panel.evaluate(() => {
      const w = window as unknown as { fallback: string[] };
      w.fallback = [];
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Document is not focused.', 'NotAllowedError'));
      document.addEventListener('copy', (e) => { w.fallback.push((e.target as HTMLTextAreaElement).value); });
    });
    await bodyRows().filter({ hasText: 'hello world' }).first().click();
    await region('Frame detail').getByRole('button', { name: 'Copy as hex' }).click();
    const got = await until(() => panel.evaluate(() => (window as unknown as { fallback: string[] }).fallback[0]), 'the fallback copy');
    expect(got).toBe('68 65 6c 6c 6f 20 77 6f 72 6c 64');
    await recordClipboard();
  });
});

describe('row menu', () => {
  it('copies, replays and filters by connection from a row\'s context menu', async () => {
    await resetFilters();
    await filters().getByRole('combobox', { name: 'Connection' }).selectOption('-1');
    await filterBox().fill('hello world');
    await rowsUntil((r) => r.length === 2, 'hello world both ways');
    await recordClipboard();
    const sent = bodyRows().filter({ hasText: 'sent' }).first();
    await sent.click({ button: 'right' });
    const menu = panel.getByRole('menu', { name: 'Frame menu' });
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Copy as text', 'Copy as JSON', 'Copy as base64', 'Copy as hex', 'Replay', 'Filter by this connection', 'Columns…',
    ]);
    await menu.getByRole('menuitem', { name: 'Copy as base64' }).click();
    await until(async () => (await copied()).length === 1, 'copied from the menu');
    expect(await copied()).toEqual([btoa(FEED.hello)]);
    expect(await menu.count()).toBe(0);

    // keyboard: Shift+F10 on the grid opens it for the selected row; Escape closes it
    await framesGrid().focus();
    await panel.keyboard.press('Shift+F10');
    await until(() => menu.isVisible(), 'menu from the keyboard');
    expect(await panel.evaluate(() => document.activeElement?.textContent)).toBe('Copy as text');
    await panel.keyboard.press('ArrowDown');
    expect(await panel.evaluate(() => document.activeElement?.textContent)).toBe('Copy as JSON');
    await panel.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);

    const before = server.transcripts.find((t) => t.path === '/echo?feed')!.entries.length;
    await sent.click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Replay' }).click();
    await until(async () => (await text(panel.getByRole('status', { name: 'Menu action result' }))).includes('Replayed 11 bytes of text'), 'replayed');
    await until(() => server.transcripts.find((t) => t.path === '/echo?feed')!.entries.length >= before + 2, 'the replay at the server and its echo');

    await sent.click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Filter by this connection' }).click();
    const conn = await until(() => panel.evaluate(() => wsInspector.connections().find((c) => c.url.includes('/echo?feed'))), 'feed');
    expect(await filters().getByRole('combobox', { name: 'Connection' }).inputValue()).not.toBe('-1');
    expect(await text(filters().getByRole('combobox', { name: 'Connection' }).locator('option:checked'))).toContain('/echo?feed');
    expect(conn).toBeTruthy();
    await rowsUntil((r) => r.length === 4 && r.every((x) => !x.includes('/echo?other')), 'the feed\'s hello world rows, replay included');

    await bodyRows().first().click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Show all connections' }).click();
    expect(await filters().getByRole('combobox', { name: 'Connection' }).inputValue()).toBe('-1');
    await filterBox().fill('');
  });

  it('chooses the grid\'s columns from the header (right click) or the row menu, kept in storage.local', async () => {
    const columnsMenu = panel.getByRole('menu', { name: 'Columns' });
    await framesGrid().getByRole('columnheader', { name: 'Size' }).click({ button: 'right' });
    // a column the grid has no room for beside the payload says so: "(no room)"
    const items = await columnsMenu.getByRole('menuitemcheckbox').allTextContents();
    expect(items.map((x) => x.replace(/ \(no room\)$/, ''))).toEqual(['✓Time', '✓Since open', '✓Size', '✓Type', '✓Connection', '✓Decoded']);
    await columnsMenu.getByRole('menuitemcheckbox', { name: 'Size' }).click();
    await until(async () => !(await headers()).includes('Size'), 'the Size column hidden');
    const sw = await serviceWorker(browser);
    await until(async () => JSON.stringify((await sw.evaluate(() => chrome.storage.local.get('panel:hiddenColumns')))['panel:hiddenColumns']) === '["size"]', 'kept');
    // keyboard: the row menu's Columns… opens it, focus on its first item; Enter toggles
    await bodyRows().first().click();
    await framesGrid().focus();
    await panel.keyboard.press('Shift+F10');
    await panel.getByRole('menu', { name: 'Frame menu' }).getByRole('menuitem', { name: 'Columns…' }).press('Enter');
    await until(() => columnsMenu.isVisible(), 'the Columns menu from the row menu');
    expect(await columnsMenu.getByRole('menuitemcheckbox', { name: 'Size' }).getAttribute('aria-checked')).toBe('false');
    await until(async () => (await panel.evaluate(() => document.activeElement?.getAttribute('role'))) === 'menuitemcheckbox', 'focus in the menu');
    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('Enter');
    await until(async () => (await headers()).includes('Size'), 'the Size column back');
    await until(async () => JSON.stringify((await sw.evaluate(() => chrome.storage.local.get('panel:hiddenColumns')))['panel:hiddenColumns']) === '[]', 'kept again');
  });
});

describe('connection diagnostics', () => {
  it('explains a 1009 close: name, meaning, hint, reason, clean, initiator, last frames', async () => {
    await pickConnection('/close?code=1009');
    const t = await text(region('Close details'));
    expect(t).toContain('1009 Message Too Big');
    expect(t).toContain('larger than the receiving side is willing to process');
    expect(t).toContain('Send smaller messages');
    expect(t).toContain('too big');
    expect(t).toMatch(/Clean\s*yes/);
    expect(t).toContain('The server closed the connection');
    expect(t).toMatch(/Open for\s*\d/);
    expect(t).toMatch(/Last activity\s*last frame/);
    const last = region('Close details').getByRole('list', { name: 'Last frames before the close' });
    expect(await text(last)).toContain('a message the server finds too big');
    expect(await text(last)).toMatch(/ms before\)/);
  });

  it('draws the message rate and bufferedAmount as charts with axes, and the readyState durations', async () => {
    await pickConnection('/echo?feed');
    const details = region('Connection details');
    const rate = details.getByRole('img', { name: /^Message rate in frames per second/ });
    expect(await rate.getAttribute('aria-label')).toMatch(/peak [\d.,]+\/s sent, [\d.,]+\/s received/);
    // axis labels: rate on y, seconds on x
    const ticks = await rate.locator('text').allTextContents();
    expect(ticks.some((x) => x.endsWith('/s'))).toBe(true);
    expect(ticks.some((x) => x.endsWith(' s'))).toBe(true);
    expect(await rate.locator('polyline').count()).toBe(2);
    const buffered = details.getByRole('img', { name: /^bufferedAmount over time, peak/ });
    expect((await buffered.locator('text').allTextContents()).some((x) => / (B|KB)$/.test(x))).toBe(true);
    expect(await details.getByRole('img', { name: /^readyState durations: CONNECTING \d+ ms, OPEN/ }).count()).toBe(1);
    const facts = await text(details);
    expect(facts).toMatch(/Sent\s*9 frames/);
    expect(facts).toMatch(/Rate\s*[\d.,]+(\/s)?/);
    // the list says protocol, extensions, duration and rate for every socket
    const row = await text(connGrid().getByRole('row').filter({ hasText: '/echo?feed' }));
    expect(row).toMatch(/permessage-deflate/);
    expect(row).toMatch(/\/s/);
  });
});

describe('layout', () => {
  it('resizes both splits with the keyboard and the pointer; separators say where they are', async () => {
    const top = panel.getByRole('separator', { name: 'Resize connections and frames' });
    const side = panel.getByRole('separator', { name: 'Resize frames and details' });
    const height = () => panel.locator('.top-pane').evaluate((el) => el.getBoundingClientRect().height);
    const v0 = Number(await top.getAttribute('aria-valuenow'));
    const h0 = await height();
    // the connection list is as tall as its rows: it can be made smaller (and back, up to its rows)
    await top.focus();
    await panel.keyboard.press('ArrowUp');
    await panel.keyboard.press('ArrowUp');
    expect(Number(await top.getAttribute('aria-valuenow'))).toBeLessThan(v0);
    expect(await height()).toBeLessThan(h0);
    await panel.keyboard.press('Home');
    expect(Number(await top.getAttribute('aria-valuenow'))).toBe(5);
    await panel.keyboard.press('End');
    expect(await height()).toBeGreaterThanOrEqual(h0);

    const w0 = Number(await side.getAttribute('aria-valuenow'));
    const box = (await side.boundingBox())!;
    await panel.mouse.move(box.x + box.width / 2, box.y + 50);
    await panel.mouse.down();
    await panel.mouse.move(box.x - 200, box.y + 50, { steps: 4 });
    await panel.mouse.up();
    expect(Number(await side.getAttribute('aria-valuenow'))).toBeLessThan(w0 - 10);
    await side.focus();
    await panel.keyboard.press('PageDown');
    await top.focus();
    await panel.keyboard.press('PageDown');
    await panel.keyboard.press('PageDown');
  });

  it('gives every control an accessible name, menu and JSON tree included', async () => {
    await pickConnection('/echo?feed');
    await bodyRows().filter({ hasText: 'Trade' }).first().click({ button: 'right' });
    expect(await unnamedControls(panel)).toEqual([]);
    expect(await panel.getByRole('menu').count()).toBe(1);
    await panel.keyboard.press('Escape');
  });

  it('renders captured data as text, never as HTML', async () => {
    await page.evaluate(() => (window as unknown as { feed: WebSocket }).feed.send('<img src=x onerror="window.pwned=1"><b>bold</b>'));
    await filterBox().fill('<img');
    await rowsUntil((r) => r.length === 2, 'the HTML-looking frame, both ways');
    await bodyRows().first().click();
    expect(await text(region('Text'))).toContain('<img src=x onerror="window.pwned=1"><b>bold</b>');
    expect(await panel.locator('.side b, .side img, .frame-grid img').count()).toBe(0);
    expect(await panel.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await filterBox().fill('');
  });

  it('makes a screenshot of every connection\'s frames with lifecycle rows', async () => {
    await filters().getByRole('combobox', { name: 'Connection' }).selectOption('-1');
    await typeBox('Lifecycle').check();
    await filterBox().fill('/trade|open|close|error/i');
    await rowsUntil((r) => r.length > 6, 'a mixed view');
    await bodyRows().filter({ hasText: 'Trade' }).first().click();
    await panel.screenshot({ path: shotPath('panel-filters.png') });
    await resetFilters();
  });
});

describe('memory cap', () => {
  it('shows memory used against the cap, evicts the oldest frames when lowered, and says so', async () => {
    const flood = await browser.context.newPage();
    await flood.goto(server.page('/flood', floodPage(server.wsOrigin, 4000, 600)));
    await scenarioDone(flood, 30_000);
    const p = await openPanel(browser, await newestTabId(browser), '&theme=light');
    try {
      await p.setViewportSize({ width: 1280, height: 800 });
      await until(() => p.evaluate(() => wsInspector.memory().frames === 4000), 'all 4000 frames');
      const memory = p.getByRole('group', { name: 'Memory' });
      expect(await text(memory)).toMatch(/Memory [\d.]+ MB of 512\.0 MB/);
      expect(await text(memory)).not.toContain('evicted');

      const cap = p.getByRole('spinbutton', { name: 'Memory cap (MB)' });
      await cap.fill('1');
      await cap.press('Enter');
      const m = await until(async () => { const x = await p.evaluate(() => wsInspector.memory()); return x.evicted > 0 ? x : null; }, 'eviction');
      expect(m.cap).toBe(1024 * 1024);
      expect(m.used).toBeLessThanOrEqual(m.cap);
      expect(m.frames + m.evicted).toBe(4000);
      await until(async () => /Memory [\d.]+ (KB|MB) of 1\.0 MB/.test(await text(memory)), 'the new cap shown');
      expect(await text(memory)).toContain(`${m.evicted.toLocaleString('en-US')} oldest frames evicted`);
      await p.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/push' }).click();
      expect(await p.getByText(/older frames were evicted to stay under the memory cap \(1\.0 MB\)/).isVisible()).toBe(true);
      // the newest frames are the ones kept, and the list still counts all that were captured
      const kept = await p.evaluate(() => wsInspector.frames(wsInspector.connections()[0]!.key).map((f) => (JSON.parse(f.text!) as { i: number }).i));
      expect(kept.at(-1)).toBe(3999);
      expect(kept[0]).toBe(m.evicted);
      expect(await text(p.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/push' }))).toContain('4,000');
      const sw = await serviceWorker(browser);
      expect((await sw.evaluate(() => chrome.storage.local.get('panel:memoryCap')))['panel:memoryCap']).toBe(1024 * 1024);
      await p.screenshot({ path: shotPath('panel-memory.png') });

      // reading older frames while newer ones push the oldest out: the same rows stay in view
      const grid = framesGrid(p);
      await grid.focus();
      await p.keyboard.press('End');
      for (let i = 0; i < 5; i++) await p.keyboard.press('PageUp');
      const picked = grid.locator('[role=row][aria-selected=true]');
      const before = { text: await text(picked), y: (await picked.boundingBox())!.y };
      const evictedBefore = m.evicted;
      await flood.evaluate(() => (window as unknown as { more: (n: number, size: number) => Promise<number> }).more(400, 600));
      // an evicted frame frees its decoded summary too, so 400 new frames evict fewer than 400 old ones
      await until(async () => (await p.evaluate(() => wsInspector.memory().evicted)) >= evictedBefore + 200, 'more evictions');
      await rendered(p);
      expect(await text(picked)).toBe(before.text);
      expect(Math.abs((await picked.boundingBox())!.y - before.y)).toBeLessThanOrEqual(20);
      await cap.fill('512');
      await cap.press('Enter');
      await until(async () => (await text(memory)).includes('of 512.0 MB'), 'cap back to 512 MB');
    } finally {
      await p.close();
      await flood.close();
    }
  });
});
