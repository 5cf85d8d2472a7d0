/**
 * Story 4: act on live traffic from the panel — replay (as is or edited), send
 * text/JSON/binary, inject incoming messages into the page, close for real or
 * simulate a server close or a network drop, replay a sequence, history and
 * saved messages — driven by accessible names in real Chromium against the
 * real server, whose transcript says what really went over the wire. The
 * page's own handlers say what the page experienced. And: nothing the page
 * can post makes the extension act.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { actionsPage, forgePage } from './action-pages';
import { launch, newestTabId, openPanel, openTestPage, unnamedControls, until, type Browser } from './harness';
import { shotPath } from './shots';

declare const wsInspector: import('../../src/store/automation').Automation;

interface Seen {
  via: string; type: string; isTrusted: boolean; readyState: number;
  origin?: string; dataType?: string; data?: string | number[]; code?: number; reason?: string; wasClean?: boolean;
}

let server: TestServer;
let browser: Browser;
let page: Page;
let panel: Page;

const region = (name: string, p: Page = panel) => p.getByRole('region', { name, exact: true });
const composer = () => region('Composer');
const message = () => composer().getByRole('textbox', { name: 'Message' });
const text = async (l: Locator) => (await l.textContent()) ?? '';
const framesGrid = () => panel.getByRole('grid', { name: 'Frames' });
/** A row of the frame grid: its text holds the direction word ("sent"/"received") and a preview. */
const frameRow = (content: string, dir: 'sent' | 'received') =>
  framesGrid().getByRole('row').filter({ hasText: content }).filter({ hasText: dir });

const transcript = (path: string) => {
  const t = server.transcripts.find((x) => x.path === path);
  if (!t) throw new Error(`no transcript for ${path}: ${server.transcripts.map((x) => x.path).join(', ')}`);
  return t;
};
/** What the server received on a path, text as strings and binary as byte arrays. */
const received = (path: string) =>
  transcript(path).entries.filter((e) => e.dir === 'in').map((e) => (e.binary ? [...e.data] : e.data.toString('utf8')));
const seen = (name: string, p: Page = page) => p.evaluate((n) => (window as unknown as { seen: Record<string, Seen[]> }).seen[n] ?? [], name);
const injectedSeen = async (name: string) => (await seen(name)).filter((s) => !s.isTrusted && s.type === 'message');
/** Where a test starts on a shared socket: what it checks is what came after (other tests use the socket too). */
const mark = async (path: string, name: string) => ({
  received: received(path).length,
  injected: (await injectedSeen(name)).length,
  out: (await framesOf(path)).filter((f) => f.dir === 'out').length,
  in: (await framesOf(path)).filter((f) => f.dir === 'in').length,
});

const connections = (p: Page = panel) =>
  p.evaluate(() => (typeof wsInspector === 'undefined' ? [] : wsInspector.connections()));
const connectionOf = async (part: string, p: Page = panel): Promise<ConnectionSnapshot> =>
  until(async () => (await connections(p)).find((c) => c.url.includes(part)), `connection ${part}`);
const framesOf = async (part: string, p: Page = panel): Promise<FrameSnapshot[]> => {
  const key = (await connectionOf(part, p)).key;
  return p.evaluate((k) => wsInspector.frames(k), key);
};

/** Show one of the side pane's tabs (Frame, Connection, Compose). */
const showTab = (name: 'Frame' | 'Connection' | 'Compose', p: Page = panel) => p.getByRole('tab', { name, exact: true }).click();

/** Pick a connection in the list and open the Compose tab; the composer then addresses it. */
async function select(part: string): Promise<void> {
  await panel.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: part }).click();
  await showTab('Compose');
  await until(async () => (await text(composer())).includes(part), `composer addressing ${part}`);
}

/** Fill the composer and press a button; returns the composer's alert text, if one showed. */
async function compose(format: 'Text' | 'JSON' | 'Hex' | 'Base64', body: string, button: 'Send' | 'Inject incoming'): Promise<void> {
  await composer().getByRole('radio', { name: format, exact: true }).check();
  await message().fill(body);
  await composer().getByRole('button', { name: button, exact: true }).click();
}

const statusOf = (regionName: string, statusName: string) => region(regionName).getByRole('status', { name: statusName });
const waitStatus = (regionName: string, statusName: string, part: string) =>
  until(async () => (await text(statusOf(regionName, statusName))).includes(part), `"${part}" in ${statusName}`);

beforeAll(async () => {
  server = await startTestServer();
  const url = server.page('/actions', actionsPage(server.wsOrigin));
  browser = await launch();
  page = await openTestPage(browser, url);
  panel = await openPanel(browser, await newestTabId(browser), '&theme=light');
  await panel.setViewportSize({ width: 1280, height: 800 });
  await until(async () => (await connections()).length >= 8, 'eight connections in the panel');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('replay and send', () => {
  it('replays a captured text and a binary message on the same socket, byte for byte', async () => {
    await select('/echo?actions-a');
    const from = await mark('/echo?actions-a', 'a');
    await frameRow('hello page', 'sent').first().click();
    await region('Frame detail').getByRole('button', { name: 'Replay', exact: true }).click();
    await waitStatus('Frame detail', 'Frame action result', 'Replayed 10 bytes of text');

    await frameRow('ArrayBuffer', 'sent').first().click();
    await region('Frame detail').getByRole('button', { name: 'Replay', exact: true }).click();
    await waitStatus('Frame detail', 'Frame action result', 'Replayed 4 bytes of binary');

    await until(() => received('/echo?actions-a').length === from.received + 2, 'two replays at the server');
    // the page's own two messages first (the page sent them at load), then the replays, same bytes, same kinds
    expect(received('/echo?actions-a').slice(0, 2)).toEqual(['hello page', [1, 2, 3, 250]]);
    expect(received('/echo?actions-a').slice(from.received)).toEqual(['hello page', [1, 2, 3, 250]]);
    expect(transcript('/echo?actions-a').entries.filter((e) => e.dir === 'in').slice(from.received).map((e) => e.binary)).toEqual([false, true]);

    // the log says DevTools sent them, not the page
    const out = await until(async () => {
      const f = (await framesOf('/echo?actions-a')).filter((x) => x.dir === 'out');
      return f.length === from.out + 2 ? f : null;
    }, 'replayed frames in the log');
    expect(out.slice(0, 2).map((f) => f.by)).toEqual([undefined, undefined]);
    expect(out.slice(from.out).map((f) => f.by)).toEqual(['devtools', 'devtools']);
    expect(out.at(-1)!.base64).toBe('AQID+g==');
    expect(await text(frameRow('hello page', 'sent').nth(1))).toContain('devtools');
  });

  it('edits a captured message, then sends the edited text and bytes', async () => {
    await select('/echo?actions-a');
    const from = await mark('/echo?actions-a', 'a');
    await frameRow('hello page', 'sent').first().click();
    await region('Frame detail').getByRole('button', { name: 'Edit and replay' }).click();
    await until(async () => (await message().inputValue()) === 'hello page', 'payload in the composer');
    expect(await message().evaluate((el) => el === document.activeElement)).toBe(true);
    await message().fill('hello edited');
    await composer().getByRole('button', { name: 'Send', exact: true }).click();
    await waitStatus('Composer', 'Composer result', 'Sent 12 bytes of text');

    await frameRow('ArrayBuffer', 'sent').first().click();
    await region('Frame detail').getByRole('button', { name: 'Edit and replay' }).click();
    await until(async () => (await message().inputValue()) === '01 02 03 fa', 'bytes as hex in the composer');
    expect(await composer().getByRole('radio', { name: 'Hex' }).isChecked()).toBe(true);
    await message().fill('01 02 03 fb ff');
    await composer().getByRole('button', { name: 'Send', exact: true }).click();
    await waitStatus('Composer', 'Composer result', 'Sent 5 bytes of binary');

    await until(() => received('/echo?actions-a').length === from.received + 2, 'edited messages at the server');
    expect(received('/echo?actions-a').slice(from.received)).toEqual(['hello edited', [1, 2, 3, 251, 255]]);
  });

  it('checks JSON, hex and base64 before sending, naming the position of the error', async () => {
    await select('/echo?actions-a');
    const from = await mark('/echo?actions-a', 'a');
    const alertSays = (want: string) => until(async () => (await text(composer().getByRole('alert'))) === want, want);
    await compose('JSON', '{"a": 1,}', 'Send');
    await alertSays("Not sent: invalid JSON: expected a property name in double quotes, found '}' at position 8 (line 1, column 9)");
    await compose('Hex', '01 0g', 'Send');
    await alertSays("Not sent: invalid hex digit 'g' at position 4");
    await compose('Base64', 'AQI!', 'Inject incoming');
    await alertSays("Not injected: invalid base64 character '!' at position 3");
    // a good message after the refused ones, each way: what arrives before it would have come from them
    await compose('Text', 'after the errors', 'Send');
    await compose('Text', 'after the errors', 'Inject incoming');
    await until(() => received('/echo?actions-a').length > from.received, 'the good message at the server');
    await until(async () => (await injectedSeen('a')).length > from.injected, 'the good injection in the page');
    expect(received('/echo?actions-a').slice(from.received)).toEqual(['after the errors']); // nothing else went out
    expect((await injectedSeen('a')).slice(from.injected).map((x) => x.data)).toEqual(['after the errors', 'after the errors']);
  });

  it('sends JSON (pretty-printed by Format JSON), hex, base64 and a loaded file', async () => {
    await select('/echo?actions-a');
    const from = await mark('/echo?actions-a', 'a');
    await composer().getByRole('radio', { name: 'JSON' }).check();
    await message().fill('{"type":"ping","n":[1,2]}');
    await composer().getByRole('button', { name: 'Format JSON' }).click();
    expect(await message().inputValue()).toBe('{\n  "type": "ping",\n  "n": [\n    1,\n    2\n  ]\n}');
    expect(await text(composer())).toContain('✓ valid JSON, 47 bytes of text'); // checked as you type
    await composer().getByRole('button', { name: 'Send', exact: true }).click();
    await waitStatus('Composer', 'Composer result', 'Sent');

    await compose('Hex', 'de ad be ef', 'Send');
    await waitStatus('Composer', 'Composer result', 'Sent 4 bytes of binary');
    await compose('Base64', 'AAEC/w==', 'Send');
    await waitStatus('Composer', 'Composer result', 'Sent 4 bytes of binary');

    await composer().getByRole('radio', { name: 'Text' }).check();
    await composer().getByLabel('Load file').setInputFiles({ name: 'raw.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 255, 128]) });
    await until(async () => (await message().inputValue()) === 'AP+A', 'a non-UTF-8 file loaded as base64');
    expect(await composer().getByRole('radio', { name: 'Base64' }).isChecked()).toBe(true);
    await composer().getByRole('button', { name: 'Send', exact: true }).click();
    await waitStatus('Composer', 'Composer result', 'Sent 3 bytes of binary');

    await until(() => received('/echo?actions-a').length === from.received + 4, 'four messages at the server');
    expect(received('/echo?actions-a').slice(from.received)).toEqual([
      '{\n  "type": "ping",\n  "n": [\n    1,\n    2\n  ]\n}', [0xde, 0xad, 0xbe, 0xef], [0, 1, 2, 255], [0, 255, 128]]);
    const out = await until(async () => {
      const f = (await framesOf('/echo?actions-a')).filter((x) => x.dir === 'out');
      return f.length === from.out + 4 ? f : null;
    }, 'sent frames in the log');
    expect(out.slice(from.out).map((f) => f.by)).toEqual(new Array(4).fill('devtools'));
  });

  it('keeps a per-origin history and saved messages in storage.local, cleared on request', async () => {
    await select('/echo?actions-a');
    const history = composer().getByRole('list', { name: 'History' });
    await compose('Text', 'history one', 'Send');
    await waitStatus('Composer', 'Composer result', 'Sent 11 bytes of text');
    await compose('Base64', 'AP+B', 'Send');
    // the newest first
    await until(async () => (await history.getByRole('listitem').allTextContents()).slice(0, 2).join(' | ').match(/AP\+B.*\|.*history one/),
      'the two messages on top of the history');

    await compose('Text', 'keep me', 'Send');
    await until(() => received('/echo?actions-a').includes('keep me'), 'the message at the server');
    await composer().getByRole('button', { name: 'Save message' }).click();
    const saved = composer().getByRole('list', { name: 'Saved messages' });
    await until(async () => (await saved.getByRole('listitem').count()) === 1, 'one saved message');
    expect(await text(saved)).toContain('keep me');

    await message().fill('');
    await history.getByRole('button').filter({ hasText: 'history one' }).click();
    expect(await message().inputValue()).toBe('history one');

    const stored = await panel.evaluate(() => chrome.storage.local.get(null));
    const key = `composer:${server.wsOrigin}`;
    expect(Object.keys(stored)).toEqual([key]);
    expect((stored[key] as { saved: unknown[] }).saved).toEqual([{ format: 'text', text: 'keep me' }]);

    await composer().getByRole('button', { name: 'Clear saved' }).click();
    await until(async () => (await saved.count()) === 0, 'saved list emptied');
    await composer().getByRole('button', { name: 'Clear history' }).click();
    await until(async () => (await history.count()) === 0, 'history emptied');
    expect(await panel.evaluate(() => chrome.storage.local.get(null))).toEqual({});
  });
});

describe('inject incoming', () => {
  it('delivers text and ArrayBuffer to onmessage and message listeners, with the origin, untrusted', async () => {
    await select('/echo?actions-a');
    const from = await mark('/echo?actions-a', 'a');
    await compose('Text', 'injected hi', 'Inject incoming');
    await waitStatus('Composer', 'Composer result', 'Injected 11 bytes of text');
    await compose('Hex', '0a 0b ff', 'Inject incoming');
    await waitStatus('Composer', 'Composer result', 'Injected 3 bytes of binary');

    const got = await until(async () => { const s = (await injectedSeen('a')).slice(from.injected); return s.length === 4 ? s : null; }, 'page handlers ran');
    const common = { type: 'message', isTrusted: false, readyState: 1, origin: server.wsOrigin };
    // the page set onmessage before calling addEventListener: that is the order its handlers run
    expect(got).toEqual([
      { ...common, via: 'onmessage', dataType: 'string', data: 'injected hi' },
      { ...common, via: 'listener', dataType: 'string', data: 'injected hi' },
      { ...common, via: 'onmessage', dataType: 'ArrayBuffer', data: [10, 11, 255] },
      { ...common, via: 'listener', dataType: 'ArrayBuffer', data: [10, 11, 255] },
    ]);
    const inbound = await until(async () => {
      const f = (await framesOf('/echo?actions-a')).filter((x) => x.dir === 'in').slice(from.in);
      return f.length === 2 ? f : null;
    }, 'injected frames in the log');
    expect(inbound.map((f) => f.by)).toEqual(['devtools', 'devtools']);
    expect(inbound.map((f) => [f.as, f.text ?? f.base64])).toEqual([['string', 'injected hi'], ['ArrayBuffer', 'Cgv/']]);

    // the server got nothing from the injections: a message sent after them arrives alone
    await compose('Text', 'after the injections', 'Send');
    await until(() => received('/echo?actions-a').length > from.received, 'the message after the injections at the server');
    expect(received('/echo?actions-a').slice(from.received)).toEqual(['after the injections']);
  });

  it('delivers a Blob when binaryType is blob', async () => {
    await select('/echo?actions-blob');
    await compose('Base64', 'yv4=', 'Inject incoming');
    await waitStatus('Composer', 'Composer result', 'Injected 2 bytes of binary');
    const got = await until(async () => {
      const s = await injectedSeen('blob');
      return s.length === 2 && s.every((x) => x.data) ? s : null;
    }, 'blob read by the page');
    expect(got.map((s) => [s.via, s.dataType, s.data, s.origin])).toEqual([
      ['onmessage', 'Blob', [0xca, 0xfe], server.wsOrigin], ['listener', 'Blob', [0xca, 0xfe], server.wsOrigin]]);
    const f = await until(async () => (await framesOf('/echo?actions-blob')).find((x) => x.by === 'devtools' && x.base64), 'blob frame');
    expect(f).toMatchObject({ dir: 'in', as: 'Blob', base64: 'yv4=', size: 2 });
    expect(transcript('/echo?actions-blob').entries).toEqual([]);
  });

  it('re-injects a captured incoming message, as is and edited', async () => {
    await select('/echo?actions-a');
    const from = await mark('/echo?actions-a', 'a');
    await frameRow('hello page', 'received').first().click();
    const detail = region('Frame detail');
    expect(await text(detail)).toContain('isTrusted = false');
    await detail.getByRole('button', { name: 'Re-inject', exact: true }).click();
    await waitStatus('Frame detail', 'Frame action result', 'Re-injected 10 bytes of text');
    await detail.getByRole('button', { name: 'Edit and re-inject' }).click();
    await until(async () => (await message().inputValue()) === 'hello page', 'incoming payload in the composer');
    await message().fill('hello reinjected');
    await composer().getByRole('button', { name: 'Inject incoming' }).click();
    await waitStatus('Composer', 'Composer result', 'Injected 16 bytes of text');
    const texts = await until(async () => {
      const s = (await injectedSeen('a')).slice(from.injected).filter((x) => x.via === 'onmessage').map((x) => x.data);
      return s.length === 2 ? s : null;
    }, 're-injected messages');
    expect(texts).toEqual(['hello page', 'hello reinjected']);
  });
});

describe('close', () => {
  const closeRegion = () => region('Close socket');

  it('closes for real with a chosen code and reason, and shows the browser error for a bad code', async () => {
    await select('/echo?client-close');
    await closeRegion().getByRole('spinbutton', { name: 'Close code' }).fill('1001');
    await closeRegion().getByRole('button', { name: 'Close', exact: true }).click();
    const alert = closeRegion().getByRole('alert');
    await until(async () => (await text(alert)).startsWith('InvalidAccessError:'), 'the browser refused 1001');
    expect(await text(alert)).toContain('1001');

    await closeRegion().getByRole('spinbutton', { name: 'Close code' }).fill('3001');
    await closeRegion().getByRole('textbox', { name: 'Close reason' }).fill('devtools bye');
    await closeRegion().getByRole('button', { name: 'Close', exact: true }).click();
    await until(() => transcript('/echo?client-close').closed, 'server saw the close');
    expect(transcript('/echo?client-close').closed).toEqual({ code: 3001, reason: 'devtools bye' });
    const pageSaw = await until(async () => { const s = await seen('client'); return s.length === 2 ? s : null; }, 'page close event');
    expect(pageSaw.map((s) => [s.via, s.code, s.reason, s.wasClean, s.isTrusted, s.readyState]))
      .toEqual([['onclose', 3001, 'devtools bye', true, true, 3], ['listener', 3001, 'devtools bye', true, true, 3]]);
    const c = await until(async () => { const x = await connectionOf('/echo?client-close'); return x.close ? x : null; }, 'close in the log');
    expect(c.closeRequest).toMatchObject({ code: 3001, reason: 'devtools bye', by: 'devtools' });
    expect(c.close).toMatchObject({ code: 3001, initiator: 'devtools', wasClean: true });
    expect(c.close?.simulated).toBeUndefined();
    await showTab('Connection');
    expect(await text(region('Close details'))).toContain('DevTools asked');
  });

  it('simulates a server close: the page sees the chosen code and reason, clean, readyState CLOSED', async () => {
    await select('/echo?sim-server');
    await closeRegion().getByRole('spinbutton', { name: 'Close code' }).fill('4001');
    await closeRegion().getByRole('textbox', { name: 'Close reason' }).fill('maintenance');
    await closeRegion().getByRole('button', { name: 'Simulate server close' }).click();
    // the panel logs the close after the page's listeners got the simulated one (the hook dispatches it in the
    // same task as it records the real one), so by then all the page was shown is there
    const c = await until(async () => { const x = await connectionOf('/echo?sim-server'); return x.close ? x : null; }, 'close in the log');
    expect(await seen('simServer')).toEqual([
      { via: 'onclose', type: 'close', isTrusted: false, readyState: 3, code: 4001, reason: 'maintenance', wasClean: true },
      { via: 'listener', type: 'close', isTrusted: false, readyState: 3, code: 4001, reason: 'maintenance', wasClean: true },
    ]);
    expect(c.close).toMatchObject({
      initiator: 'devtools', simulated: { as: 'server', code: 4001, reason: 'maintenance', wasClean: true },
    });
    expect(transcript('/echo?sim-server').closed).toEqual({ code: 4001, reason: 'maintenance' });
    await showTab('Connection');
    expect(await text(region('Close details'))).toContain('Simulated by DevTools');
  });

  it('simulates a network drop: an error event, then close 1006 not clean, readyState CLOSED', async () => {
    await select('/echo?sim-drop');
    await closeRegion().getByRole('button', { name: 'Simulate network drop' }).click();
    // as above: once the close is logged, the page has been shown everything
    const c = await until(async () => { const x = await connectionOf('/echo?sim-drop'); return x.close ? x : null; }, 'close in the log');
    const got = await seen('simDrop');
    expect(got.map((s) => [s.via, s.type, s.isTrusted, s.readyState])).toEqual([
      ['onerror', 'error', false, 3], ['listener', 'error', false, 3], ['onclose', 'close', false, 3], ['listener', 'close', false, 3]]);
    expect(got.filter((s) => s.type === 'close').map((s) => [s.code, s.reason, s.wasClean])).toEqual([[1006, '', false], [1006, '', false]]);
    // what really happened (DevTools closed it cleanly), and what the page was shown
    expect(c.close).toMatchObject({ code: 1000, wasClean: true, initiator: 'devtools', simulated: { as: 'network', code: 1006, wasClean: false } });
    await showTab('Connection');
    expect(await text(region('Close details'))).toMatch(/Simulated by DevTools.*network drop/);
  });
});

describe('errors', () => {
  it('says the socket is CLOSED when acting on a closed socket', async () => {
    await select('/echo?closed');
    await compose('Text', 'too late', 'Send');
    const alert = composer().getByRole('alert');
    await until(async () => (await text(alert)) === 'InvalidStateError: the socket is CLOSED', 'send error');
    await composer().getByRole('button', { name: 'Inject incoming' }).click();
    await until(async () => (await text(alert)) === 'InvalidStateError: the socket is CLOSED', 'inject error');

    await frameRow('before close', 'sent').first().click();
    await region('Frame detail').getByRole('button', { name: 'Replay', exact: true }).click();
    await until(async () => (await text(region('Frame detail').getByRole('alert'))) === 'InvalidStateError: the socket is CLOSED', 'replay error');

    await showTab('Compose');
    await region('Close socket').getByRole('button', { name: 'Simulate network drop' }).click();
    await until(async () => (await text(region('Close socket').getByRole('alert'))) === 'InvalidStateError: the socket is CLOSED', 'close error');
    expect(received('/echo?closed')).toEqual(['before close']);
    expect(await injectedSeen('closed')).toEqual([]);
  });

  it('says the page is gone when the socket\'s frame was removed', async () => {
    await until(async () => (await connections()).some((c) => c.url.includes('/echo?gone')), 'socket of the iframe');
    await page.evaluate(() => document.getElementById('goner')!.remove());
    await select('/echo?gone');
    await compose('Text', 'anyone there?', 'Send');
    await until(async () => (await text(composer().getByRole('alert'))).startsWith('NotFoundError:'), 'gone error');
    expect(server.transcripts.find((t) => t.path === '/echo?gone')?.entries ?? []).toEqual([]);
  });
});

describe('sequence replay', () => {
  it('replays the ticked sent frames in their captured order', async () => {
    await select('/echo?seq');
    // tick out of order: the replay still follows capture order
    for (const word of ['three', 'one', 'two']) await frameRow(word, 'sent').first().getByRole('checkbox').check();
    const seq = region('Replay sequence');
    expect(await text(seq)).toContain('3 sent frames ticked');
    await seq.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '10×' });
    await seq.getByRole('button', { name: 'Replay selected' }).click();
    await waitStatus('Replay sequence', 'Replay progress', 'Replayed 3 messages');

    await seq.getByRole('combobox', { name: 'Speed' }).selectOption({ label: 'As fast as possible' });
    await seq.getByRole('button', { name: 'Replay selected' }).click();
    await until(async () => received('/echo?seq').length === 9, 'two replays at the server');
    expect(received('/echo?seq')).toEqual(['one', 'two', 'three', 'one', 'two', 'three', 'one', 'two', 'three']);
    const out = await until(async () => {
      const f = (await framesOf('/echo?seq')).filter((x) => x.dir === 'out');
      return f.length === 9 ? f : null;
    }, 'replayed frames in the log');
    expect(out.map((f) => f.by ?? 'page')).toEqual(['page', 'page', 'page', ...new Array(6).fill('devtools')]);
    expect(out.map((f) => f.text)).toEqual(received('/echo?seq'));
  });
});

describe('panel', () => {
  it('names every control, and fits the action controls at 1280×800', async () => {
    await select('/echo?actions-a');
    await frameRow('hello page', 'sent').first().click();
    await showTab('Compose');
    await composer().getByRole('radio', { name: 'JSON' }).check();
    await message().fill('{\n  "type": "ping",\n  "id": 7\n}');
    expect(await unnamedControls(panel)).toEqual([]);
    // nothing sticks out sideways: the side pane's tab scrolls vertically only
    const overflow = await panel.getByRole('tabpanel', { name: 'Compose' }).evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await panel.screenshot({ path: shotPath('panel-actions.png') });
  });
});

describe('the page cannot command the extension', () => {
  it('ignores forged commands, a fake handshake and CustomEvents from the page', async () => {
    const url = server.page('/forge', forgePage(server.wsOrigin));
    const forger = await openTestPage(browser, url);
    const forgePanel = await openPanel(browser, await newestTabId(browser));
    // capture is not hijacked by the early fake handshake: the panel sees the page's socket
    const conn = await connectionOf('/echo?forge', forgePanel);
    expect(conn.state).toBe(1);

    await forger.evaluate(({ c, hook }) => {
      const data = 'forged';
      const cmds = [
        { op: 'send', c, data }, { op: 'send', c, data: { b64: 'Zm9yZ2Vk' } }, { op: 'inject', c, data },
        { op: 'inject', c, data: { b64: 'Zm9yZ2Vk' } }, { op: 'close', c, code: 3000, reason: data },
        { op: 'simulate-server-close', c, code: 4000, reason: data }, { op: 'simulate-drop', c },
        // interception: hold everything both ways, a rule that would answer and drop, a page-made JSON config; release and release-all
        ...[null, 'x'].map((json) => {
          const every = { condition: { source: '', terms: [] } };
          const config = {
            scope: 'all', sent: every, received: every, heartbeats: true, timeout: { ms: 600000, action: 'drop' }, protocols: {},
            rules: [{ id: 'evil', name: 'evil', enabled: true, direction: 'both', match: { source: '', terms: [] }, action: { type: 'respond', body: data, delayMs: 0, forward: false } }],
          };
          return { op: 'intercept', config: json === null ? config : JSON.stringify(config) };
        }),
        { op: 'release', c, hold: 1, action: 'drop' }, { op: 'release', c, hold: 1, action: 'forward', data }, { op: 'release-all', action: 'drop' },
      ];
      const shapes: unknown[] = [];
      for (const cmd of cmds) {
        for (const src of ['wsi-panel', 'wsi-background', 'wsi-relay', 'wsi-hook']) {
          shapes.push({ src, v: 1, type: 'command', req: 1, cmd });
          shapes.push({ src, v: 1, type: 'command', frameId: 0, hook, req: 1, cmd });
        }
      }
      const ev = { c, seq: 99, t: Date.now() };
      shapes.push(
        { src: 'wsi-hook', v: 1, type: 'batch', events: [{ ...ev, k: 'frame', dir: 'out', kind: 'text', as: 'string', size: 6, data, by: 'devtools' }] },
        { src: 'wsi-hook', v: 1, type: 'command-result', req: 1, result: { ok: true } },
        { src: 'wsi-relay', v: 1, type: 'command-result', hook, req: 1, result: { ok: true } },
        { src: 'wsi-background', v: 1, type: 'command-result', frameId: 0, hook, req: 1, result: { ok: true } },
        { src: 'wsi-panel', v: 1, type: 'subscribe', tabId: 1 }, { src: 'wsi-panel', v: 1, type: 'attach', frameId: 0, hook, cursors: {} },
        { src: 'wsi-background', v: 1, type: 'attach', cursors: {} }, { src: 'wsi-relay', v: 1, type: 'ready' },
        { src: 'wsi-background', v: 1, type: 'fetch-payload', req: 1, c, seq: 0 }, { type: 'wsi-ping' }, { type: 'wsi-relay-ready' },
      );
      const w = window as unknown as { evilPort: MessagePort };
      // 1. window messages, as is and as the envelope's payload
      for (const s of shapes) { window.postMessage(s, '*'); window.postMessage({ type: 'wsi-handshake', hook, msg: s }, '*'); }
      // 2. a fake handshake now (with its own port), then every shape on that port and on the early fake's port
      const ch = new MessageChannel();
      window.postMessage({ type: 'wsi-handshake', hook }, '*', [ch.port2]);
      for (const s of shapes) { ch.port1.postMessage(s); w.evilPort.postMessage(s); }
      // 3. synthetic MessageEvents claiming to come from this window, and CustomEvents, on window and document
      for (const s of shapes) {
        window.dispatchEvent(new MessageEvent('message', { data: s, source: window, origin: location.origin }));
        for (const target of [window, document]) {
          target.dispatchEvent(new CustomEvent('message', { detail: s }));
          target.dispatchEvent(new CustomEvent(String((s as { type?: string }).type), { detail: s }));
          target.dispatchEvent(new CustomEvent('wsi-command', { detail: s }));
        }
      }
      // 4. the DOM
      const el = document.createElement('wsi-command');
      el.setAttribute('data-cmd', JSON.stringify(cmds[0]));
      document.body.appendChild(el);
    }, { c: conn.id, hook: conn.id.split('.')[0]! }); // connection ids are <hook id>.<n>

    // the real path still works: the panel sends on that socket. Its message goes through the extension, so
    // the page handled every forgery before it came; anything they had set off would be there before it
    await forgePanel.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/echo?forge' }).click();
    await showTab('Compose', forgePanel);
    await region('Composer', forgePanel).getByRole('textbox', { name: 'Message' }).fill('from the panel');
    await region('Composer', forgePanel).getByRole('button', { name: 'Send', exact: true }).click();
    await until(() => received('/echo?forge').length >= 1, 'the panel\'s message at the server');
    await until(async () => (await framesOf('/echo?forge', forgePanel)).length === 2, 'the panel\'s message and its echo in the log');
    expect(received('/echo?forge')).toEqual(['from the panel']);
    expect(await seen('forge', forger)).toEqual([
      { via: 'onmessage', type: 'message', isTrusted: true, readyState: 1, origin: server.wsOrigin, dataType: 'string', data: 'from the panel' },
      { via: 'listener', type: 'message', isTrusted: true, readyState: 1, origin: server.wsOrigin, dataType: 'string', data: 'from the panel' },
    ]);
    expect(await forger.evaluate(() => (window as unknown as { sockets: Record<string, WebSocket> }).sockets.forge!.readyState)).toBe(1);
    // no forged interception holds or answers what the page itself sends and gets
    await forger.evaluate(() => (window as unknown as { sockets: Record<string, WebSocket> }).sockets.forge!.send('from the page'));
    await until(async () => (await seen('forge', forger)).length === 4, 'the page\'s own message echoed to it');
    expect(received('/echo?forge')).toEqual(['from the panel', 'from the page']);
    expect((await seen('forge', forger)).slice(2).map((s) => [s.isTrusted, s.data])).toEqual([[true, 'from the page'], [true, 'from the page']]);
    expect(await forgePanel.evaluate(() => (wsInspector as unknown as import('../../src/intercept/automation').InterceptionAutomation).interception().held)).toEqual([]);
    await until(async () => (await framesOf('/echo?forge', forgePanel)).length === 4, 'the page\'s message and its echo in the log');
    expect(await forger.evaluate(() => (window as unknown as { evilGot: unknown[] }).evilGot)).toEqual([]);
    expect((await framesOf('/echo?forge', forgePanel)).map((f) => [f.dir, f.text, f.by])).toEqual([
      ['out', 'from the panel', 'devtools'], ['in', 'from the panel', undefined], ['out', 'from the page', undefined], ['in', 'from the page', undefined]]);
    await forgePanel.close();
    await forger.close();
  });
});
