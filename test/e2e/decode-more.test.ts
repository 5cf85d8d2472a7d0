/**
 * What production sites speak, in the panel (issue 17), in real Chromium, driven by accessible names:
 * socket.io with socket.io-msgpack-parser and Yjs over y-websocket, each from the real client library
 * in the page against its real server in Node — auto-detected, the Decoded column, a field filter and
 * the Decoded section.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../fixtures/browser-bundle';
import { startLibraryServers, type LibraryServers } from '../fixtures/library-servers';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, scenarioDone, until, type Browser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

const OUTPUT = resolve(import.meta.dirname, '../output');

let server: TestServer;
let libs: LibraryServers;
let browser: Browser;
let panel: Page;

/** socket.io (msgpack parser): an event with an ack, a binary event; then two Yjs peers edit a document. */
function trafficPage(ws: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>production protocols</title>
<script src="/lib/production.js"></script></head><body><script>
  const { io, msgpackParser, WebsocketProvider, Y } = window.productionLibs;
  (async () => {
    window.step = 'socket.io msgpack';
    const socket = io(location.origin, { path: '/proxy/socketio-msgpack/socket.io/', transports: ['websocket'], parser: msgpackParser, reconnection: false });
    await new Promise((r) => socket.on('connect', r));
    window.ack = await new Promise((r) => socket.emit('greet', { name: 'panel', n: 11 }, r));
    await new Promise((r) => { socket.once('bytes', r); socket.emit('bytes', new Uint8Array([1, 2, 3])); });

    window.step = 'yjs';
    const peer = (name) => {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(${JSON.stringify(ws)} + '/proxy/yjs', 'notes', doc, { disableBc: true });
      provider.awareness.setLocalStateField('user', { name });
      return { doc, provider, synced: new Promise((r) => provider.once('sync', r)) };
    };
    const a = peer('ada');
    await a.synced;
    a.doc.getText('body').insert(0, 'Hello from the page');
    const b = peer('bob');
    await b.synced;
    while (b.doc.getText('body').toString() !== 'Hello from the page') await new Promise((r) => setTimeout(r, 20));
    window.done = true;
  })().catch((e) => { window.failed = String(e && e.stack || e); });
</script></body></html>`;
}

const connGrid = () => panel.getByRole('grid', { name: 'Connections' });
const framesGrid = () => panel.getByRole('grid', { name: 'Frames' });
const filterBox = () => panel.getByRole('searchbox', { name: 'Filter' });
const decoded = () => panel.getByRole('region', { name: 'Frame detail' }).getByRole('region', { name: 'Decoded' });
const bodyRows = () => framesGrid().getByRole('row').filter({ hasNot: panel.getByRole('columnheader') });
const conns = () => panel.evaluate(() => wsInspector.connections());

/** The Decoded column's text of every row shown. */
async function decodedColumn(): Promise<string[]> {
  const col = (await framesGrid().getByRole('columnheader').allTextContents()).indexOf('Decoded');
  if (col < 0) return [];
  return bodyRows().evaluateAll((rows, i) => rows.map((r) => r.querySelectorAll('[role=gridcell]')[i]?.textContent ?? ''), col);
}
async function pickConnection(part: string): Promise<void> {
  await connGrid().getByRole('row').filter({ hasText: part }).first().click();
}
const detected = () => panel.getByRole('combobox', { name: 'Decoder' }).locator('option').first().textContent();

beforeAll(async () => {
  server = await startTestServer();
  libs = await startLibraryServers();
  server.proxy('socketio-msgpack', libs.upstreams['socketio-msgpack']);
  server.proxy('yjs', libs.upstreams.yjs);
  server.file('/lib/production.js', await bundleForBrowser('production-libs'), 'text/javascript; charset=utf-8');
  browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(server.page('/production', trafficPage(server.wsOrigin)));
  await scenarioDone(page, 30_000);
  panel = await openPanel(browser, await newestTabId(browser), '&theme=light');
  await panel.setViewportSize({ width: 1280, height: 800 });
  // the socket.io socket and both Yjs peers' sockets, each with frames
  await until(async () => (await conns()).length >= 3 && (await conns()).every((c) => c.frameCount > 0), 'three connections with frames');
});

afterAll(async () => {
  await browser?.close();
  await libs?.close();
  await server?.close();
});

describe('socket.io over socket.io-msgpack-parser', () => {
  it('is detected as socket.io; the Decoded column shows event names and ack ids as for the default parser', async () => {
    await pickConnection('/proxy/socketio-msgpack');
    await expect.poll(detected).toBe('Auto (socket.io / engine.io detected)');
    await expect.poll(async () => (await decodedColumn()).join('\n')).toMatch(/socket\.io EVENT "greet" #\d+/);
    const column = await decodedColumn();
    expect(column.every((s) => /^socket\.io |^engine\.io /.test(s))).toBe(true);
    expect(column.some((s) => /^socket\.io ACK #\d+/.test(s))).toBe(true);
    expect(column.some((s) => /^socket\.io EVENT "bytes"/.test(s))).toBe(true);
    expect(column.some((s) => /binary message/.test(s))).toBe(false);
  });

  it('a field filter keeps that event; the Decoded section pairs it with its ack', async () => {
    await pickConnection('/proxy/socketio-msgpack');
    const all = await bodyRows().count();
    await filterBox().fill('event:greet');
    await expect.poll(async () => (await decodedColumn()).length).toBe(1);
    expect((await decodedColumn())[0]).toMatch(/^socket\.io EVENT "greet" #\d+$/);
    await bodyRows().first().click();
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^socket\.io EVENT "greet" #\d+$/);
    expect(await decoded().getByRole('group', { name: 'Request and response' }).textContent()).toMatch(/latency [\d.]+ (ms|s)/);
    await filterBox().fill('-event:greet');
    await expect.poll(() => bodyRows().count()).toBe(all - 1);
    await filterBox().fill('');
  });
});

describe('Yjs over y-websocket', () => {
  it('is detected from its first frames; sync steps, updates and awareness in the Decoded column', async () => {
    await pickConnection('/proxy/yjs/notes');
    await expect.poll(detected).toBe('Auto (Yjs (y-websocket) detected)');
    await expect.poll(async () => (await decodedColumn()).join('\n')).toMatch(/Yjs sync step 1/);
    const column = await decodedColumn();
    expect(column.every((s) => s.startsWith('Yjs '))).toBe(true);
    expect(column.some((s) => /^Yjs awareness 1 client \{"user":\{"name":"(ada|bob)"\}\}$/.test(s))).toBe(true);
    expect(column.some((s) => /^Yjs (update|sync step 2) \(\d+ B\), client \d+: 0–19$/.test(s))).toBe(true);
  });

  it('a field filter (type:update) keeps the updates; the Decoded section shows the client and the awareness JSON', async () => {
    await pickConnection('/proxy/yjs/notes');
    await filterBox().fill('type:"update"');
    await expect.poll(async () => (await decodedColumn()).length).toBeGreaterThan(0);
    expect((await decodedColumn()).every((s) => /^Yjs update /.test(s))).toBe(true);
    await bodyRows().first().click();
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^Yjs update \(\d+ B\), client \d+/);
    const fields = await decoded().getByRole('definition').allTextContents();
    expect(fields).toContain('updatefilter'); // each value with its filter button
    expect(fields.some((v) => /^\d{3,}filter$/.test(v))).toBe(true); // the client id
    await filterBox().fill('type:awareness');
    await expect.poll(async () => (await decodedColumn()).length).toBeGreaterThan(0);
    await bodyRows().first().click();
    await expect.poll(() => decoded().textContent()).toMatch(/"name"|name/);
    mkdirSync(OUTPUT, { recursive: true });
    await panel.screenshot({ path: resolve(OUTPUT, 'panel-decoded-yjs.png') });
    await filterBox().fill('');
  });
});
