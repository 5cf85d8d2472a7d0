/**
 * Story 1–2: open the panel after the page did its work and see every socket
 * since load — frames both ways byte for byte, every payload type, every way
 * a socket closes, sockets in iframes — checked against the server's own
 * transcript.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, scenarioDone, until, type Browser } from './harness';
import { capturePage, childPage } from './pages';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;
let page: Page;
let panel: Page;
let conns: ConnectionSnapshot[];

const framesOf = (key: string) => panel.evaluate((k) => wsInspector.frames(k), key);
const byUrl = (part: string, nth = 0) => {
  // sockets of the top document, in creation order (frames report independently)
  const c = conns.filter((x) => x.frameId === 0 && x.url.includes(part)).sort((a, b) => a.createdAt - b.createdAt)[nth];
  if (!c) throw new Error(`no connection ${part}#${nth} in ${conns.map((x) => x.url).join(', ')}`);
  return c;
};
const payloadBytes = (f: FrameSnapshot) =>
  f.base64 !== undefined ? [...Buffer.from(f.base64, 'base64')] : [...Buffer.from(f.text ?? '', 'utf8')];

beforeAll(async () => {
  server = await startTestServer();
  server.page('/child', childPage(server.wsOrigin));
  const url = server.page('/capture', capturePage(server.wsOrigin, server.origin));
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(url);
  await scenarioDone(page);
  // the panel opens only now: everything must come from the page's history
  panel = await openPanel(browser, await newestTabId(browser));
  conns = await until(async () => {
    const list = await panel.evaluate(() => (typeof wsInspector === 'undefined' ? [] : wsInspector.connections()));
    return list.length >= 11 && list.every((c) => c.state === 3 || c.state === 'failed' || c.url.includes('echo')) ? list : null;
  }, 'connections in the panel');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('capture pipeline, panel opened after the fact', () => {
  it('captures the socket opened by the very first inline script, with its handshake', () => {
    const early = byUrl('/echo', 0);
    expect(early.protocols).toEqual(['chat.v1', 'json']);
    expect(early.protocol).toBe('chat.v1');
    expect(early.extensions).toContain('permessage-deflate');
    expect(early.frameId).toBe(0);
    expect(early.timeline.map((s) => s.state)).toEqual([0, 1]);
  });

  it('records every payload type sent, byte for byte as the server received it', async () => {
    const early = byUrl('/echo', 0);
    const frames = await until(async () => {
      const f = await framesOf(early.key);
      return f.filter((x) => x.dir === 'out').every((x) => x.text !== undefined || x.base64 !== undefined) ? f : null;
    }, 'blob payloads read');
    const out = frames.filter((f) => f.dir === 'out');
    expect(out.map((f) => f.as)).toEqual(['string', 'string', 'string', 'ArrayBuffer', 'Uint8Array', 'Blob']);
    expect(out[1]!.text).toBe('héllo ✓ 😀');
    expect(out[1]!.size).toBe(Buffer.byteLength('héllo ✓ 😀'));
    expect(payloadBytes(out[4]!)).toEqual([102, 103, 104]);
    expect(out[5]!.size).toBe(9);
    expect(out.every((f) => typeof f.buffered === 'number')).toBe(true);

    const transcript = server.transcripts.find((t) => t.protocol === 'chat.v1')!;
    const received = transcript.entries.filter((e) => e.dir === 'in');
    expect(out.map(payloadBytes)).toEqual(received.map((e) => [...e.data]));
    expect(out.map((f) => f.kind === 'binary')).toEqual(received.map((e) => e.binary));
  });

  it('records received frames whatever binaryType is', async () => {
    const inBlob = (await framesOf(byUrl('/echo', 0).key)).filter((f) => f.dir === 'in');
    expect(inBlob.map((f) => f.as)).toEqual(['string', 'string', 'string', 'Blob', 'Blob', 'Blob']);
    const ab = (await framesOf(byUrl('/echo', 1).key));
    const abIn = ab.filter((f) => f.dir === 'in');
    expect(abIn.map((f) => f.as)).toEqual(['ArrayBuffer', 'ArrayBuffer']);
    expect(payloadBytes(abIn[0]!)).toEqual([8, 7]);
    expect(ab.filter((f) => f.dir === 'out').map((f) => f.as)).toEqual(['DataView', 'Float32Array']);
    const blobEcho = await until(async () => (await framesOf(byUrl('/echo', 0).key)).filter((f) => f.dir === 'in')[5]?.base64,
      'received blob read');
    expect([...Buffer.from(blobEcho, 'base64')]).toEqual([...Buffer.from('blob-data')]);
  });

  it('explains a server close with code and reason', () => {
    const c = byUrl('/close');
    expect(c.close).toMatchObject({ code: 4000, reason: 'server says bye', wasClean: true, initiator: 'server' });
    expect(c.state).toBe(3);
  });

  it('explains a client close with code and reason', () => {
    const c = byUrl('/echo', 2);
    expect(c.closeRequest).toMatchObject({ code: 3001, reason: 'client says bye' });
    expect(c.close).toMatchObject({ code: 3001, reason: 'client says bye', wasClean: true, initiator: 'page' });
    expect(c.timeline.map((s) => s.state)).toEqual([0, 1, 2, 3]);
  });

  it('explains an abrupt drop as 1006 with no closing handshake', () => {
    const c = byUrl('/drop');
    expect(c.close).toMatchObject({ code: 1006, wasClean: false, initiator: 'network' });
  });

  it('captures sockets of a child frame and of a script-made about:blank iframe', async () => {
    const child = conns.find((c) => c.frameUrl.endsWith('/child'));
    expect(child, 'socket of the child frame').toBeDefined();
    expect(child!.frameId).not.toBe(0);
    const blank = conns.find((c) => c.frameUrl === 'about:blank');
    expect(blank, 'socket of the about:blank iframe').toBeDefined();
    const frames = await framesOf(blank!.key);
    expect(frames.map((f) => [f.dir, f.text])).toEqual([['out', 'from about:blank'], ['in', 'from about:blank']]);
  });

  it('captures a socket of a srcdoc iframe', async () => {
    const srcdoc = conns.find((c) => c.url.endsWith('/echo?srcdoc'));
    expect(srcdoc?.frameUrl).toBe('about:srcdoc');
    expect(srcdoc?.frameId).not.toBe(0);
    const frames = await until(async () => { const f = await framesOf(srcdoc!.key); return f.length ? f : null; }, 'srcdoc frames');
    expect(frames[0]).toMatchObject({ dir: 'out', text: 'from srcdoc' });
  });

  it('records exceptions the API threw, which still reached the page unchanged', async () => {
    expect(await page.evaluate(() => (window as unknown as { errors: string[] }).errors))
      .toEqual(['SyntaxError', 'InvalidStateError', 'InvalidAccessError']);
    const failed = conns.find((c) => c.state === 'failed')!;
    expect(failed.url).toBe('ftp://x/');
    expect(failed.problems[0]).toMatchObject({ what: 'new WebSocket() threw', error: { name: 'SyntaxError' } });
    const early2 = byUrl('/echo?errors');
    expect(early2.problems.map((p) => [p.what, p.error?.name])).toEqual([
      ['send() threw', 'InvalidStateError'], ['close() threw', 'InvalidAccessError']]);
  });

  it('samples bufferedAmount after a large send until it drains to 0', () => {
    const samples = byUrl('/echo?errors').buffered;
    expect(samples[0]!.amount).toBeGreaterThan(0);
    expect(samples.at(-1)!.amount).toBe(0);
  });

  it('keeps the url as given and as resolved, and binaryType at open', () => {
    const c = byUrl('/echo?via-http');
    expect(c.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/echo\?via-http$/);
    expect(c.resolvedUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/echo\?via-http$/);
    expect(c.binaryType).toBe('arraybuffer');
    expect(byUrl('/echo', 0).binaryType).toBe('blob');
  });

  it('has nothing dropped and sequence numbers without gaps', async () => {
    for (const c of conns) {
      expect(c.dropped, c.url).toBe(0);
      const seqs = (await framesOf(c.key)).map((f) => f.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    }
  });
});
