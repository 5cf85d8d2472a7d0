/**
 * WebSocketStream captured by the page hook from page load, like a WebSocket: opened with its protocol and
 * extensions, every message both ways (text and binary, byte for byte as the server saw them), the page's
 * close() with its code and reason, a server close, a dropped connection, who created it — with the panel
 * opened after the page did its work (Chromium: Firefox has no WebSocketStream).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { automationIn, launch, newestTabId, openPanel, openTestPage, until, type Browser } from './harness';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const page = (ws: string) => `<!doctype html><title>streams</title><script>
window.step = 'start';
(async function streams() {
  const s = new WebSocketStream(${JSON.stringify(`${ws}/echo?stream=1`)}, { protocols: ['chat.v2'] });
  const { readable, writable } = await s.opened;
  const writer = writable.getWriter(), reader = readable.getReader();
  await writer.write('héllo stream');
  await writer.write(new Uint8Array([0, 1, 254, 255]));
  await reader.read(); await reader.read();
  s.close({ closeCode: 4100, reason: 'page is done' });
  await s.closed;
  window.step = 'server close';
  const sc = new WebSocketStream(${JSON.stringify(`${ws}/close?code=4000&reason=bye`)});
  const w2 = (await sc.opened).writable.getWriter();
  await w2.write('close me');
  await sc.closed;
  window.step = 'drop';
  const d = new WebSocketStream(${JSON.stringify(`${ws}/drop`)});
  await (await d.opened).writable.getWriter().write('drop me');
  await d.closed.catch(() => {});
  window.done = true;
})().catch((e) => { window.failed = String(e); });
</script>`;

describe('WebSocketStream, captured by the page hook', () => {
  it('has each stream with its frames both ways, its closes and its initiator, from before the panel opened', async () => {
    await openTestPage(browser, server.page('/streams', page(server.wsOrigin)));
    const panel = await openPanel(browser, await newestTabId(browser));
    const auto = automationIn(panel);
    const conns = await until(async () => {
      const all = await auto.connections();
      return all.length >= 3 && all.every((c) => c.close) ? all : null;
    }, 'three closed streams');
    for (const c of conns) expect(c).toMatchObject({ source: 'stream', frameId: 0 });
    expect(conns.every((c) => c.network === undefined)).toBe(true);
    const [first, server1, drop] = conns;
    expect(first).toMatchObject({ protocols: ['chat.v2'], protocol: 'chat.v2', extensions: 'permessage-deflate', framesOut: 2, framesIn: 2 });
    expect(first!.close).toMatchObject({ code: 4100, reason: 'page is done', wasClean: true, initiator: 'page' });
    expect(first!.stack?.[0]).toMatchObject({ fn: 'streams', line: 4 });
    const frames = await auto.frames(first!.key);
    expect(frames.map((f) => [f.dir, f.kind, f.text ?? f.base64])).toEqual([
      ['out', 'text', 'héllo stream'], ['out', 'binary', 'AAH+/w=='], ['in', 'text', 'héllo stream'], ['in', 'binary', 'AAH+/w=='],
    ]);
    expect(frames[1]).toMatchObject({ as: 'Uint8Array', size: 4 });
    const seen = server.transcripts.find((t) => t.path === '/echo?stream=1')!;
    expect(seen.entries.filter((e) => e.dir === 'in').map((e) => (e.binary ? e.data.toString('base64') : e.data.toString()))).toEqual(['héllo stream', 'AAH+/w==']);
    expect(seen.closed).toEqual({ code: 4100, reason: 'page is done' });
    expect(server1!.close).toMatchObject({ code: 4000, reason: 'bye', wasClean: true, initiator: 'server' });
    expect(drop!.close).toMatchObject({ code: 1006, wasClean: false, initiator: 'network' });
    expect(drop!.problems.map((p) => p.what)).toContain('error event');
  });
});
