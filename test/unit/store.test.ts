import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../src/protocol/messages';
import { Store } from '../../src/store/store';

const ev = (seq: number, extra: Partial<WireEvent> & { k: WireEvent['k'] }): WireEvent =>
  ({ c: 'h.0', seq, t: 1000 + seq, ...extra }) as WireEvent;
const created = ev(0, { k: 'created', url: 'ws://a/', resolvedUrl: 'ws://a/', frameUrl: 'http://p/' } as never);
const frame = (seq: number, dir: 'in' | 'out' = 'in') =>
  ev(seq, { k: 'frame', dir, kind: 'text', as: 'string', size: 2, data: 'hi' } as never);

describe('Store', () => {
  it('builds a connection with counts from its events', () => {
    const s = new Store();
    s.ingest(0, 'h', [created, frame(1), frame(2, 'out'), ev(3, { k: 'close', code: 4000, reason: 'r', wasClean: true, initiator: 'server' } as never)]);
    const c = s.order[0]!;
    expect([c.framesIn, c.framesOut, c.bytesIn, c.bytesOut]).toEqual([1, 1, 2, 2]);
    expect(c.close).toMatchObject({ code: 4000, initiator: 'server' });
  });

  it('ignores duplicates (re-sent after a reconnect) and counts gaps as dropped', () => {
    const s = new Store();
    s.ingest(0, 'h', [created, frame(1), frame(2)]);
    s.ingest(0, 'h', [frame(1), frame(2), frame(3)]); // replay overlapping what we have
    s.ingest(0, 'h', [frame(7)]);
    const c = s.order[0]!;
    expect(c.frames.map((f) => f.seq)).toEqual([1, 2, 3, 7]);
    expect(c.dropped).toBe(3);
  });

  it('tells listeners once per batch and gives attach cursors', () => {
    const s = new Store();
    let calls = 0;
    s.subscribe(() => calls++);
    s.ingest(0, 'h', [created, frame(1), frame(2)]);
    expect(calls).toBe(1);
    expect(s.cursorsFor(0, 'h')).toEqual({ 'h.0': 2 });
    expect(s.cursorsFor(0, 'other')).toEqual({});
  });

  it('fills a Blob frame with its payload event', () => {
    const s = new Store();
    s.ingest(0, 'h', [created, ev(1, { k: 'frame', dir: 'out', kind: 'binary', as: 'Blob', size: 3 } as never),
      ev(2, { k: 'payload', of: 1, data: { b64: 'AQID' } } as never)]);
    expect(s.order[0]!.frames.at(0)!.data).toEqual({ b64: 'AQID' });
  });
});

describe('Store.clear', () => {
  it('drops closed connections and the frames of live ones, keeping live rows for what comes next', () => {
    const s = new Store();
    s.ingest(0, 'h', [created, frame(1)]);
    s.ingest(0, 'h', [{ ...created, c: 'h.1' }, ev(1, { k: 'close', c: 'h.1', code: 1000, reason: '', wasClean: true, initiator: 'server' } as never)]);
    s.clear();
    expect(s.order.map((c) => c.id)).toEqual(['h.0']);
    expect(s.order[0]!.frames.length).toBe(0);
    s.ingest(0, 'h', [frame(2)]);
    expect(s.order[0]!.url).toBe('ws://a/');
    expect(s.order[0]!.framesIn).toBe(1);
    expect(s.order[0]!.dropped).toBe(0);
  });
});

describe('IngestStats', () => {
  it('reports capture → panel latency percentiles over recent events', async () => {
    const { IngestStats } = await import('../../src/store/ingest-stats');
    const stats = new IngestStats();
    stats.batch(Array.from({ length: 100 }, (_, i) => 1000 - i), [], 1000); // latencies 0..99 ms
    const s = stats.summary();
    expect([s.events, s.batches, s.latency.samples]).toEqual([100, 1, 100]);
    expect(s.latency.p50).toBe(50);
    expect(s.latency.p99).toBe(99);
    expect(s.latency.max).toBe(99);
  });
});
