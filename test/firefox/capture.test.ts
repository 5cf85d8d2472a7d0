/**
 * The capture pipeline in real Firefox ESR (dist/firefox as a temporary add-on): the panel opens
 * after the page did its work and must show every socket since load — every payload type byte for
 * byte as the server's transcript has it, server close 4000, client close 3001, drop 1006, sockets
 * in a child frame, an about:blank and a srcdoc iframe. The same page as the Chromium test.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { scenarioDone } from '../e2e/harness';
import { capturePage, childPage } from '../e2e/pages';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchFirefox, newestTabId, openPanel, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: FirefoxBrowser;
let page: Page;
let panel: Page;
let conns: ConnectionSnapshot[];

const framesOf = (key: string) => panel.evaluate((k) => wsInspector.frames(k), key);
const byUrl = (part: string, nth = 0) => {
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
  browser = await launchFirefox();
  page = await browser.browser.newPage();
  await page.goto(url);
  await scenarioDone(page);
  // the panel opens only now: everything must come from the page's history
  panel = await openPanel(browser, await newestTabId(browser));
  conns = await until(async () => {
    const list = await panel.evaluate(() => wsInspector.connections());
    return list.length >= 11 && list.every((c) => c.state === 3 || c.state === 'failed' || c.url.includes('echo')) ? list : null;
  }, 'connections in the panel');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: capture pipeline, panel opened after the fact', () => {
  it('captures the socket opened by the very first inline script, with its handshake', () => {
    const early = byUrl('/echo', 0);
    expect(early.protocols).toEqual(['chat.v1', 'json']);
    expect(early.protocol).toBe('chat.v1');
    expect(early.extensions).toContain('permessage-deflate');
    expect(early.timeline.map((s) => s.state)).toEqual([0, 1]);
  });

  it('records text, ArrayBuffer, a view with byteOffset and a Blob sent, byte for byte as the server received them', async () => {
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

    const transcript = server.transcripts.find((t) => t.protocol === 'chat.v1')!;
    const received = transcript.entries.filter((e) => e.dir === 'in');
    expect(out.map(payloadBytes)).toEqual(received.map((e) => [...e.data]));
    expect(out.map((f) => f.kind === 'binary')).toEqual(received.map((e) => e.binary));
  });

  it('records received frames byte for byte as the server sent them, whatever binaryType is', async () => {
    const early = byUrl('/echo', 0);
    const inBlob = await until(async () => {
      const f = (await framesOf(early.key)).filter((x) => x.dir === 'in');
      return f.length === 6 && f.every((x) => x.text !== undefined || x.base64 !== undefined) ? f : null;
    }, 'received blobs read');
    expect(inBlob.map((f) => f.as)).toEqual(['string', 'string', 'string', 'Blob', 'Blob', 'Blob']);
    const sent = server.transcripts.find((t) => t.protocol === 'chat.v1')!.entries.filter((e) => e.dir === 'out');
    expect(inBlob.map(payloadBytes)).toEqual(sent.map((e) => [...e.data]));

    const ab = await framesOf(byUrl('/echo', 1).key);
    expect(ab.filter((f) => f.dir === 'in').map((f) => f.as)).toEqual(['ArrayBuffer', 'ArrayBuffer']);
    expect(payloadBytes(ab.filter((f) => f.dir === 'in')[0]!)).toEqual([8, 7]);
    expect(ab.filter((f) => f.dir === 'out').map((f) => f.as)).toEqual(['DataView', 'Float32Array']);
    expect(payloadBytes(ab.filter((f) => f.dir === 'out')[1]!)).toEqual([...Buffer.from(new Float32Array([1.5]).buffer)]);
  });

  it('explains a server close 4000, a client close 3001 and a drop 1006', () => {
    expect(byUrl('/close').close).toMatchObject({ code: 4000, reason: 'server says bye', wasClean: true, initiator: 'server' });
    const client = byUrl('/echo', 2);
    expect(client.closeRequest).toMatchObject({ code: 3001, reason: 'client says bye' });
    expect(client.close).toMatchObject({ code: 3001, reason: 'client says bye', wasClean: true, initiator: 'page' });
    expect(client.timeline.map((s) => s.state)).toEqual([0, 1, 2, 3]);
    expect(byUrl('/drop').close).toMatchObject({ code: 1006, wasClean: false, initiator: 'network' });
  });

  it('captures sockets of a child frame, a script-made about:blank iframe and a srcdoc iframe', async () => {
    const child = conns.find((c) => c.frameUrl.endsWith('/child'));
    expect(child, 'socket of the child frame').toBeDefined();
    expect(child!.frameId).not.toBe(0);
    expect((await framesOf(child!.key)).map((f) => [f.dir, f.text])).toEqual([['out', 'from child frame'], ['in', 'from child frame']]);
    const blank = conns.find((c) => c.frameUrl === 'about:blank');
    expect(blank, 'socket of the about:blank iframe').toBeDefined();
    expect((await framesOf(blank!.key)).map((f) => [f.dir, f.text])).toEqual([['out', 'from about:blank'], ['in', 'from about:blank']]);
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
    expect(byUrl('/echo?errors').problems.map((p) => [p.what, p.error?.name])).toEqual([
      ['send() threw', 'InvalidStateError'], ['close() threw', 'InvalidAccessError']]);
  });

  it('samples bufferedAmount after a large send until it drains, and keeps the URL as given and resolved', () => {
    const samples = byUrl('/echo?errors').buffered;
    expect(samples[0]!.amount).toBeGreaterThan(0);
    expect(samples.at(-1)!.amount).toBe(0);
    const c = byUrl('/echo?via-http');
    expect(c.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/echo\?via-http$/);
    expect(c.resolvedUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/echo\?via-http$/);
    expect(c.binaryType).toBe('arraybuffer');
  });

  it('has nothing dropped and sequence numbers without gaps', async () => {
    for (const c of conns) {
      expect(c.dropped, c.url).toBe(0);
      const seqs = (await framesOf(c.key)).map((f) => f.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    }
  });
});
