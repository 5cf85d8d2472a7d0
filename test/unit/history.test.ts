import { describe, expect, it } from 'vitest';
import { History } from '../../src/capture/history';
import type { CaptureEvent } from '../../src/protocol/events';

type E = CaptureEvent<ArrayBuffer>;
let t = 0;
const created = (c: string): E => ({ k: 'created', c, seq: 0, t: t++, url: 'ws://x', resolvedUrl: 'ws://x/', frameUrl: 'http://p/' });
const frame = (c: string, seq: number, data = 'x'.repeat(10)): E =>
  ({ k: 'frame', c, seq, t: t++, dir: 'in', kind: 'text', as: 'string', size: data.length, data });
const close = (c: string, seq: number): E =>
  ({ k: 'close', c, seq, t: t++, code: 1000, reason: '', wasClean: true, initiator: 'server' });

describe('History', () => {
  it('replays everything after the cursors, in seq order per connection', () => {
    const h = new History({ maxFrames: 100, maxBytes: 1e6, maxConnections: 10 });
    h.add(created('a')); h.add(frame('a', 1)); h.add(created('b')); h.add(frame('a', 2)); h.add(frame('b', 1)); h.add(close('a', 3));
    expect(h.since({}).map((e) => `${e.c}${e.seq}`)).toEqual(['a0', 'a1', 'b0', 'a2', 'b1', 'a3']);
    expect(h.since({ a: 1 }).map((e) => `${e.c}${e.seq}`)).toEqual(['b0', 'a2', 'b1', 'a3']);
  });

  it('evicts the oldest frames by count but keeps every lifecycle event', () => {
    const h = new History({ maxFrames: 3, maxBytes: 1e6, maxConnections: 10 });
    h.add(created('a'));
    for (let i = 1; i <= 10; i++) h.add(frame('a', i));
    h.add(close('a', 11));
    expect(h.since({}).map((e) => e.seq)).toEqual([0, 8, 9, 10, 11]);
    expect(h.evicted).toBe(7);
  });

  it('evicts by bytes, and a smaller cap set later applies at once', () => {
    const h = new History({ maxFrames: 1000, maxBytes: 1e6, maxConnections: 10 });
    h.add(created('a'));
    for (let i = 1; i <= 10; i++) h.add(frame('a', i, 'y'.repeat(100))); // 200 bytes each as UTF-16
    expect(h.size.frames).toBe(10);
    h.setCaps({ maxBytes: 450 });
    expect(h.size.frames).toBe(2);
    expect(h.size.bytes).toBeLessThanOrEqual(450);
  });

  it('forgets the oldest closed connection when over the connection cap', () => {
    const h = new History({ maxFrames: 10, maxBytes: 1e6, maxConnections: 2 });
    h.add(created('a')); h.add(close('a', 1)); h.add(created('b')); h.add(created('c'));
    expect(h.size.connections).toBe(2);
    expect(h.since({}).map((e) => e.c)).toEqual(['b', 'c']);
  });

  it('finds a frame payload, including a Blob read later', () => {
    const h = new History();
    h.add(created('a'));
    h.add({ k: 'frame', c: 'a', seq: 1, t: t++, dir: 'out', kind: 'binary', as: 'Blob', size: 3 });
    const buf = new Uint8Array([1, 2, 3]).buffer;
    h.add({ k: 'payload', c: 'a', seq: 2, t: t++, of: 1, data: buf });
    expect(h.findPayload('a', 1)).toEqual({ data: buf, truncated: false });
    expect(h.findPayload('a', 5)).toBeUndefined();
  });
});
