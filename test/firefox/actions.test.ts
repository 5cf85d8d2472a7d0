/**
 * Acting on traffic in real Firefox: commands travel panel → background → relay → page hook and
 * back, over Firefox's structured-clone ports, the relay's base64 → ArrayBuffer hand-over into the
 * page's compartment, and the hook's native send / dispatched events. Driven at the protocol level
 * from the panel page (its own runtime port, as PanelLink.command does; the UI is covered in Chromium
 * by test/e2e/actions.test.ts); the server's transcript and the page's handlers say what happened.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { envelope, PANEL_PORT, type Command, type CommandResult } from '../../src/protocol/messages';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchFirefox, newestTabId, openPanel, openTestPage, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

interface Seen {
  q: string; ev: string; isTrusted?: boolean; origin?: string; type?: string; data?: string | number[];
  code?: number; reason?: string; wasClean?: boolean;
}

let server: TestServer;
let browser: FirefoxBrowser;
let page: Page;
let panel: Page;
let tabId: number;
let hook: string;

const page_ = (ws: string) => `<!doctype html><title>actions</title><script>
  window.seen = [];
  const bytes = (d) => Array.from(new Uint8Array(d));
  const mk = (q, binaryType) => {
    const s = new WebSocket(${JSON.stringify(ws)} + '/echo?' + q);
    s.binaryType = binaryType;
    s.onmessage = async (e) => {
      const type = typeof e.data === 'string' ? 'string' : e.data.constructor.name;
      const data = typeof e.data === 'string' ? e.data : bytes(e.data instanceof Blob ? await e.data.arrayBuffer() : e.data);
      seen.push({ q, ev: 'message', isTrusted: e.isTrusted, origin: e.origin, type, data });
    };
    s.onerror = (e) => seen.push({ q, ev: 'error', isTrusted: e.isTrusted });
    s.onclose = (e) => seen.push({ q, ev: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
    return new Promise((r) => { s.onopen = r; });
  };
  Promise.all([mk('ff-a', 'arraybuffer'), mk('ff-b', 'blob')]).then(() => { window.done = true; });
</script>`;

const seen = (q: string) => page.evaluate((x) => (window as unknown as { seen: Seen[] }).seen.filter((s) => s.q === x), q);
const connectionOf = (part: string) => until(async () =>
  (await panel.evaluate(() => wsInspector.connections())).find((c: ConnectionSnapshot) => c.url.includes(part)), `connection ${part}`);
const framesOf = async (part: string): Promise<FrameSnapshot[]> => {
  const key = (await connectionOf(part)).key;
  return panel.evaluate((k) => wsInspector.frames(k), key);
};
const received = (q: string) => (server.transcripts.find((t) => t.path.endsWith(q))?.entries ?? [])
  .filter((e) => e.dir === 'in').map((e) => (e.binary ? [...e.data] : e.data.toString('utf8')));

/** Send one command for a socket of the top frame, as the panel does; resolves with the answer. */
async function command(cmd: Command): Promise<CommandResult> {
  const msg = envelope('wsi-panel', { type: 'command' as const, frameId: 0, hook, req: 0, cmd });
  return panel.evaluate((m) => (window as unknown as { wsiCommand(m: unknown): Promise<CommandResult> }).wsiCommand(m), msg);
}

beforeAll(async () => {
  server = await startTestServer();
  const url = server.page('/ff-actions', page_(server.wsOrigin));
  browser = await launchFirefox();
  page = await openTestPage(browser, url);
  tabId = await newestTabId(browser);
  panel = await openPanel(browser, tabId);
  // a second panel port, subscribed to the same tab; the background answers it alone
  hook = await panel.evaluate(`new Promise((resolve) => {
    const port = browser.runtime.connect({ name: ${JSON.stringify(PANEL_PORT)} });
    const waiting = new Map();
    let req = 1;
    port.onMessage.addListener((m) => {
      if (m.type === 'frame-hello' && m.frameId === 0) resolve(m.hook);
      if (m.type === 'command-result') { waiting.get(m.req)?.(m.result); waiting.delete(m.req); }
    });
    window.wsiCommand = (m) => new Promise((answer) => { const r = req++; waiting.set(r, answer); port.postMessage({ ...m, req: r }); });
    port.postMessage(${JSON.stringify(envelope('wsi-panel', { type: 'subscribe', tabId }))});
  })`) as string;
  await connectionOf('ff-a');
  await connectionOf('ff-b');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: acting on traffic', () => {
  it('sends text and binary on the socket, byte for byte, logged as DevTools', async () => {
    const c = (await connectionOf('ff-a')).id;
    expect(await command({ op: 'send', c, data: 'from devtools ✓' })).toEqual({ ok: true });
    expect(await command({ op: 'send', c, data: { b64: 'AQID+g==' } })).toEqual({ ok: true });
    await until(() => received('ff-a').length === 2, 'two frames at the server');
    expect(received('ff-a')).toEqual(['from devtools ✓', [1, 2, 3, 250]]);
    const out = await until(async () => { const f = (await framesOf('ff-a')).filter((x) => x.dir === 'out'); return f.length === 2 ? f : null; }, 'sent frames logged');
    expect(out.map((f) => [f.by, f.text ?? f.base64])).toEqual([['devtools', 'from devtools ✓'], ['devtools', 'AQID+g==']]);
  });

  it('injects text and binary, typed by binaryType, untrusted, with the socket origin', async () => {
    const a = (await connectionOf('ff-a')).id;
    const b = (await connectionOf('ff-b')).id;
    const before = (await seen('ff-a')).length;
    expect(await command({ op: 'inject', c: a, data: 'injected' })).toEqual({ ok: true });
    expect(await command({ op: 'inject', c: a, data: { b64: 'BQYH' } })).toEqual({ ok: true });
    expect(await command({ op: 'inject', c: b, data: { b64: 'CAkK' } })).toEqual({ ok: true });
    const injectedA = await until(async () => { const s = (await seen('ff-a')).filter((x) => x.ev === 'message' && !x.isTrusted); return s.length === 2 ? s : null; }, 'injected into a');
    expect((await seen('ff-a')).length).toBeGreaterThan(before);
    expect(injectedA).toEqual([
      { q: 'ff-a', ev: 'message', isTrusted: false, origin: server.wsOrigin, type: 'string', data: 'injected' },
      { q: 'ff-a', ev: 'message', isTrusted: false, origin: server.wsOrigin, type: 'ArrayBuffer', data: [5, 6, 7] },
    ]);
    const injectedB = await until(async () => { const s = (await seen('ff-b')).filter((x) => x.ev === 'message'); return s.length ? s : null; }, 'injected into b');
    expect(injectedB).toEqual([{ q: 'ff-b', ev: 'message', isTrusted: false, origin: server.wsOrigin, type: 'Blob', data: [8, 9, 10] }]);
    // nothing went to the server; the log has them as received, by DevTools
    expect(received('ff-b')).toEqual([]);
    const inA = await until(async () => {
      const f = (await framesOf('ff-a')).filter((x) => x.dir === 'in' && x.by === 'devtools');
      return f.length === 2 ? f : null;
    }, 'injected frames logged');
    expect(inA.map((f) => f.text ?? f.base64)).toEqual(['injected', 'BQYH']);
  });

  it('simulates a network drop: the page sees error, then 1006 not clean', async () => {
    expect(await command({ op: 'simulate-drop', c: (await connectionOf('ff-b')).id })).toEqual({ ok: true });
    const events = await until(async () => { const s = (await seen('ff-b')).filter((x) => x.ev !== 'message'); return s.some((x) => x.ev === 'close') ? s : null; }, 'drop seen');
    expect(events).toEqual([
      { q: 'ff-b', ev: 'error', isTrusted: false },
      { q: 'ff-b', ev: 'close', code: 1006, reason: '', wasClean: false },
    ]);
  });

  it('closes for real with code and reason; a command on the closed socket says why it cannot', async () => {
    const c = (await connectionOf('ff-a')).id;
    expect(await command({ op: 'close', c, code: 3002, reason: 'devtools bye' })).toEqual({ ok: true });
    await until(async () => (await seen('ff-a')).some((x) => x.ev === 'close'), 'close seen by the page');
    expect((await seen('ff-a')).find((x) => x.ev === 'close')).toEqual({ q: 'ff-a', ev: 'close', code: 3002, reason: 'devtools bye', wasClean: true });
    await until(() => server.transcripts.find((t) => t.path.endsWith('ff-a'))?.closed, 'close at the server');
    expect(server.transcripts.find((t) => t.path.endsWith('ff-a'))!.closed).toEqual({ code: 3002, reason: 'devtools bye' });
    const again = await command({ op: 'send', c, data: 'too late' });
    expect(again).toMatchObject({ ok: false, error: { name: 'InvalidStateError' } });
  });
});
