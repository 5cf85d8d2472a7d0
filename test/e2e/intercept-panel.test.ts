/**
 * Interception from the panel, driven by accessible names in real Chromium against a real server: the
 * Intercept tab's breakpoints hold messages in order, the editor forwards them edited (or drops them), a
 * received message reaches the page edited and typed by its binaryType, what comes later (and the close)
 * waits behind a held one, everything goes on when the panel closes or a hold times out; the grid and the
 * frame detail say what happened. The server's transcript and the page's own listeners are the judges.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, openTestPage, unnamedControls, until, type Browser } from './harness';
import { interceptPage, type Seen } from './intercept-pages';
import { shotPath } from './shots';

declare const wsInspector: import('../../src/store/automation').Automation & import('../../src/intercept/automation').InterceptionAutomation;

let server: TestServer;
let browser: Browser;
let page: Page;
let panel: Page;
let tabId: number;

const region = (name: string, p: Page = panel) => p.getByRole('region', { name, exact: true });
const tab = () => panel.getByRole('tabpanel', { name: 'Intercept' });
const heldList = () => region('Held messages').getByRole('list', { name: 'Held messages' });
const heldItems = () => heldList().getByRole('button');
const editor = () => region('Held message');
const framesGrid = () => panel.getByRole('grid', { name: 'Frames' });

const open = (q: string, binaryType = 'arraybuffer') =>
  page.evaluate(([x, b]) => (window as unknown as { open_(q: string, b: string): Promise<void> }).open_(x!, b!), [q, binaryType]);
const send = (q: string, data: string | number[]) =>
  page.evaluate(([x, d]) => (window as unknown as { send_(q: string, d: unknown): void }).send_(x as string, d), [q, data] as const);
const seen = (q: string) => page.evaluate((x) => (window as unknown as { seen: Seen[] }).seen.filter((s) => s.q === x), q);
const atServer = (q: string) => (server.transcripts.find((t) => t.path.endsWith(`?${q}`))?.entries ?? [])
  .filter((e) => e.dir === 'in').map((e) => (e.binary ? [...e.data] : e.data.toString('utf8')));
const heldCount = (n: number) => until(async () => (await heldItems().count()) === n, `${n} held in the queue`);
const interception = () => panel.evaluate(() => wsInspector.interception());
/** The settings reached every hook (so what the page does next is intercepted). */
const applied = () => until(async () => (await interception()).applied, 'the settings applied in the page');

/** Select the Intercept tab (again if a redraw took the first click: seen once in a full run, the tab not selected 30 s later). */
async function showIntercept(): Promise<void> {
  const button = panel.getByRole('tab', { name: 'Intercept', exact: true });
  await until(async () => {
    if ((await button.getAttribute('aria-selected')) === 'true') return true;
    await button.click();
    return false;
  }, 'the Intercept tab selected');
}

/**
 * Turn a breakpoint on or off, clicking again if a click did not take: in a full run under load, a click
 * once landed while the side pane redrew for a new socket and the checkbox stayed as it was.
 */
async function turn(name: 'Intercept sent' | 'Intercept received', on: boolean): Promise<void> {
  await showIntercept();
  const box = tab().getByRole('checkbox', { name, exact: true });
  await until(async () => {
    if ((await box.isChecked()) === on) return true;
    await box.click();
    return false;
  }, `${name} ${on ? 'on' : 'off'}`);
  await applied();
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  page = await openTestPage(browser, server.page('/intercept-panel', interceptPage(server.wsOrigin)));
  tabId = await newestTabId(browser);
  await open('first');
  panel = await openPanel(browser, tabId, '&theme=light');
  await panel.setViewportSize({ width: 1280, height: 860 });
  await until(async () => (await panel.evaluate(() => wsInspector.connections())).length > 0, 'the panel attached');
});

afterEach(async () => {
  // everything off between tests (what is held goes on)
  const banner = region('Interception on');
  if (await banner.count()) await banner.getByRole('button', { name: 'Turn off' }).click();
  await showIntercept();
  await tab().getByRole('textbox', { name: 'Condition' }).fill('');
  await until(async () => { const s = await interception(); return !s.active && s.held.length === 0 && s.applied; }, 'interception off');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('breakpoints on sent messages', () => {
  it('holds two sends; the first, edited in the editor, reaches the server before the second', async () => {
    await open('two-sends');
    await turn('Intercept sent', true);
    await send('two-sends', '{"n":1,"text":"one"}');
    await send('two-sends', 'two');
    await heldCount(2);
    expect(atServer('two-sends')).toEqual([]);
    // the first is in the editor, JSON pretty-printed
    const box = editor().getByRole('textbox', { name: 'Edit held message' });
    expect(await box.inputValue()).toBe('{\n  "n": 1,\n  "text": "one"\n}');
    expect(await heldItems().first().textContent()).toContain('1 message waiting behind it');
    await box.fill('{\n  "n": 1,\n  "text": "ONE (edited)"\n}');
    await editor().getByRole('button', { name: 'Forward', exact: true }).click();
    await until(() => atServer('two-sends').length === 1, 'the edited one at the server');
    await heldCount(1);
    // the second waited behind the first; sent compact, it goes compact
    expect(atServer('two-sends')).toEqual(['{"n":1,"text":"ONE (edited)"}']);
    await editor().getByRole('button', { name: 'Forward', exact: true }).click();
    await until(() => atServer('two-sends').length === 2, 'the second at the server');
    expect(atServer('two-sends')).toEqual(['{"n":1,"text":"ONE (edited)"}', 'two']);

    // the grid marks the edited row; its detail shows the original and the change
    const row = framesGrid().getByRole('row').filter({ hasText: '"text":"one"' }).first();
    expect(await row.textContent()).toContain('Held by the breakpoint (matched every message), then edited by you.');
    await row.click();
    const diff = region('Frame detail').getByRole('region', { name: 'Interception' });
    expect(await diff.locator('del').allTextContents()).toEqual(['  "text": "one"\n']);
    expect(await diff.locator('ins').allTextContents()).toEqual(['  "text": "ONE (edited)"\n']);
  });

  it('drops a held send: the server never gets it; a condition holds only what matches', async () => {
    await open('drop');
    await showIntercept();
    await tab().getByRole('textbox', { name: 'Condition' }).fill('secret');
    await turn('Intercept sent', true);
    await send('drop', 'plain 1');
    await send('drop', 'the SECRET one');
    await heldCount(1);
    expect(await heldItems().first().textContent()).toContain('matched secret');
    await editor().getByRole('button', { name: 'Drop', exact: true }).click();
    await heldCount(0);
    await send('drop', 'plain 2');
    await until(() => atServer('drop').length === 2, 'the plain ones');
    expect(atServer('drop')).toEqual(['plain 1', 'plain 2']);
    const row = framesGrid().getByRole('row').filter({ hasText: 'the SECRET one' }).first();
    expect(await row.textContent()).toContain('Held by the breakpoint (matched secret), then dropped by you.');
  });

  it('says why a condition is not applied', async () => {
    await showIntercept();
    await tab().getByRole('textbox', { name: 'Condition' }).fill('/(unclosed/');
    expect(await tab().getByRole('alert').first().textContent()).toContain('Condition not applied: Invalid regular expression');
    await tab().getByRole('textbox', { name: 'Condition' }).fill('decoded:x');
    expect(await tab().getByRole('alert').first().textContent()).toContain('"decoded:" needs the panel\'s decoders');
  });
});

describe('breakpoints on received messages', () => {
  for (const binaryType of ['arraybuffer', 'blob'] as const) {
    it(`holds a message; the page gets it edited, typed by binaryType (${binaryType}), then what waited behind it, then the close`, async () => {
      const q = `recv-${binaryType}`;
      await open(q, binaryType);
      await showIntercept();
      await tab().getByRole('textbox', { name: 'Condition' }).fill('hold');
      await turn('Intercept received', true);
      await send(q, 'hold me');
      await heldCount(1);
      await send(q, 'after');
      await send(q, [1, 2, 3]);
      // the echoes came (the page has none yet) before the page closes: a socket that is closing gets no more messages
      await until(async () => (await heldItems().first().textContent())?.includes('2 messages waiting behind it'), 'two messages behind it');
      await page.evaluate((x) => (window as unknown as { sockets: Record<string, WebSocket> }).sockets[x]!.close(3001, 'bye'), q);
      // the server echoed everything and closed; the panel logged it all; the page got nothing yet
      await until(async () => (await heldItems().first().textContent())?.includes('2 messages and the close waiting behind it'), 'two messages and the close behind it')
        .catch(async (e) => {
          const frames = await panel.evaluate((x) => wsInspector.frames(wsInspector.connections().find((k) => k.url.endsWith(x))!.key), q);
          throw new Error(`${String(e)}: ${await heldItems().first().textContent()} ${JSON.stringify(frames)}`);
        });
      expect(await seen(q)).toEqual([]);
      // readyState is the socket's own: closed, while the close event waits for the page
      expect(await page.evaluate((x) => (window as unknown as { sockets: Record<string, WebSocket> }).sockets[x]!.readyState, q)).toBe(3);
      // edited as bytes: the page gets binary, typed by its binaryType
      await editor().getByRole('radio', { name: 'Hex', exact: true }).check();
      const box = editor().getByRole('textbox', { name: 'Edit held message' });
      expect(await box.inputValue()).toBe('68 6f 6c 64 20 6d 65');
      await box.fill('65 64 69 74 65 64');
      await editor().getByRole('button', { name: 'Forward', exact: true }).click();
      const got = await until(async () => { const s = await seen(q); return s.length === 4 && s.every((x) => x.ev !== 'message' || x.data) ? s : null; }, 'everything at the page');
      const binType = binaryType === 'blob' ? 'Blob' : 'ArrayBuffer';
      expect(got).toEqual([
        { q, ev: 'message', isTrusted: false, type: binType, data: [...Buffer.from('edited')] },
        { q, ev: 'message', isTrusted: false, type: 'string', data: 'after' },
        { q, ev: 'message', isTrusted: false, type: binType, data: [1, 2, 3] },
        { q, ev: 'close', code: 3001, reason: 'bye', readyState: 3 },
      ]);
    });
  }
});

describe('failing open', () => {
  it('lets a held message go after the timeout, with the action chosen (drop), and what waited behind it', async () => {
    await open('timeout');
    await showIntercept();
    await tab().getByRole('textbox', { name: 'Condition' }).fill('timed');
    await tab().getByRole('spinbutton', { name: 'Timeout (s)' }).fill('1');
    await tab().getByRole('combobox', { name: 'When the timeout ends' }).selectOption('drop');
    await turn('Intercept sent', true);
    await send('timeout', 'timed 1');
    await heldCount(1);
    await send('timeout', 'behind it');
    await until(() => atServer('timeout').length === 1, 'the one behind, after the timeout dropped the first');
    expect(atServer('timeout')).toEqual(['behind it']);
    await heldCount(0);
    const row = framesGrid().getByRole('row').filter({ hasText: 'timed 1' }).first();
    expect(await row.textContent()).toContain('then dropped when its hold timed out');
    await tab().getByRole('spinbutton', { name: 'Timeout (s)' }).fill('30');
    await tab().getByRole('combobox', { name: 'When the timeout ends' }).selectOption('forward');
  });

  it('every control is named; a held message being edited (screenshot)', async () => {
    await open('shot');
    await turn('Intercept sent', true);
    await send('shot', '{"type":"order","item":"book","qty":1,"price":12.5}');
    await send('shot', '{"type":"order","item":"pen","qty":3,"price":1.2}');
    await heldCount(2);
    // the grid shows that socket's frames only
    await panel.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/echo?shot' }).click();
    await showIntercept();
    await editor().getByRole('textbox', { name: 'Edit held message' }).fill('{\n  "type": "order",\n  "item": "book",\n  "qty": 100,\n  "price": 0.01\n}');
    expect(await unnamedControls(panel)).toEqual([]);
    await panel.screenshot({ path: shotPath('intercept-held.png') });
  });

  it('releases everything in order when the panel closes', async () => {
    await open('panel-close');
    await turn('Intercept sent', true);
    await send('panel-close', 'held when the panel closed');
    await send('panel-close', 'behind it');
    await heldCount(2);
    await panel.close();
    await until(() => atServer('panel-close').length === 2, 'sent after the panel went');
    expect(atServer('panel-close')).toEqual(['held when the panel closed', 'behind it']);
    // nothing is intercepted without a panel
    await send('panel-close', 'no panel');
    await until(() => atServer('panel-close').length === 3, 'sent at once');
    panel = await openPanel(browser, tabId, '&theme=light');
    await panel.setViewportSize({ width: 1280, height: 860 });
    await until(async () => (await panel.evaluate(() => wsInspector.connections())).length > 0, 'the panel attached again');
  });
});
