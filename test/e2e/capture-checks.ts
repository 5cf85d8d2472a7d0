/**
 * The capture checks, once for both browsers: test/e2e/capture.test.ts (Chromium) and
 * test/firefox/capture.test.ts (Firefox) each load the same page (pages.ts capturePage), open the
 * panel only after the page did its work, and hand over what they saw (`captureContext`); the `it`s
 * here then compare the panel with the page and with the server's own transcript.
 */
import { expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import type { TestServer } from '../fixtures/server';
import { automationIn, until, type Evaluates } from './harness';
import { capturePage, childPage } from './pages';

export interface CaptureContext {
  server: TestServer;
  /** the capture page's tab */
  page: Evaluates;
  /** every socket the panel listed, once the page's sockets settled */
  conns: ConnectionSnapshot[];
  framesOf(key: string): Promise<FrameSnapshot[]>;
}

/** Serve the capture page and its child frame's page; returns the capture page's URL. */
export function serveCapturePage(server: TestServer): string {
  server.page('/child', childPage(server.wsOrigin));
  return server.page('/capture', capturePage(server.wsOrigin, server.origin));
}

/** Wait until the panel (opened after the fact) lists the page's 11 sockets, all settled. */
export async function captureContext(server: TestServer, page: Evaluates,
  panel: { evaluate(expression: string): Promise<unknown> }): Promise<CaptureContext> {
  const automation = automationIn(panel);
  const conns = await until(async () => {
    const list = await automation.connections();
    return list.length >= 11 && list.every((c) => c.state === 3 || c.state === 'failed' || c.url.includes('echo')) ? list : null;
  }, 'connections in the panel');
  return { server, page, conns, framesOf: automation.frames };
}

const payloadBytes = (f: FrameSnapshot) =>
  f.base64 !== undefined ? [...Buffer.from(f.base64, 'base64')] : [...Buffer.from(f.text ?? '', 'utf8')];

/** The checks, as `it`s of the caller's describe; `context` is read once its beforeAll ran. */
export function defineCaptureChecks(context: () => CaptureContext): void {
  const byUrl = (part: string, nth = 0) => {
    const { conns } = context();
    // sockets of the top document, in creation order (frames report independently)
    const c = conns.filter((x) => x.frameId === 0 && x.url.includes(part)).sort((a, b) => a.createdAt - b.createdAt)[nth];
    if (!c) throw new Error(`no connection ${part}#${nth} in ${conns.map((x) => x.url).join(', ')}`);
    return c;
  };
  const framesOf = (key: string) => context().framesOf(key);
  const transcript = () => context().server.transcripts.find((t) => t.protocol === 'chat.v1')!;

  it('captures the socket opened by the very first inline script, with its handshake', () => {
    const early = byUrl('/echo', 0);
    expect(early.protocols).toEqual(['chat.v1', 'json']);
    expect(early.protocol).toBe('chat.v1');
    expect(early.extensions).toContain('permessage-deflate');
    expect(early.frameId).toBe(0);
    expect(early.timeline.map((s) => s.state)).toEqual([0, 1]);
  });

  it('records every payload type sent (text, ArrayBuffer, a view with byteOffset, a Blob), byte for byte as the server received it', async () => {
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

    const received = transcript().entries.filter((e) => e.dir === 'in');
    expect(out.map(payloadBytes)).toEqual(received.map((e) => [...e.data]));
    expect(out.map((f) => f.kind === 'binary')).toEqual(received.map((e) => e.binary));
  });

  it('records received frames byte for byte as the server sent them, whatever binaryType is', async () => {
    const inBlob = await until(async () => {
      const f = (await framesOf(byUrl('/echo', 0).key)).filter((x) => x.dir === 'in');
      return f.length === 6 && f.every((x) => x.text !== undefined || x.base64 !== undefined) ? f : null;
    }, 'received blobs read');
    expect(inBlob.map((f) => f.as)).toEqual(['string', 'string', 'string', 'Blob', 'Blob', 'Blob']);
    const sent = transcript().entries.filter((e) => e.dir === 'out');
    expect(inBlob.map(payloadBytes)).toEqual(sent.map((e) => [...e.data]));
    expect([...Buffer.from(inBlob[5]!.base64!, 'base64')]).toEqual([...Buffer.from('blob-data')]);

    const ab = await framesOf(byUrl('/echo', 1).key);
    const abIn = ab.filter((f) => f.dir === 'in');
    const abOut = ab.filter((f) => f.dir === 'out');
    expect(abIn.map((f) => f.as)).toEqual(['ArrayBuffer', 'ArrayBuffer']);
    expect(payloadBytes(abIn[0]!)).toEqual([8, 7]);
    expect(abOut.map((f) => f.as)).toEqual(['DataView', 'Float32Array']);
    expect(payloadBytes(abOut[1]!)).toEqual([...Buffer.from(new Float32Array([1.5]).buffer)]);
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

  it('captures sockets of a child frame and of a script-made about:blank iframe, with their frames', async () => {
    const { conns } = context();
    const child = conns.find((c) => c.frameUrl.endsWith('/child'));
    expect(child, 'socket of the child frame').toBeDefined();
    expect(child!.frameId).not.toBe(0);
    expect((await framesOf(child!.key)).map((f) => [f.dir, f.text])).toEqual([['out', 'from child frame'], ['in', 'from child frame']]);
    const blank = conns.find((c) => c.frameUrl === 'about:blank');
    expect(blank, 'socket of the about:blank iframe').toBeDefined();
    expect((await framesOf(blank!.key)).map((f) => [f.dir, f.text])).toEqual([['out', 'from about:blank'], ['in', 'from about:blank']]);
  });

  it('captures a socket of a srcdoc iframe', async () => {
    const srcdoc = context().conns.find((c) => c.url.endsWith('/echo?srcdoc'));
    expect(srcdoc?.frameUrl).toBe('about:srcdoc');
    expect(srcdoc?.frameId).not.toBe(0);
    const frames = await until(async () => { const f = await framesOf(srcdoc!.key); return f.length ? f : null; }, 'srcdoc frames');
    expect(frames[0]).toMatchObject({ dir: 'out', text: 'from srcdoc' });
  });

  it('records exceptions the API threw, which still reached the page unchanged', async () => {
    expect(await context().page.evaluate(() => (window as unknown as { errors: string[] }).errors))
      .toEqual(['SyntaxError', 'InvalidStateError', 'InvalidAccessError']);
    const failed = context().conns.find((c) => c.state === 'failed')!;
    expect(failed.url).toBe('ftp://x/');
    expect(failed.problems[0]).toMatchObject({ what: 'new WebSocket() threw', error: { name: 'SyntaxError' } });
    expect(byUrl('/echo?errors').problems.map((p) => [p.what, p.error?.name])).toEqual([
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
    for (const c of context().conns) {
      expect(c.dropped, c.url).toBe(0);
      const seqs = (await framesOf(c.key)).map((f) => f.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    }
  });
}
