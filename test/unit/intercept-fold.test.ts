/**
 * The store's fold of intercept events: records per message, the held queue, rule hits, the memory they
 * count and their eviction with their frames; rows a rule answered with keep FLAG.rule; exports (NDJSON,
 * HAR) carry it all and import brings it back.
 */
import { describe, expect, it } from 'vitest';
import { exportHar, exportNdjson, importHar, importNdjson } from '../../src/export';
import { markOf } from '../../src/intercept/marks';
import type { WireEvent } from '../../src/protocol/messages';
import { Store } from '../../src/store/store';

const T = 1_700_000_000_000;
const ev = (seq: number, e: Record<string, unknown>, c = 'h.0') => ({ c, seq, t: T + seq, ...e }) as WireEvent;
const frame = (seq: number, dir: 'out' | 'in', data: string, more: Record<string, unknown> = {}) =>
  ev(seq, { k: 'frame', dir, kind: 'text', as: 'string', size: Buffer.byteLength(data), data, ...more });
const icpt = (seq: number, of: number, dir: 'out' | 'in', outcome: string, cause: string, more: Record<string, unknown> = {}) =>
  ev(seq, { k: 'intercept', of, dir, outcome, cause, ...more });

function sample(): WireEvent[] {
  return [
    ev(0, { k: 'created', url: 'ws://a/x', resolvedUrl: 'ws://a/x', frameUrl: 'http://a/' }),
    ev(1, { k: 'open', protocol: '', extensions: '', binaryType: 'blob' }),
    frame(2, 'out', '{"n":1}'),
    icpt(3, 2, 'out', 'held', 'breakpoint', { hold: 1, matched: 'every message' }),
    frame(4, 'out', 'second'),
    icpt(5, 4, 'out', 'held', 'breakpoint', { hold: 2, matched: 'every message' }),
    icpt(6, 2, 'out', 'edited', 'user', { data: '{"n":2}' }),
    frame(7, 'out', 'price=1'),
    icpt(8, 7, 'out', 'edited', 'rule', { rule: { id: 'r1', name: 'cheap' }, data: 'price=0' }),
    frame(9, 'out', '{"op":"ask","id":3}'),
    icpt(10, 9, 'out', 'answered', 'rule', { rule: { id: 'r2', name: 'mock' } }),
    icpt(11, 9, 'out', 'dropped', 'rule', { rule: { id: 'r2', name: 'mock' } }),
    frame(12, 'in', '{"answer":3}', { by: 'rule' }),
    frame(13, 'in', 'bin', { kind: 'binary', as: 'ArrayBuffer', data: { b64: 'AQID' }, size: 3 }),
    icpt(14, 13, 'in', 'edited', 'user', { data: { b64: 'BAUG' } }),
  ];
}

describe('the fold of intercept events', () => {
  it('keeps records per message, the held queue, and hits per rule (a message once per rule)', () => {
    const s = new Store();
    s.ingest(0, 'h', sample());
    const c = s.order[0]!;
    expect(s.intercepts.held.map((h) => [h.hold, h.of, h.dir, h.matched, h.data, h.size])).toEqual([[2, 4, 'out', 'every message', 'second', 6]]);
    expect(s.intercepts.recordsOf(c, 2)!.map((r) => [r.outcome, r.cause, r.data])).toEqual([['held', 'breakpoint', undefined], ['edited', 'user', '{"n":2}']]);
    expect([...s.intercepts.hits]).toEqual([['r1', 1], ['r2', 1]]);
    // the grid's marks
    expect(markOf(s.intercepts.recordsOf(c, 2))).toEqual({ badge: 'edited', words: 'Held by the breakpoint (matched every message), then edited by you', gone: false });
    expect(markOf(s.intercepts.recordsOf(c, 4))).toMatchObject({ badge: 'held', words: expect.stringContaining('(still held)') });
    expect(markOf(s.intercepts.recordsOf(c, 9))).toMatchObject({ badge: 'answered', gone: true });
    // the rule's answer is a received row marked as the rule's
    expect(s.frame(c.frames.idAt(c.frames.length - 2))).toMatchObject({ dir: 'in', by: 'rule', data: '{"answer":3}' });
    // decided: out of the queue
    s.ingest(0, 'h', [icpt(15, 4, 'out', 'forwarded', 'timeout')]);
    expect(s.intercepts.held).toEqual([]);
  });

  it('counts against the memory cap and goes with evicted frames; held messages stay across Clear', () => {
    const s = new Store();
    s.ingest(0, 'h', sample().slice(0, 6));
    const c = s.order[0]!;
    const before = s.memoryUsed;
    expect(s.intercepts.bytes).toBeGreaterThan(0);
    expect(before).toBe(s.table.used + s.intercepts.bytes);
    s.clear();
    expect(s.intercepts.count).toBe(0);
    expect(s.intercepts.held).toHaveLength(2);
    // a flood evicts the frames: their records go with them
    s.setMemoryCap(1024 * 1024);
    s.ingest(0, 'h', [frame(20, 'out', 'y'.repeat(300_000)), icpt(21, 20, 'out', 'edited', 'rule', { rule: { id: 'r', name: 'r' }, data: 'z'.repeat(300_000) })]);
    expect(s.intercepts.recordsOf(c, 20)).toHaveLength(1);
    for (let i = 0; i < 6; i++) s.ingest(0, 'h', [frame(22 + i, 'out', 'w'.repeat(300_000))]);
    expect(s.intercepts.recordsOf(c, 20)).toBeUndefined();
    expect(s.memoryUsed).toBeLessThanOrEqual(s.memoryCap);
    // a new document in the tab: nothing of the old one is held any more
    s.reset();
    expect(s.intercepts.held).toEqual([]);
  });
});

describe('exports carry interception', () => {
  const off = { redaction: { enabled: false } };
  const withIntercepts = (s: Store) => ({ ...off, intercepts: (c: Parameters<Store['intercepts']['eventsOf']>[0]) => s.intercepts.eventsOf(c) });

  it('NDJSON: the intercept events as lines; import gives back the same records', () => {
    const s = new Store();
    s.ingest(0, 'h', sample());
    const text = exportNdjson(s.order, withIntercepts(s)).text;
    expect(text.split('\n').filter((l) => l.includes('"k":"intercept"'))).toHaveLength(7);
    const back = importNdjson(text);
    if (!back.ok) throw new Error(back.error);
    const again = new Store();
    for (const c of back.connections) again.ingest(c.frameId, c.hook, c.events);
    const c0 = s.order[0]!, c1 = again.order[0]!;
    for (const seq of [2, 4, 7, 9, 13]) expect(again.intercepts.recordsOf(c1, seq)).toEqual(s.intercepts.recordsOf(c0, seq));
    expect(again.intercepts.held.map((h) => h.hold)).toEqual([2]);
    expect(exportNdjson(again.order, withIntercepts(again)).text.split('\n').slice(1)).toEqual(text.split('\n').slice(1));
  });

  it('HAR: an _intercept per message (outcomes, rule, original, changed); import brings it back', () => {
    const s = new Store();
    s.ingest(0, 'h', sample());
    const { har, text } = exportHar(s.order, withIntercepts(s));
    const msgs = (har.log.entries[0] as unknown as { _webSocketMessages: { data: string; _intercept?: Record<string, unknown> }[] })._webSocketMessages;
    expect(msgs.find((m) => m.data === '{"n":1}')!._intercept).toEqual({
      records: [
        { seq: 3, t: T + 3, outcome: 'held', cause: 'breakpoint', hold: 1, matched: 'every message' },
        { seq: 6, t: T + 6, outcome: 'edited', cause: 'user', data: '{"n":2}', opcode: 1 },
      ],
      original: '{"n":1}', changed: '{"n":2}', changedOpcode: 1,
    });
    expect(msgs.find((m) => m.data === 'AQID')!._intercept).toMatchObject({ original: 'AQID', changed: 'BAUG', changedOpcode: 2 });
    expect(msgs.find((m) => m.data === '{"answer":3}')).toMatchObject({ _by: 'rule' });
    const back = importHar(text);
    if (!back.ok) throw new Error(back.error);
    const again = new Store();
    for (const c of back.connections) again.ingest(c.frameId, c.hook, c.events);
    const c0 = s.order[0]!, c1 = again.order[0]!;
    for (const seq of [2, 4, 7, 9, 13]) expect(again.intercepts.recordsOf(c1, seq)).toEqual(s.intercepts.recordsOf(c0, seq));
    expect(again.frame(c1.frames.idAt(4))).toMatchObject({ by: 'rule', data: '{"answer":3}' });
  });
});
