/**
 * Export, import and decoders in the panel (issue 8), in real Chromium, driven by accessible names:
 * NDJSON and HAR export → import into a fresh panel, the HAR against the HAR 1.2 schema, Chrome's HAR,
 * bad files, and decoded socket.io / graphql-ws / MQTT traffic from the real client libraries and servers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { harValidator } from '../fixtures/har-validator';
import { startLibraryServers, type LibraryServers } from '../fixtures/library-servers';
import { startTestServer, type TestServer } from '../fixtures/server';
import { EXTENSION_DIR, launch, newestTabId, openPanel, rendered, scenarioDone, until, type Browser } from './harness';
import { shotPath } from './shots';

declare const wsInspector: import('../../src/store/automation').Automation;

const NODE_MODULES = resolve(import.meta.dirname, '../../node_modules');
const CHROME_HAR = resolve(import.meta.dirname, '../fixtures/har/chrome-websocket.har');

let server: TestServer;
let libs: LibraryServers;
let browser: Browser;
let page: Page;
let panel: Page;

/** A page with a socket.io client, a graphql-ws client and a plain socket with a secret in its URL. */
function trafficPage(ws: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>decode</title>
<script src="/lib/socketio.js"></script><script src="/lib/graphql-ws.js"></script><script src="/lib/mqtt.js"></script></head><body><script>
  window.step = 'start';
  (async () => {
    window.step = 'plain';
    const plain = new WebSocket(${JSON.stringify(ws)} + '/close?code=4001&reason=done&token=s3cret-value');
    await new Promise((r) => plain.addEventListener('open', r, { once: true }));
    plain.send('hello {"password":"hunter2"}');
    await new Promise((r) => plain.addEventListener('close', r, { once: true }));

    window.step = 'socket.io';
    const socket = io(location.origin, { path: '/proxy/socketio/socket.io/', transports: ['websocket'], reconnection: false });
    await new Promise((r) => socket.on('connect', r));
    window.ack = await new Promise((r) => socket.emit('greet', { name: 'panel', n: 11 }, r));
    await new Promise((r) => { socket.once('bytes', r); socket.emit('bytes', new Uint8Array([1, 2, 3])); });

    window.step = 'graphql';
    const client = graphqlWs.createClient({ url: ${JSON.stringify(ws)} + '/proxy/graphql', retryAttempts: 0, lazy: true });
    await new Promise((resolve, reject) => client.subscribe({ query: 'subscription Countdown { countdown(from: 2) }' },
      { next: () => {}, error: reject, complete: resolve }));

    window.step = 'mqtt';
    const m = mqtt.connect(${JSON.stringify(ws)} + '/proxy/mqtt', { clientId: 'decode-e2e', reconnectPeriod: 0, keepalive: 0 });
    await new Promise((r, j) => { m.on('connect', r); m.on('error', j); });
    const got = new Promise((r) => m.on('message', r));
    await m.subscribeAsync('sensors/#', { qos: 1 });
    await m.publishAsync('sensors/kitchen', '21.5', { qos: 1 });
    await m.publishAsync('alerts/door', 'open', { qos: 0 });
    await got;
    await m.endAsync();
    window.done = true;
  })().catch((e) => { window.failed = String(e); });
</script></body></html>`;
}

const connGrid = (p: Page = panel) => p.getByRole('grid', { name: 'Connections' });
const framesGrid = (p: Page = panel) => p.getByRole('grid', { name: 'Frames' });
const result = (p: Page = panel) => p.getByRole('status', { name: 'Export and import result' });
const problem = (p: Page = panel) => p.getByRole('alert', { name: 'Import or export problem' });
const conns = (p: Page = panel) => p.evaluate(() => wsInspector.connections());
const framesOf = (p: Page, key: string) => p.evaluate((k) => wsInspector.frames(k), key);

/** Click an export button and return the downloaded file's text. */
async function exportFile(p: Page, name: 'Export HAR' | 'Export NDJSON'): Promise<{ text: string; filename: string }> {
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name, exact: true }).click()]);
  const path = await download.path();
  return { text: readFileSync(path, 'utf8'), filename: download.suggestedFilename() };
}

/** Redaction options: the toolbar's Redaction button opens them; the built-in rules are a switch. */
async function setRedaction(p: Page, on: boolean): Promise<void> {
  const toggle = p.getByRole('switch', { name: 'Redact secrets in exports' });
  if (!(await toggle.isVisible())) await p.getByRole('button', { name: /^Redaction (on|off)/ }).click();
  await toggle.setChecked(on);
}

/** Show one of the side pane's tabs (Frame, Connection, Compose). */
const showTab = (name: 'Frame' | 'Connection' | 'Compose', p: Page = panel) => p.getByRole('tab', { name, exact: true }).click();

/** A fresh panel for a tab without sockets (an offline viewer). */
async function freshPanel(): Promise<Page> {
  const blank = await browser.context.newPage();
  await blank.goto(server.page('/blank', '<!doctype html><title>blank</title>'));
  const p = await openPanel(browser, await newestTabId(browser), '&theme=light');
  await p.setViewportSize({ width: 1280, height: 800 });
  return p;
}

async function importText(p: Page, name: string, text: string): Promise<void> {
  await p.getByLabel('Import file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(text) });
}

const strip = (s: string) => s.replace(/(^|\/)i\d+\./, '$1');
/** What must survive a lossless round trip: the connection without the import's marks. */
const comparable = (c: ConnectionSnapshot) => {
  const { imported: _i, ...rest } = c;
  return { ...rest, key: strip(c.key), id: strip(c.id) };
};

beforeAll(async () => {
  server = await startTestServer();
  libs = await startLibraryServers();
  server.proxy('socketio', libs.upstreams.socketio);
  server.proxy('graphql', libs.upstreams.graphql);
  server.proxy('mqtt', libs.upstreams.mqtt);
  const js = 'text/javascript; charset=utf-8';
  server.file('/lib/socketio.js', readFileSync(resolve(NODE_MODULES, 'socket.io-client/dist/socket.io.min.js')), js);
  server.file('/lib/graphql-ws.js', readFileSync(resolve(NODE_MODULES, 'graphql-ws/umd/graphql-ws.min.js')), js);
  server.file('/lib/mqtt.js', readFileSync(resolve(NODE_MODULES, 'mqtt/dist/mqtt.min.js')), js);
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(server.page('/decode', trafficPage(server.wsOrigin)));
  await scenarioDone(page, 30_000);
  panel = await openPanel(browser, await newestTabId(browser), '&theme=light');
  await panel.setViewportSize({ width: 1280, height: 800 });
  await until(async () => (await conns()).length >= 4 && (await conns()).every((c) => c.frameCount > 0), 'four connections with frames');
  // the graphql-ws client closes its socket after the subscription: wait for that close too
  await until(async () => (await conns()).filter((c) => c.close).length >= 3, 'closed sockets');
});

afterAll(async () => {
  await browser?.close();
  await libs?.close();
  await server?.close();
});

describe('export and import', () => {
  it('NDJSON: export → import into a fresh panel gives the same connections, frames and close info', async () => {
    await setRedaction(panel, false);
    const { text, filename } = await exportFile(panel, 'Export NDJSON');
    expect(filename).toMatch(/^websocket-inspector-.*\.ndjson$/);
    expect(await result().textContent()).toMatch(/Exported 4 connections as NDJSON.*Redaction off/);
    expect(text).toContain('s3cret-value');

    const before = await conns();
    const viewer = await freshPanel();
    await importText(viewer, filename, text);
    await until(async () => (await conns(viewer)).length === before.length, 'imported connections');
    expect(await result(viewer).textContent()).toMatch(/^Imported 4 connections \(\d+ events\) from .*\.ndjson \(NDJSON\)/);
    const after = await conns(viewer);
    expect(after.every((c) => c.imported === filename)).toBe(true);
    expect(after.map(comparable)).toEqual(before.map(comparable));
    for (const [i, c] of before.entries()) {
      expect(await framesOf(viewer, after[i]!.key)).toEqual(await framesOf(panel, c.key));
    }
    const closed = after.find((c) => c.url.includes('/close'))!;
    expect(closed.close).toMatchObject({ code: 4001, reason: 'done' });
    // the list says which connections came from a file
    expect(await connGrid(viewer).getByRole('row').filter({ hasText: 'imported' }).count()).toBe(4);
    await viewer.close();
  });

  it('redacts by default and says what, per rule; user patterns add to it', async () => {
    await setRedaction(panel, true);
    await panel.getByRole('textbox', { name: 'Redaction patterns' }).fill('/hello/i');
    const { text } = await exportFile(panel, 'Export NDJSON');
    expect(text).not.toContain('s3cret-value');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/hello \{/);
    const summary = (await result().textContent()) ?? '';
    expect(summary).toMatch(/Redacted \d+: .*URL secret.*secret field.*custom pattern/);
    await panel.getByRole('textbox', { name: 'Redaction patterns' }).fill('(unclosed');
    await panel.getByRole('button', { name: 'Export HAR', exact: true }).click();
    await expect.poll(() => problem().textContent()).toMatch(/pattern 1 \("\(unclosed"\)/);
    await panel.getByRole('textbox', { name: 'Redaction patterns' }).fill('');
  });

  it('HAR: the download validates against HAR 1.2; frames and close codes survive an import', async () => {
    await setRedaction(panel, false);
    const { text, filename } = await exportFile(panel, 'Export HAR');
    expect(filename).toMatch(/\.har$/);
    const har = JSON.parse(text) as { log: { entries: { _webSocketMessages: unknown[] }[] } };
    expect(harValidator()(har)).toEqual([]);
    expect(har.log.entries).toHaveLength(4);

    const before = await conns();
    const viewer = await freshPanel();
    await importText(viewer, filename, text);
    await until(async () => (await conns(viewer)).length === 4, 'imported HAR connections');
    const after = await conns(viewer);
    for (const [i, c] of before.entries()) {
      const a = after[i]!;
      expect(strip(a.id)).toBe(c.id);
      expect(a.url).toBe(c.url);
      expect(a.close?.code).toBe(c.close?.code);
      const pick = (f: FrameSnapshot) => ({ seq: f.seq, dir: f.dir, kind: f.kind, text: f.text, base64: f.base64, size: f.size });
      expect((await framesOf(viewer, a.key)).map(pick)).toEqual((await framesOf(panel, c.key)).map(pick));
    }
    await viewer.close();
  });

  it('imports Chrome DevTools\' HAR and shows its connections', async () => {
    const viewer = await freshPanel();
    await importText(viewer, 'chrome.har', readFileSync(CHROME_HAR, 'utf8'));
    await until(async () => (await conns(viewer)).length === 2, 'Chrome HAR connections');
    const rows = connGrid(viewer).getByRole('row').filter({ hasText: 'imported' });
    expect(await rows.count()).toBe(2);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('stream.example.com/v2/feed'), expect.stringContaining('/socket.io/')]);
    expect((await conns(viewer)).every((c) => c.frameCount > 0)).toBe(true);
    // the first imported connection is selected; its frames are in the grid
    expect(await framesGrid(viewer).getByRole('row').count()).toBeGreaterThan(1);
    await viewer.close();
  });

  it('a truncated or broken file says what and where, and nothing in the panel is lost', async () => {
    const before = await conns();
    const { text } = await exportFile(panel, 'Export HAR');
    await importText(panel, 'cut.har', text.slice(0, Math.floor(text.length / 2)));
    await expect.poll(() => problem().textContent()).toMatch(/^Could not import cut\.har: .*line \d+, column \d+.*truncated.*Nothing was changed/);
    await importText(panel, 'bad.ndjson', '{"format":"websocket-inspector","version":1}\n{"frameId":0,"hook":"h","k":"frame",}\n');
    await expect.poll(() => problem().textContent()).toMatch(/^Could not import bad\.ndjson: Line 2: .*column \d+/);
    // over the size limit: refused before it is read (a small file that says it is 600 MiB)
    await panel.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
      const file = new File(['{}'], 'huge.har');
      Object.defineProperty(file, 'size', { value: 600 * 1024 * 1024 });
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await expect.poll(() => problem().textContent()).toMatch(/huge\.har: File too large: 600 MiB, the import limit is 512 MiB/);
    expect(await conns()).toEqual(before);
  });
});

describe('decoders', () => {
  const detail = () => panel.getByRole('region', { name: 'Frame detail' });
  const decoded = () => detail().getByRole('region', { name: 'Decoded' });

  beforeAll(async () => {
    // close the redaction options (they overlay the lists)
    const options = panel.getByRole('dialog', { name: 'Redaction' });
    if (await options.isVisible()) await options.getByRole('button', { name: 'Done' }).click();
  });

  async function pickConnection(part: string): Promise<void> {
    await connGrid().getByRole('row').filter({ hasText: part }).first().click();
  }
  async function pickFrame(part: string): Promise<void> {
    await framesGrid().getByRole('row').filter({ hasText: part }).first().click();
  }

  it('loads the decoders only when there is traffic, and shows socket.io events decoded, with the ack paired', async () => {
    // built: the panel's entry chunk imports the decoder chunk only dynamically
    const html = readFileSync(resolve(EXTENSION_DIR, 'extension/panel/panel.html'), 'utf8');
    const entry = readFileSync(resolve(EXTENSION_DIR, /src="\/([^"]+\.js)"/.exec(html)![1]!), 'utf8');
    expect(entry).toMatch(/import\(`\.\/decode-[\w-]+\.js`\)/);
    expect(entry).not.toMatch(/(^|;)import[^;(]*["'`]\.\/decode-/);
    // running: fetched (Vite preloads it with a link) only once there is something to decode
    const loaded = (p: Page) => p.evaluate(() => document.querySelector('link[href*="/decode-"]') !== null);
    const idle = await freshPanel();
    // linked to its tab (which has no socket), drawn, and done with what it does on its own
    await until(async () => (await idle.getByRole('status', { name: 'Connection status' }).textContent()) === 'Connected', 'the idle panel linked');
    await rendered(idle);
    expect(await loaded(idle)).toBe(false);
    await idle.close();
    expect(await loaded(panel)).toBe(true);
    await pickConnection('/proxy/socketio');
    await expect.poll(() => panel.getByRole('combobox', { name: 'Decoder' }).locator('option').first().textContent())
      .toBe('Auto (socket.io / engine.io detected)');
    await pickFrame('greet');
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^socket\.io EVENT "greet".*#\d+/);
    const fields = (await decoded().getByRole('definition').allTextContents()).join(' ');
    expect(fields).toContain('greet');
    const pairing = decoded().getByRole('group', { name: 'Request and response' });
    expect(await pairing.textContent()).toMatch(/latency [\d.]+ (ms|s)/);
    await pairing.getByRole('button', { name: /Go to response #\d+/ }).click();
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^socket\.io ACK/);
    expect(await decoded().getByRole('group', { name: 'Request and response' }).getByRole('button', { name: /Go to request/ }).count()).toBe(1);
  });

  it('the decoder override changes the decoding', async () => {
    await pickConnection('/proxy/socketio');
    await pickFrame('greet');
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^socket\.io EVENT/);
    // the Decoded section's "Change decoder" leads to the connection's Decoder
    await decoded().getByRole('button', { name: 'Change decoder' }).click();
    await panel.getByRole('combobox', { name: 'Decoder' }).selectOption({ label: 'None (raw)' });
    await showTab('Frame');
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^"42\d*\[\\"greet\\"/);
    expect(await decoded().textContent()).toContain('None (raw) (chosen)');
    await showTab('Connection');
    await panel.getByRole('combobox', { name: 'Decoder' }).selectOption('');
    await showTab('Frame');
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^socket\.io EVENT/);
  });

  it('a .proto the user supplies decodes binary frames; a bad one is refused with why', async () => {
    await pickConnection('/proxy/socketio');
    const select = panel.getByRole('combobox', { name: 'Decoder' });
    await select.selectOption({ label: 'Protobuf with a .proto schema…' });
    await panel.getByRole('textbox', { name: '.proto schema' }).fill('syntax = "proto3"; package t; message M { string a = 1 }');
    await panel.getByRole('textbox', { name: 'Message type' }).fill('t.M');
    await panel.getByRole('button', { name: 'Use schema' }).click();
    await expect.poll(() => panel.getByRole('region', { name: 'Decoding' }).getByRole('alert').textContent()).toMatch(/^Cannot use this schema: \.proto: /);
    await panel.getByRole('textbox', { name: '.proto schema' }).fill('syntax = "proto3"; package t; message M { bytes a = 1; }');
    await panel.getByRole('button', { name: 'Use schema' }).click();
    await expect.poll(() => select.inputValue()).toBe('protobuf-schema:t.M');
    await pickFrame('greet');
    await expect.poll(() => decoded().textContent()).toContain('Protobuf t.M (chosen)');
    await showTab('Connection');
    await select.selectOption('');
  });

  it('graphql-ws traffic: operation type, id and name', async () => {
    await pickConnection('/proxy/graphql');
    await expect.poll(() => panel.getByRole('combobox', { name: 'Decoder' }).locator('option').first().textContent()).toMatch(/^Auto \(GraphQL.*detected\)$/);
    await pickFrame('subscribe');
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/subscribe.*Countdown/i);
    const pairing = decoded().getByRole('group', { name: 'Request and response' });
    expect(await pairing.textContent()).toMatch(/latency/);
    // the decoding can be copied as JSON
    await panel.evaluate(() => {
      const w = window as unknown as { copied: string[] };
      w.copied = [];
      navigator.clipboard.writeText = async (t: string) => { w.copied.push(t); };
    });
    await decoded().getByRole('button', { name: 'Copy decoded as JSON' }).click();
    await expect.poll(() => decoded().getByRole('status', { name: 'Copy decoded result' }).textContent()).toMatch(/^Copied the decoding as JSON/);
    const [json] = await panel.evaluate(() => (window as unknown as { copied: string[] }).copied);
    expect(JSON.parse(json!)).toMatchObject({ summary: expect.stringMatching(/subscribe.*Countdown/i) as string, fields: { type: 'subscribe', operationName: 'Countdown' } });
  });
  const filterBox = () => panel.getByRole('searchbox', { name: 'Filter' });
  const bodyRows = () => framesGrid().getByRole('row').filter({ hasNot: panel.getByRole('columnheader') });
  /** The Decoded column's text of every row shown. */
  async function decodedColumn(): Promise<string[]> {
    const headers = await framesGrid().getByRole('columnheader').allTextContents();
    const col = headers.indexOf('Decoded');
    if (col < 0) return [];
    return bodyRows().evaluateAll((rows, i) => rows.map((r) => r.querySelectorAll('[role=gridcell]')[i]?.textContent ?? ''), col);
  }

  it('the grid\'s Decoded column summarises each frame; plain sockets leave it empty', async () => {
    await filterBox().fill('');
    await pickConnection('/proxy/socketio');
    await expect.poll(async () => (await decodedColumn()).join('\n')).toMatch(/socket\.io EVENT "greet"/);
    const socketio = await decodedColumn();
    expect(socketio.every((s) => /^socket\.io |^engine\.io /.test(s))).toBe(true);
    // the ack and the binary event with its attachment joined
    expect(socketio.some((s) => /^socket\.io ACK/.test(s))).toBe(true);
    expect(socketio.some((s) => /BINARY_EVENT "bytes"/.test(s))).toBe(true);
    await pickConnection('/close?code=4001');
    // a plain socket: nothing to decode, no Decoded column for it alone
    await expect.poll(() => framesGrid().getByRole('columnheader').allTextContents()).not.toContain('Decoded');
    await panel.getByRole('combobox', { name: 'Connection', exact: true }).selectOption('-1');
    await expect.poll(() => framesGrid().getByRole('columnheader').allTextContents()).toContain('Decoded');
  });

  it('filters on decoded fields: event name, exact values from the Decoded section, negation, bad terms', async () => {
    await pickConnection('/proxy/socketio');
    const all = await bodyRows().count();
    await filterBox().fill('event:greet');
    await expect.poll(async () => (await decodedColumn()).length).toBeGreaterThan(0);
    await expect.poll(async () => (await decodedColumn()).every((s) => s.includes('"greet"'))).toBe(true);
    const greet = await bodyRows().count();
    await pickFrame('greet');
    await expect.poll(() => decoded().getByLabel('Decoded summary').textContent()).toMatch(/^socket\.io EVENT "greet"/);
    await decoded().scrollIntoViewIfNeeded();
    await panel.screenshot({ path: shotPath('panel-decoded.png') });
    expect(greet).toBeLessThan(all);
    // negated: everything else
    await filterBox().fill('-event:greet');
    await expect.poll(() => bodyRows().count()).toBe(all - greet);
    // from the Decoded section: an exact term on the field
    await filterBox().fill('');
    await expect.poll(() => bodyRows().count()).toBe(all);
    await pickFrame('bytes');
    await decoded().getByRole('button', { name: 'Filter by event' }).click();
    expect(await filterBox().inputValue()).toBe('event:"bytes"');
    await expect.poll(async () => (await decodedColumn()).every((s) => s.includes('"bytes"'))).toBe(true);
    // a term and text together
    await filterBox().fill('event:greet panel');
    await expect.poll(async () => (await decodedColumn()).length).toBeGreaterThan(0);
    // a bad regex in a term says which term
    await filterBox().fill('event:/(/');
    await expect.poll(() => panel.getByRole('alert').filter({ hasText: 'Invalid term' }).first().textContent()).toMatch(/Invalid term event:\/\(\/: /);
    // across connections: GraphQL operations by name
    await filterBox().fill('operationName:Countdown');
    await panel.getByRole('combobox', { name: 'Connection', exact: true }).selectOption('-1');
    await expect.poll(async () => (await decodedColumn()).join('\n')).toMatch(/subscribe.*Countdown/i);
    expect((await decodedColumn()).every((s) => /Countdown/.test(s))).toBe(true);
    await filterBox().fill('');
  });

  it('MQTT over WebSocket (mqtt.js ⇄ aedes): topics in the Decoded column, topic:"…" keeps that topic\'s packets', async () => {
    await filterBox().fill('');
    await pickConnection('/proxy/mqtt');
    await expect.poll(async () => (await decodedColumn()).join('\n')).toMatch(/MQTT PUBLISH sensors\/kitchen QoS1/);
    const all = await decodedColumn();
    expect(all.some((x) => /^MQTT CONNECT /.test(x))).toBe(true);
    expect(all.some((x) => /^MQTT SUBSCRIBE sensors\/# \(QoS1\)/.test(x))).toBe(true);
    await filterBox().fill('topic:"sensors/kitchen"');
    // the publish out, the broker's delivery in (the subscription is to sensors/#, not this exact topic)
    await expect.poll(async () => (await decodedColumn()).length).toBe(2);
    expect((await decodedColumn()).every((x) => x.startsWith('MQTT PUBLISH sensors/kitchen'))).toBe(true);
    await filterBox().fill('type:publish -topic:sensors');
    await expect.poll(async () => (await decodedColumn())).toEqual([expect.stringMatching(/^MQTT PUBLISH alerts\/door QoS0/) as string]);
    await filterBox().fill('');
  });
});
