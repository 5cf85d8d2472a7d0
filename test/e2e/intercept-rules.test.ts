/**
 * Interception rules and keep-alives against real client libraries and their real servers, driven through
 * the Intercept tab by accessible names: a match-and-replace rule rewrites a socket.io event the app's
 * handler then gets; a respond rule answers a socket.io emit with an ack the server never saw; a JSON-field
 * rule rewrites a graphql-ws subscription's `next` payload; socket.io's heartbeats pass while a breakpoint
 * holds the app's messages both ways, and the app stays connected. The rules list is screenshotted.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { Server as SocketIo } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, startLibraryServers, type LibraryServers } from '../fixtures/library-servers';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, openTestPage, serviceWorker, unnamedControls, until, type Browser } from './harness';
import { shotPath } from './shots';

declare const wsInspector: import('../../src/store/automation').Automation & import('../../src/intercept/automation').InterceptionAutomation;

const NODE_MODULES = resolve(import.meta.dirname, '../../node_modules');
/** socket.io's heartbeat, short: a client whose pings were held would be disconnected within about a second */
const PING_INTERVAL = 300;
const PING_TIMEOUT = 1000;

let server: TestServer;
let libs: LibraryServers;
let io: SocketIo;
let browser: Browser;
let page: Page;
let panel: Page;
let tabId: number;
const tabOf = async () => tabId;

const PAGE = (ws: string) => `<!doctype html><html><head><meta charset="utf-8"><title>rules</title>
<script src="/lib/socketio.js"></script><script src="/lib/graphql-ws.js"></script></head><body><script>
  window.chats = []; window.acks = []; window.disconnects = []; window.counts = [];
  window.connectIo = (name) => new Promise((resolve) => {
    const socket = io(location.origin, { path: '/proxy/sio/socket.io/', transports: ['websocket'], reconnection: false, query: { name } });
    socket.on('chat', (m) => chats.push(m));
    socket.on('disconnect', (why) => disconnects.push(why));
    socket.on('connect', () => resolve(true));
    window.sio = socket;
  });
  window.countdown = (from) => new Promise((resolve, reject) => {
    const client = graphqlWs.createClient({ url: ${JSON.stringify(ws)} + '/proxy/graphql', retryAttempts: 0, lazy: true });
    client.subscribe({ query: 'subscription { countdown(from: ' + from + ') }' },
      { next: (v) => counts.push(v.data.countdown), error: reject, complete: resolve });
  });
  window.done = true;
</script></body></html>`;

const region = (name: string) => panel.getByRole('region', { name, exact: true });
const tab = () => panel.getByRole('tabpanel', { name: 'Intercept' });
const ruleEditor = () => region('Rule editor');
const ruleItem = (name: string) => tab().getByRole('list', { name: 'Rules list' }).getByRole('listitem').filter({ hasText: name });
const framesGrid = () => panel.getByRole('grid', { name: 'Frames' });
const pageValue = <T>(name: string) => page.evaluate((n) => (window as unknown as Record<string, T>)[n]!, name);
const transcriptOf = (part: string) => server.transcripts.filter((t) => t.path.includes(part));
const interception = () => panel.evaluate(() => wsInspector.interception());
const applied = () => until(async () => { const s = await interception(); return s.applied; }, 'the settings applied in the page');

async function showIntercept(): Promise<void> {
  await panel.getByRole('tab', { name: 'Intercept', exact: true }).click();
}

/** Add a rule through the editor: text fields by their names, the action by its label. */
async function addRule(o: { name: string; direction: 'sent' | 'received'; match: string; action: string; fields: Record<string, string>; url?: string }) {
  await showIntercept();
  await tab().getByRole('button', { name: 'Add rule' }).click();
  await ruleEditor().getByRole('textbox', { name: 'Name' }).fill(o.name);
  await ruleEditor().getByRole('combobox', { name: 'Direction' }).selectOption(o.direction);
  await ruleEditor().getByRole('combobox', { name: 'Action' }).selectOption({ label: o.action });
  if (o.url) await ruleEditor().getByRole('textbox', { name: 'URL match' }).fill(o.url);
  await ruleEditor().getByRole('textbox', { name: 'Payload match' }).fill(o.match);
  for (const [name, value] of Object.entries(o.fields)) await ruleEditor().getByRole('textbox', { name, exact: true }).fill(value);
  await ruleEditor().getByRole('button', { name: 'Apply rule' }).click();
  await until(async () => (await ruleEditor().count()) === 0, 'the editor closed (the rule compiled)');
  await applied();
}

beforeAll(async () => {
  server = await startTestServer();
  libs = await startLibraryServers();
  const http = createServer((_, res) => res.writeHead(404).end());
  io = new SocketIo(http, { transports: ['websocket'], pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT });
  io.on('connection', (socket) => {
    socket.on('say', (m: { text: string }) => socket.emit('chat', { text: m.text, from: 'server' }));
    socket.on('ask', (q: unknown, ack: (r: unknown) => void) => ack({ answer: 'from the server', q }));
  });
  server.proxy('sio', await listen(http));
  server.proxy('graphql', libs.upstreams.graphql);
  const js = 'text/javascript; charset=utf-8';
  server.file('/lib/socketio.js', readFileSync(resolve(NODE_MODULES, 'socket.io-client/dist/socket.io.min.js')), js);
  server.file('/lib/graphql-ws.js', readFileSync(resolve(NODE_MODULES, 'graphql-ws/umd/graphql-ws.min.js')), js);
  browser = await launch();
  page = await openTestPage(browser, server.page('/rules', PAGE(server.wsOrigin)));
  tabId = await newestTabId(browser);
  panel = await openPanel(browser, tabId, '&theme=light');
  await panel.setViewportSize({ width: 1280, height: 860 });
  await page.evaluate(() => (window as unknown as { connectIo(n: string): Promise<void> }).connectIo('app'));
  // the panel knows the socket speaks socket.io (its keep-alives pass interception)
  await until(async () => (await framesGrid().getByRole('columnheader', { name: 'Decoded' }).count()) > 0, 'socket.io detected');
});

afterEach(async () => {
  const banner = region('Interception on');
  if (await banner.count()) await banner.getByRole('button', { name: 'Turn off' }).click();
  await panel.evaluate(() => wsInspector.setRules([]));
  await until(async () => { const s = await interception(); return !s.active && s.held.length === 0 && s.applied; }, 'interception off');
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => { if (io) void io.close(() => r()); else r(); });
  await libs?.close();
  await server?.close();
});

describe('rules against real client libraries', () => {
  it('match and replace: a socket.io event, rewritten, reaches the app\'s handler', async () => {
    await addRule({
      name: 'louder chat', direction: 'received', match: 'event:chat', action: 'Match and replace',
      fields: { 'Match': '/"text":"([^"]*)"/', 'Replace with': '"text":"$1 (rewritten)"' },
    });
    await page.evaluate(() => (window as unknown as { sio: { emit(e: string, m: unknown): void } }).sio.emit('say', { text: 'hello' }));
    await until(async () => (await pageValue<unknown[]>('chats')).length === 1, 'the chat event at the app');
    expect(await pageValue('chats')).toEqual([{ text: 'hello (rewritten)', from: 'server' }]);
    // the server sent the original; the log keeps it, marked rewritten by the rule, with one hit
    const sent = transcriptOf('/proxy/sio/').flatMap((t) => t.entries).filter((e) => e.dir === 'out').map((e) => e.data.toString());
    expect(sent).toContain('42["chat",{"text":"hello","from":"server"}]');
    const row = framesGrid().getByRole('row').filter({ hasText: '42["chat",{"text":"hello"' }).first();
    expect(await row.textContent()).toContain('Rewritten by rule "louder chat".');
    expect(await ruleItem('louder chat').textContent()).toContain('1 hit');
  });

  it('respond: answers a socket.io emit with an ack the server never saw', async () => {
    await addRule({
      name: 'mock ask', direction: 'sent', match: 'event:ask', action: 'Respond',
      fields: { 'Respond with': '43{{ackId}}[{"answer":"mocked","q":{{data.q}}}]' },
    });
    const ack = await page.evaluate(() => new Promise((r) => (window as unknown as { sio: { emit(e: string, m: unknown, a: (x: unknown) => void): void } })
      .sio.emit('ask', { q: 7 }, r)));
    expect(ack).toEqual({ answer: 'mocked', q: 7 });
    const atServer = transcriptOf('/proxy/sio/').flatMap((t) => t.entries).filter((e) => e.dir === 'in').map((e) => e.data.toString());
    expect(atServer.some((m) => m.includes('"ask"'))).toBe(false);
    // the answer is in the log as a received message a rule made
    const answer = framesGrid().getByRole('row').filter({ hasText: '"answer":"mocked"' }).first();
    expect(await answer.textContent()).toContain('Answered by an interception rule, not by the server.');
  });

  it('replace a JSON field: a graphql-ws subscription\'s next payloads reach the client rewritten', async () => {
    await addRule({
      name: 'forty-two', direction: 'received', url: '/proxy/graphql', match: 'type:next', action: 'Replace a JSON field',
      fields: { 'JSON path': 'payload.data.countdown', 'Value': '42' },
    });
    await page.evaluate(() => (window as unknown as { countdown(n: number): Promise<void> }).countdown(2));
    expect(await pageValue('counts')).toEqual([42, 42, 42]);
    const fromServer = transcriptOf('/proxy/graphql').flatMap((t) => t.entries).filter((e) => e.dir === 'out').map((e) => e.data.toString())
      .filter((m) => m.includes('"next"'));
    expect(fromServer.map((m) => (JSON.parse(m) as { payload: { data: { countdown: number } } }).payload.data.countdown)).toEqual([2, 1, 0]);
  });

  it('the rules list: switches, hits, every control named (screenshot)', async () => {
    await addRule({ name: 'drop typing', direction: 'sent', match: 'event:typing', action: 'Drop', fields: {} });
    await tab().getByRole('switch', { name: 'Rule drop typing on' }).setChecked(false);
    await addRule({
      name: 'mock ask', direction: 'sent', match: 'event:ask', action: 'Respond',
      fields: { 'Respond with': '43{{ackId}}[{"answer":"mocked"}]' },
    });
    await page.evaluate(() => new Promise((r) => (window as unknown as { sio: { emit(e: string, m: unknown, a: (x: unknown) => void): void } })
      .sio.emit('ask', { q: 1 }, r)));
    await until(async () => (await ruleItem('mock ask').textContent())?.includes('1 hit'), 'one hit');
    await tab().getByRole('button', { name: 'Edit rule mock ask' }).click();
    expect(await unnamedControls(panel)).toEqual([]);
    await tab().getByRole('region', { name: 'Rules' }).scrollIntoViewIfNeeded();
    await panel.screenshot({ path: shotPath('intercept-rules.png') });
    await ruleEditor().getByRole('button', { name: 'Cancel' }).click();
    for (const name of ['drop typing', 'mock ask']) await tab().getByRole('button', { name: `Delete rule ${name}` }).click();
    expect(await tab().getByRole('list', { name: 'Rules list' }).count()).toBe(0);
  });
});

describe('keeping rules', () => {
  it('saves rules per page origin in storage.local only when asked; a new panel loads them; imports are checked', async () => {
    const key = `intercept-rules:${server.origin}`;
    const stored = async () => (await (await serviceWorker(browser)).evaluate((k) => chrome.storage.local.get(k), key))[key];
    await addRule({ name: 'keep me', direction: 'sent', match: 'zz-keep', action: 'Drop', fields: {} });
    expect(await stored()).toBeUndefined();
    await tab().getByRole('button', { name: 'Save rules' }).click();
    await until(async () => (await stored()) !== undefined, 'saved in storage.local');
    expect(await tab().getByRole('region', { name: 'Rules' }).textContent()).toContain(`Saved in this browser for ${server.origin}`);
    // another panel on the tab finds them (as saved: on)
    const other = await openPanel(browser, await tabOf(), '&theme=light');
    await other.getByRole('tab', { name: 'Intercept', exact: true }).click();
    await until(async () => (await other.getByRole('switch', { name: 'Rule keep me on' }).count()) === 1, 'the saved rule in a new panel');
    expect(await other.getByRole('switch', { name: 'Rule keep me on' }).isChecked()).toBe(true);
    await other.close();
    // a file that is not a rules file changes nothing and says where it is wrong
    await tab().getByLabel('Import rules').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "format": "websocket-inspector-rules",\n  oops\n}') });
    expect(await tab().getByRole('region', { name: 'Rules' }).getByRole('alert').textContent()).toContain('line 3, column 3');
    const file = JSON.stringify({ format: 'websocket-inspector-rules', version: 1, rules: [{ id: 'x', name: 'imported', enabled: false, direction: 'both', url: '', match: '', action: { type: 'delay', ms: 5 } }] });
    await tab().getByLabel('Import rules').setInputFiles({ name: 'rules.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await until(async () => (await tab().getByRole('switch', { name: 'Rule imported on' }).count()) === 1, 'the imported rule');
    expect(await tab().getByRole('region', { name: 'Rules' }).textContent()).toContain('Changed since saved');
    await tab().getByRole('button', { name: 'Forget saved rules' }).click();
    await until(async () => (await stored()) === undefined, 'forgotten');
  });
});

describe('keep-alives', () => {
  it('socket.io heartbeats pass while a breakpoint holds the app\'s messages both ways; the app stays connected', async () => {
    await showIntercept();
    await tab().getByRole('checkbox', { name: 'Intercept sent', exact: true }).check();
    await tab().getByRole('checkbox', { name: 'Intercept received', exact: true }).check();
    await applied();
    const pings = async () => (await panel.evaluate(() => {
      const c = wsInspector.connections().find((k) => k.url.includes('/proxy/sio/') && !k.close)!;
      return wsInspector.frames(c.key).filter((f) => f.text === '2' || f.text === '3').length;
    }));
    await page.evaluate(() => (window as unknown as { sio: { emit(e: string, m: unknown): void } }).sio.emit('say', { text: 'held' }));
    await until(async () => (await interception()).held.length === 1, 'the emit held');
    // many heartbeats, both ways, over far longer than pingInterval + pingTimeout, while the emit is held
    const from = await pings();
    await until(async () => (await pings()) >= from + 16, 'eight pings and pongs past the held message', 30_000);
    expect(await pageValue('disconnects')).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { sio: { connected: boolean } }).sio.connected)).toBe(true);
    // let it go: the server answers, the answer is held in turn, then the app gets it
    await region('Held messages').getByRole('button', { name: 'Forward all' }).click();
    await until(async () => (await interception()).held.length === 1 && (await interception()).held[0]!.dir === 'in', 'the answer held');
    await region('Held messages').getByRole('button', { name: 'Forward all' }).click();
    await until(async () => (await pageValue<unknown[]>('chats')).some((m) => (m as { text: string }).text === 'held'), 'the chat at the app');
    expect(await pageValue('disconnects')).toEqual([]);
  });
});
