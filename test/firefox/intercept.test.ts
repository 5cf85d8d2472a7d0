/**
 * Interception in real Firefox, at the protocol level (the panel page's own port, as PanelLink.command does;
 * the Intercept tab is covered in Chromium by test/e2e/intercept-panel.test.ts): held sends go out in order,
 * the first edited; a dropped send never reaches the server; a held received message reaches the page edited
 * and typed by binaryType, with what waited behind it and the close after it; a rule rewrites; everything
 * held goes on when the panel goes. Over Firefox's structured-clone ports and Xray wrappers.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, PANEL_PORT, type Command, type CommandResult } from '../../src/protocol/messages';
import type { InterceptConfig } from '../../src/protocol/intercept';
import { startTestServer, type TestServer } from '../fixtures/server';
import { interceptPage, panelPortScript, type Seen } from '../e2e/intercept-pages';
import { launchFirefox, newestTabId, openPanel, openTestPage, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;
interface Intercepted { c: string; of: number; outcome: string; cause: string; hold?: number }

let server: TestServer;
let browser: FirefoxBrowser;
let page: Page;
let panel: Page;
let tabId: number;
let hook: string;

const open = (q: string, binaryType = 'arraybuffer') =>
  page.evaluate((x, b) => (window as unknown as { open_(q: string, b: string): Promise<void> }).open_(x, b), q, binaryType);
const send = (q: string, data: string | number[]) =>
  page.evaluate((x, d) => (window as unknown as { send_(q: string, d: unknown): void }).send_(x, d), q, data);
const seen = (q: string) => page.evaluate((x) => (window as unknown as { seen: Seen[] }).seen.filter((s) => s.q === x), q);
const atServer = (q: string) => (server.transcripts.find((t) => t.path.endsWith(`?${q}`))?.entries ?? [])
  .filter((e) => e.dir === 'in').map((e) => (e.binary ? [...e.data] : e.data.toString('utf8')));
const connId = (q: string) => until(async () => (await panel.evaluate(() => wsInspector.connections())).find((c) => c.url.endsWith(`?${q}`))?.id, `connection ${q}`);
const events = (): Promise<Intercepted[]> => panel.evaluate(() => (window as unknown as { wsiIntercepts: Intercepted[] }).wsiIntercepts);
const held = (c: string, n: number) => until(async () => {
  const h = (await events()).filter((e) => e.c === c && e.outcome === 'held');
  return h.length >= n ? h.map((e) => e.hold!) : null;
}, `${n} held on ${c}`);
const every = { condition: { source: '', terms: [] } };
const config = (o: Partial<InterceptConfig>): InterceptConfig =>
  ({ scope: 'all', heartbeats: false, timeout: { ms: 30_000, action: 'forward' }, rules: [], protocols: {}, ...o });

async function command(cmd: Command): Promise<CommandResult> {
  const msg = envelope('wsi-panel', { type: 'command' as const, frameId: 0, hook, req: 0, cmd });
  return panel.evaluate((m) => (window as unknown as { wsiCommand(m: unknown): Promise<CommandResult> }).wsiCommand(m), msg);
}

async function openPanelPort(): Promise<void> {
  panel = await openPanel(browser, tabId);
  hook = await panel.evaluate(panelPortScript('browser', PANEL_PORT, tabId)) as string;
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchFirefox();
  page = await openTestPage(browser, server.page('/ff-intercept', interceptPage(server.wsOrigin)));
  tabId = await newestTabId(browser);
  await open('first');
  await openPanelPort();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: interception', () => {
  it('holds two sends; the first goes edited, then the second; a dropped one never reaches the server', async () => {
    await open('ff-sent');
    const c = await connId('ff-sent');
    expect(await command({ op: 'intercept', config: config({ sent: every }) })).toEqual({ ok: true });
    await send('ff-sent', 'one');
    await send('ff-sent', 'two');
    await send('ff-sent', 'three');
    const [h1, h2, h3] = await held(c, 3);
    expect(atServer('ff-sent')).toEqual([]);
    expect(await command({ op: 'release', c, hold: h3!, action: 'drop' })).toEqual({ ok: true });
    expect(await command({ op: 'release', c, hold: h2!, action: 'forward' })).toEqual({ ok: true });
    expect(await command({ op: 'release', c, hold: h1!, action: 'forward', data: 'ONE (edited)' })).toEqual({ ok: true });
    await until(() => atServer('ff-sent').length === 2, 'both at the server');
    await send('ff-sent', 'marker');
    await held(c, 4);
    expect(await command({ op: 'intercept', config: null })).toEqual({ ok: true });
    await until(() => atServer('ff-sent').length === 3, 'the marker released');
    expect(atServer('ff-sent')).toEqual(['ONE (edited)', 'two', 'marker']);
  });

  for (const binaryType of ['arraybuffer', 'blob'] as const) {
    it(`holds a received message; the page gets it edited, typed by binaryType (${binaryType}), then the rest and the close`, async () => {
      const q = `ff-recv-${binaryType}`;
      await open(q, binaryType);
      const c = await connId(q);
      await command({ op: 'intercept', config: config({ received: { condition: { source: 'hold', text: { kind: 'substring', value: 'hold' }, terms: [] } } }) });
      await send(q, 'hold me');
      const [h] = await held(c, 1);
      await send(q, 'after');
      await until(async () => (await panel.evaluate((x) => wsInspector.connections().find((k) => k.id === x)!.framesIn, c)) === 2, 'the echoes recorded');
      await page.evaluate((x) => (window as unknown as { sockets: Record<string, WebSocket> }).sockets[x]!.close(3001, 'bye'), q);
      await until(() => server.transcripts.find((t) => t.path.endsWith(`?${q}`))?.closed, 'closed at the server');
      expect(await seen(q)).toEqual([]);
      expect(await command({ op: 'release', c, hold: h!, action: 'forward', data: { b64: Buffer.from('edited').toString('base64') } })).toEqual({ ok: true });
      const got = await until(async () => { const s = await seen(q); return s.length === 3 && s.every((x) => x.ev !== 'message' || x.data) ? s : null; }, 'everything at the page');
      expect(got).toEqual([
        { q, ev: 'message', isTrusted: false, type: binaryType === 'blob' ? 'Blob' : 'ArrayBuffer', data: [...Buffer.from('edited')] },
        { q, ev: 'message', isTrusted: false, type: 'string', data: 'after' },
        { q, ev: 'close', code: 3001, reason: 'bye', readyState: 3 },
      ]);
      await command({ op: 'intercept', config: null });
    });
  }

  it('a rule rewrites a sent message; everything held goes on when the panel goes', async () => {
    await open('ff-rule');
    const c = await connId('ff-rule');
    await command({
      op: 'intercept', config: config({
        sent: { condition: { source: 'held', text: { kind: 'substring', value: 'held' }, terms: [] } },
        rules: [{ id: 'r', name: 'r', enabled: true, direction: 'sent', match: { source: '', terms: [] }, action: { type: 'replace', find: { kind: 'regex', source: 'price=(\\d+)', flags: 'g' }, replace: 'price=0' } }],
      }),
    });
    await send('ff-rule', 'price=42');
    await until(() => atServer('ff-rule').length === 1, 'the rewritten one');
    await send('ff-rule', 'held when the panel goes');
    await held(c, 1);
    await panel.close();
    await until(() => atServer('ff-rule').length === 2, 'let go when the panel went');
    expect(atServer('ff-rule')).toEqual(['price=0', 'held when the panel goes']);
    await openPanelPort();
  });
});
