/**
 * The whole data path on fakes, end to end in milliseconds: the hook's real Stream and History → the
 * real relay → the real Router → the real PanelLink → the Store, over fake channels that deliver as the
 * browser does (Chrome's JSON ports, and Firefox's structured clones). What the panel's store ends up
 * holding must be every event the page recorded, once, in order, byte for byte — from before the panel
 * opened, live, across a restart of the background, from two frames — and nothing the page forged.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureEvent } from '../../src/protocol/events';
import { envelope, HANDSHAKE, PANEL_PORT, type FrameBatch } from '../../src/protocol/messages';
import { BATCH_GATHER_MS } from '../../src/transport/router';
import { reportInstallFailure } from '../../src/capture/install-failure';
import { FakeExtension, FakeMessageChannel, FakeWindow, ofType, settle, useFakeTime, type FakeMessagePort, type Serialize } from './fake-ports';
import { batchOf, wireBatchOf, binary, closed, created, opened, openPanel, shown, startBackground, startFrame, startRelayIn, text, type Hook } from './fake-page';

beforeEach(() => { useFakeTime(); });
afterEach(() => { vi.useRealTimers(); });

type Captured = CaptureEvent<ArrayBuffer>;

/** What a page records on one socket, with the frames the panel must show. */
class Socket {
  seq = 0;
  readonly frames: string[] = [];
  constructor(private readonly hook: Hook, readonly id: string) {}
  record(make: (c: string, seq: number) => Captured): void {
    const e = make(this.id, this.seq++);
    if (e.k === 'frame') this.frames.push(shown(e));
    this.hook.record(e);
  }
  /** n messages both ways: texts that JSON and clones must carry exactly, and every byte value */
  talk(n: number, tag: string): void {
    for (let i = 0; i < n; i++) {
      this.record((c, s) => text(c, s, `${tag} ${i} «ünïcödé» \u{1F600} \ud800 "quoted" \\ \n`, 'out'));
      this.record((c, s) => binary(c, s, Array.from({ length: 256 }, (_, b) => (b + i) % 256)));
    }
  }
}

// Chrome's ports carry JSON and its panel opens data ports to the frames; Firefox's carry clones, and its
// DevTools pages cannot open them (both combinations run, so each path is tested with each form)
describe.each<[Serialize, boolean]>([['json', true], ['clone', false], ['json', false], ['clone', true]])('the data path, ports carrying %s, data ports %s', (serialize, dataPorts) => {
  it('says capture failed when the hook could not start at all: a capture error for that document, not nothing', async () => {
    const ext = new FakeExtension(serialize);
    startBackground(ext);
    const win = new FakeWindow('https://page.test/7/0');
    startRelayIn(ext, win, 7, 0);
    reportInstallFailure({
      Object, ArrayBuffer, MessageChannel: FakeMessageChannel,
      postMessage: (data: unknown, origin: string, transfer: FakeMessagePort[]) => win.postMessage(data, origin, transfer),
    } as unknown as typeof globalThis);
    await settle();
    const panel = openPanel(ext, 7, { dataPorts });
    await settle();
    await settle(BATCH_GATHER_MS);
    expect(panel.api.captureErrors()).toBe(1);
    expect(panel.api.connections()).toEqual([]);
  });

  it('brings every event to the panel once, in order, byte for byte, across a background restart; nothing forged', async () => {
    const ext = new FakeExtension(serialize);
    startBackground(ext);
    const top = startFrame(ext, 7, 0, { hookId: 'top' });
    const sub = startFrame(ext, 7, 5, { hookId: 'sub' });
    const a = new Socket(top, 'top.0');
    const b = new Socket(sub, 'sub.0');
    for (const s of [a, b]) {
      s.record((c) => created(c));
      s.record(opened);
    }

    // before any panel: into the page's history only
    a.talk(30, 'early');
    b.talk(5, 'early');
    await settle(1_000);
    const panel = openPanel(ext, 7, { dataPorts });
    // until every message is delivered, and the background's gathering window for the last batches
    await settle();
    await settle(BATCH_GATHER_MS);
    expect(panel.frames(a.id)).toEqual(a.frames);
    expect(panel.frames(b.id, 5)).toEqual(b.frames);

    // live
    a.talk(20, 'live');
    b.talk(20, 'live');
    await settle(100);
    expect(panel.frames(a.id)).toEqual(a.frames);

    // the service worker stops mid-stream; the page goes on
    a.talk(5, 'before stop');
    ext.stopBackground();
    startBackground(ext);
    a.talk(10, 'during restart');
    b.talk(10, 'during restart');
    await settle(2_000);
    expect(panel.statuses).toEqual(['connected', 'reconnecting', 'connected']);
    a.talk(10, 'after restart');

    // the page forges: hook messages on the window, synthetic events, a handshake of its own and messages on its port
    const forged = (c: string, seq: number) => text(c, seq, 'forged');
    const lies = [
      envelope('wsi-hook', { type: 'batch', batch: batchOf([forged(a.id, a.seq), forged(a.id, a.seq + 1)]) }),
      envelope('wsi-hook', { type: 'batch', batch: batchOf([created('top.99'), forged('top.99', 1)]) }),
      envelope('wsi-relay', { type: 'batch', hook: 'top', batch: wireBatchOf([forged(a.id, a.seq)]) }),
      envelope('wsi-background', { type: 'batches', items: [{ frameId: 0, hook: 'top', batch: wireBatchOf([forged(a.id, a.seq)]) }] }),
    ];
    const own = new FakeMessageChannel();
    top.win.postMessage({ type: HANDSHAKE, hook: 'top' }, '*', [own.port2]);
    for (const lie of lies) {
      top.win.postMessage(lie, '*');
      top.win.dispatchSynthetic(lie);
      own.port1.postMessage(lie);
    }
    b.talk(3, 'last');
    a.record(closed);
    b.record(closed);
    await settle(1_000);

    for (const [s, frameId] of [[a, 0], [b, 5]] as const) {
      expect(panel.frames(s.id, frameId)).toEqual(s.frames);
      expect(panel.connection(s.id, frameId)).toMatchObject({ dropped: 0, close: { code: 1000, reason: 'bye' } });
    }
    expect(panel.api.connections().map((c) => c.id)).toEqual([a.id, b.id]);
    // with data ports, no row went through the background (not even across its restart)
    const viaBackground = ext.ports.filter(([client]) => client.name === PANEL_PORT)
      .flatMap(([client]) => ofType<{ items: FrameBatch[] }>(client.received, 'batches'))
      .reduce((n, m) => n + m.items.reduce((k, it) => k + it.batch.rows, 0), 0);
    expect(viaBackground > 0).toBe(!dataPorts);
  });

  it('fetches a payload too large for the stream, whole, through every hop', async () => {
    const ext = new FakeExtension(serialize);
    startBackground(ext);
    const page = startFrame(ext, 2, 0, { hookId: 'p' });
    const long = `${'0123456789abcdef'.repeat(4096)} end \ud83d`; // 64 KiB, cut for the stream
    const s = new Socket(page, 'p.0');
    s.record((c) => created(c));
    s.record((c, seq) => text(c, seq, long));
    const panel = openPanel(ext, 2, { dataPorts });
    await settle();
    await settle(BATCH_GATHER_MS);
    const [preview] = panel.api.frames(panel.connection(s.id)!.key);
    expect(preview).toMatchObject({ truncated: true, size: Buffer.byteLength(long) });
    expect(long.startsWith(preview!.text!)).toBe(true);
    const fetched = panel.link.fetchPayload(0, 'p', s.id, 1);
    await settle();
    await expect(fetched).resolves.toEqual({ data: long });
    expect(panel.frames(s.id)).toEqual([`in ${long}`]);
  });
});
