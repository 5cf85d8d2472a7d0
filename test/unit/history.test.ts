import { describe, expect, it } from 'vitest';
import { FrameLog } from '../../src/capture/frame-log';
import { History } from '../../src/capture/history';
import { takeDataNatives } from '../../src/capture/natives';
import { FLAG, NONE, type LifecycleEvent } from '../../src/protocol/batch';

const n = takeDataNatives(globalThis);
let t = 0;
const created = (c: string): LifecycleEvent => ({ k: 'created', c, seq: 0, t: t++, url: 'ws://x', resolvedUrl: 'ws://x/', frameUrl: 'http://p/' });
const close = (c: string, seq: number): LifecycleEvent => ({ k: 'close', c, seq, t: t++, code: 1000, reason: '', wasClean: true, initiator: 'server' });
/** Write a text message row of `chars` characters. */
const text = (log: FrameLog, conn: number, seq: number, chars = 10) => log.add(conn, seq, t++, 0, 0, NONE, NONE, 'x'.repeat(chars));
const seqs = (log: FrameLog) => Array.from({ length: log.count }, (_, k) => log.seq[log.index(log.oldest + k)]);

describe('FrameLog: the page history of messages, in columns', () => {
  it('numbers rows for the life of the document and evicts the oldest by count', () => {
    const log = new FrameLog(n, 3, 1e6);
    for (let i = 1; i <= 10; i++) text(log, 0, i);
    expect([log.written, log.oldest, log.count, log.evicted]).toEqual([10, 7, 3, 7]);
    expect(seqs(log)).toEqual([8, 9, 10]);
  });

  it('grows as needed, keeping order across the wrap of the ring', () => {
    const log = new FrameLog(n, 1000, 1e9);
    for (let i = 0; i < 700; i++) text(log, i % 3, i);
    expect(log.count).toBe(700);
    expect(seqs(log)).toEqual(Array.from({ length: 700 }, (_, i) => i));
  });

  it('evicts by bytes, and smaller caps set later apply at once', () => {
    const log = new FrameLog(n, 1000, 1e6);
    for (let i = 1; i <= 10; i++) text(log, 0, i, 100); // 200 bytes each as UTF-16
    expect(log.count).toBe(10);
    log.setCaps(1000, 450);
    expect(log.count).toBe(2);
    expect(log.bytes).toBeLessThanOrEqual(450);
    log.setCaps(1, 1e6);
    expect(seqs(log)).toEqual([10]);
    text(log, 0, 11);
    expect(seqs(log)).toEqual([11]);
  });

  it('finds a message payload, including a Blob read later, and not a sample', () => {
    const log = new FrameLog(n, 100, 1e6);
    log.add(0, 1, t++, FLAG.out | FLAG.binary | FLAG.noData, 2, 3, NONE, undefined);
    log.add(0, 2, t++, FLAG.sample, 0, 0, 1, undefined);
    const buf = new Uint8Array([1, 2, 3]).buffer;
    log.add(0, 3, t++, FLAG.payload | FLAG.binary, 2, 3, 1, buf);
    expect(log.findPayload(0, 1)).toEqual({ data: buf, truncated: false });
    expect(log.findPayload(0, 2)).toBeUndefined();
    expect(log.findPayload(1, 1)).toBeUndefined();
  });
});

describe('History: lifecycle kept for every connection, in order with the rows', () => {
  it('notes the row each event came at', () => {
    const h = new History(n);
    h.addLifecycle(created('h.0'));
    text(h.log, 0, 1);
    text(h.log, 0, 2);
    const entry = h.addLifecycle(close('h.0', 3));
    expect(entry.row).toBe(2);
    expect(Array.from(h.lifecycle, (e) => `${e.e.k}@${e.row}`)).toEqual(['created@0', 'close@2']);
  });

  it('forgets the oldest ended connection when over the connection cap', () => {
    const h = new History(n, { maxFrames: 10, maxBytes: 1e6, maxConnections: 2 });
    h.addLifecycle(created('a.0')); h.addLifecycle(close('a.0', 1)); h.addLifecycle(created('a.1')); h.addLifecycle(created('a.2'));
    expect(h.size.connections).toBe(2);
    expect(Array.from(h.lifecycle, (e) => e.e.c)).toEqual(['a.1', 'a.2']);
  });
});

describe('History: what interception did is bounded too', () => {
  const icpt = (c: string, seq: number, data?: string): LifecycleEvent => ({ k: 'intercept', c, seq, t: t++, of: seq - 1, dir: 'out', outcome: 'edited', cause: 'rule', ...(data ? { data } : {}) });
  it('keeps at most the frame caps\' count and bytes of intercept events (a rule can act on every message), the newest', () => {
    const h = new History(n, { maxFrames: 100, maxBytes: 1e9, maxConnections: 10 });
    h.addLifecycle(created('a.0'));
    for (let i = 1; i <= 1000; i++) h.addLifecycle(icpt('a.0', 2 * i));
    const kept = Array.from(h.lifecycle).filter((l) => l.e.k === 'intercept');
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept.at(-1)!.e.seq).toBe(2000);
    expect(h.lifecycle[0]!.e.k).toBe('created');
    const big = new History(n, { maxFrames: 1e6, maxBytes: 10_000, maxConnections: 10 });
    for (let i = 1; i <= 100; i++) big.addLifecycle(icpt('b.0', i, 'x'.repeat(1000)));
    expect(big.lifecycle.length * 2000).toBeLessThanOrEqual(10_000);
  });
});
