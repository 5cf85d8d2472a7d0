/**
 * The store at scale: frames kept in columns, evicted oldest-first by the
 * memory cap (counted, never silent), filtered views kept up to date as rows
 * arrive and go.
 */
import { describe, expect, it } from 'vitest';
import { wireBatchOf } from './hook-batches';
import type { CaptureEvent } from '../../src/protocol/events';
import type { WireEvent } from '../../src/protocol/messages';
import { automationApi } from '../../src/store/automation';
import { filterAll, DEFAULT_FILTER, type FilterSpec } from '../../src/store/filter';
import { ROW, ROW_BYTES, STRING_BYTES } from '../../src/store/frame-table';
import { FrameView } from '../../src/store/frame-view';
import { isLifecycleRow } from '../../src/store/model';
import { MIN_MEMORY_CAP, Store } from '../../src/store/store';

const created = (c: string, t = 1000): WireEvent =>
  ({ k: 'created', c, seq: 0, t, url: `ws://x/${c}`, resolvedUrl: `ws://x/${c}`, frameUrl: 'http://p/' }) as WireEvent;
const text = (c: string, seq: number, data: string, dir: 'in' | 'out' = 'in'): WireEvent =>
  ({ k: 'frame', c, seq, t: 1000 + seq, dir, kind: 'text', as: 'string', size: data.length, data }) as WireEvent;
const binary = (c: string, seq: number, b64: string): WireEvent =>
  ({ k: 'frame', c, seq, t: 1000 + seq, dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: Math.floor((b64.length * 3) / 4), data: { b64 } }) as WireEvent;
const spec = (over: Partial<FilterSpec>): FilterSpec => ({ ...DEFAULT_FILTER, ...over });

/** A store with one connection 'h.0' and `n` received text frames "m0".."m{n-1}". */
function filled(n: number, opts: { memoryCap?: number } = {}): Store {
  const s = new Store(opts);
  const events: WireEvent[] = [created('h.0')];
  for (let i = 1; i <= n; i++) events.push(text('h.0', i, `m${i - 1}`));
  for (let i = 0; i < events.length; i += 5000) s.ingest(0, 'h', events.slice(i, i + 5000));
  return s;
}

describe('columnar frame storage', () => {
  it('keeps frames as rows of typed columns and materialises a Frame only when asked', () => {
    const s = new Store();
    s.ingest(0, 'h', [created('h.0'), text('h.0', 1, 'hello', 'out'), binary('h.0', 2, 'AQID')]);
    const c = s.order[0]!;
    expect(c.frames.length).toBe(2);
    const t = s.table;
    // one lifecycle row (created) and two frame rows
    expect(t.rows).toBe(3);
    expect(t.payload).toEqual(['new WebSocket("ws://x/h.0")', 'hello', 'AQID']);
    expect([...t.flags.data.subarray(0, 3)]).toEqual([0, ROW.out, ROW.binary]);
    expect([0, 1, 2].map((p) => t.isLifecycle(p))).toEqual([true, false, false]);
    const f = c.frames.at(0)!;
    expect(f).toMatchObject({ seq: 1, dir: 'out', kind: 'text', as: 'string', size: 5, data: 'hello' });
    expect(f.conn).toBe(c);
    expect(c.frames.at(-1)!.data).toEqual({ b64: 'AQID' });
    // every call makes a fresh view of the same row
    expect(s.frame(f.id)).toEqual(f);
    expect(s.frame(f.id)).not.toBe(f);
  });

  it('shows lifecycle events as rows with a description', () => {
    const s = new Store();
    s.ingest(0, 'h', [created('h.0'),
      { k: 'open', c: 'h.0', seq: 1, t: 1001, protocol: 'chat', extensions: '', binaryType: 'blob' } as WireEvent,
      { k: 'close', c: 'h.0', seq: 2, t: 1002, code: 4000, reason: 'bye', wasClean: true, initiator: 'server' } as WireEvent]);
    const rows = [0, 1, 2].map((i) => s.row(s.table.firstId + i)!);
    expect(rows.every(isLifecycleRow)).toBe(true);
    expect(rows.map((r) => (isLifecycleRow(r) ? r.text : ''))).toEqual([
      'new WebSocket("ws://x/h.0")',
      'open · protocol chat · extensions (none) · binaryType blob',
      'close 4000 "bye" · clean · initiator server',
    ]);
    expect(s.order[0]!.frames.length).toBe(0);
  });

  it('holds a million frames in columns, about ROW_BYTES each plus the payload', () => {
    const s = filled(1_000_000);
    expect(s.order[0]!.frames.length).toBe(1_000_000);
    expect(s.order[0]!.frames.at(999_999)!.data).toBe('m999999');
    // the estimate: fixed row cost plus the payload string
    const payloadChars = s.table.payload.reduce((n, p) => n + (p?.length ?? 0), 0);
    expect(s.memoryUsed).toBe(1_000_001 * (ROW_BYTES + STRING_BYTES) + payloadChars);
    // and the typed columns as allocated stay well under it
    expect(s.table.columnBytes).toBeLessThan(1_000_001 * 2 * 26);
  }, 30_000); // a million rows: slower on a loaded machine, never a timing assertion

  it('keeps duplicate detection and attach cursors as before', () => {
    const s = new Store();
    s.ingest(0, 'h', [created('h.0'), text('h.0', 1, 'a'), text('h.0', 2, 'b')]);
    s.ingest(0, 'h', [text('h.0', 2, 'b'), text('h.0', 3, 'c')]);
    expect(s.order[0]!.frames.map((f) => f.data)).toEqual(['a', 'b', 'c']);
    expect(s.cursorsFor(0, 'h')).toEqual({ 'h.0': 3 });
  });
});

describe('memory cap', () => {
  it('evicts the oldest frames when a batch takes the store over the cap, and counts them', () => {
    const s = filled(100_000, { memoryCap: MIN_MEMORY_CAP });
    const c = s.order[0]!;
    expect(s.memoryUsed).toBeLessThanOrEqual(MIN_MEMORY_CAP);
    expect(c.frames.length).toBeGreaterThan(10_000);
    expect(c.frames.length).toBeLessThan(100_000);
    // the newest are kept, the oldest went, and every evicted frame is counted
    expect(c.frames.at(-1)!.data).toBe('m99999');
    expect(c.frames.length + c.evicted).toBe(100_000);
    expect(s.evictedFrames).toBe(c.evicted);
    expect(c.framesIn).toBe(100_000); // totals still count everything captured
    expect(c.frames.at(0)!.seq).toBe(c.evicted + 1);
  });

  it('evicts at once when the cap is lowered, and frees the payloads', () => {
    const s = filled(50_000);
    expect(s.evictedFrames).toBe(0);
    s.setMemoryCap(MIN_MEMORY_CAP);
    expect(s.memoryUsed).toBeLessThanOrEqual(MIN_MEMORY_CAP);
    expect(s.evictedFrames).toBeGreaterThan(0);
    const api = automationApi(s);
    expect(api.memory()).toMatchObject({ cap: MIN_MEMORY_CAP, evicted: s.evictedFrames, frames: s.order[0]!.frames.length });
    // evicted payload slots are released (compaction may already have dropped them)
    expect(s.table.payload.slice(0, s.table.firstPos).every((p) => p === undefined)).toBe(true);
  });

  it('Clear frees everything and resets the evicted count', () => {
    const s = filled(20_000, { memoryCap: MIN_MEMORY_CAP });
    s.clear();
    expect(s.memoryUsed).toBe(0);
    expect(s.evictedFrames).toBe(0);
    expect(s.table.rows).toBe(0);
    s.ingest(0, 'h', [text('h.0', 20_001, 'after')]);
    expect(s.order[0]!.frames.map((f) => f.data)).toEqual(['after']);
    expect(s.order[0]!.evicted).toBe(0);
  });

  it('does not bring back cleared connections when the page replays its history after a reconnect', () => {
    const s = new Store();
    s.ingest(0, 'h', [created('h.1'), { k: 'close', c: 'h.1', seq: 1, t: 1001, code: 1000, reason: '', wasClean: true, initiator: 'page' } as WireEvent]);
    s.clear();
    expect(s.cursorsFor(0, 'h')).toEqual({ 'h.1': 1 });
    s.ingest(0, 'h', [created('h.1')]);
    expect(s.order).toEqual([]);
  });
});

describe('filtered views', () => {
  const mixed = (): Store => {
    const s = new Store();
    s.ingest(0, 'h', [
      created('h.0'), created('h.1'),
      text('h.0', 1, '{"type":"Trade","px":1}', 'in'),
      text('h.0', 2, 'ping', 'out'),
      binary('h.0', 3, btoa('topic/prices\u0001')),
      text('h.1', 1, 'trade on another socket', 'in'),
      { k: 'close', c: 'h.1', seq: 2, t: 2000, code: 1006, reason: '', wasClean: false, initiator: 'network' } as WireEvent,
    ]);
    return s;
  };
  const texts = (s: Store, ids: number[]) => ids.map((id) => {
    const r = s.row(id)!;
    return isLifecycleRow(r) ? `[${r.lifecycle}]` : typeof r.data === 'string' ? r.data : `bin:${r.seq}`;
  });

  it('combines direction, type, connection, text, regex and invert', () => {
    const s = mixed();
    const h0 = s.connections.get('0/h.0')!.index;
    const run = (o: Partial<FilterSpec>) => texts(s, filterAll(s.table, spec(o)));
    expect(run({})).toEqual(['{"type":"Trade","px":1}', 'ping', 'bin:3', 'trade on another socket']);
    expect(run({ dir: 'out' })).toEqual(['ping']);
    expect(run({ dir: 'in', binary: false })).toEqual(['{"type":"Trade","px":1}', 'trade on another socket']);
    expect(run({ conn: h0 })).toEqual(['{"type":"Trade","px":1}', 'ping', 'bin:3']);
    // text is case-insensitive
    expect(run({ query: 'TRADE' })).toEqual(['{"type":"Trade","px":1}', 'trade on another socket']);
    expect(run({ query: 'trade', conn: h0 })).toEqual(['{"type":"Trade","px":1}']);
    // regex flags count: without i, only the exact case
    expect(run({ query: '/Tr[a-z]+/' })).toEqual(['{"type":"Trade","px":1}']);
    expect(run({ query: '/^TRADE/i' })).toEqual(['trade on another socket']);
    // invert keeps what the text does not match; the other filters still apply
    expect(run({ query: 'trade', invert: true })).toEqual(['ping', 'bin:3']);
    expect(run({ query: 'trade', invert: true, binary: false })).toEqual(['ping']);
    // binary frames are searched as bytes
    expect(run({ query: 'topic/prices' })).toEqual(['bin:3']);
    // lifecycle rows only when asked for, whatever the direction
    expect(run({ lifecycle: true, text: false, binary: false })).toEqual(['[created]', '[created]', '[close]']);
    expect(run({ lifecycle: true, dir: 'out', query: '1006' })).toEqual(['[close]']);
  });

  it('keeps up with new rows and evictions without rescanning, and swaps in a new filter when done', () => {
    const s = filled(10, { memoryCap: MIN_MEMORY_CAP });
    const v = new FrameView(s, spec({ query: '/m\\d*5$/' }));
    v.work();
    expect(texts(s, [...Array(v.length).keys()].map((i) => v.idAt(i)))).toEqual(['m5']);
    const more: WireEvent[] = [];
    for (let i = 11; i <= 60_000; i++) more.push(text('h.0', i, `m${i - 1}`));
    for (let i = 0; i < more.length; i += 5000) { s.ingest(0, 'h', more.slice(i, i + 5000)); v.work(); }
    expect(s.evictedFrames).toBeGreaterThan(0);
    // matches of evicted rows are gone; new matches are in
    expect(v.length).toBe(s.order[0]!.frames.filter((f) => /m\d*5$/.test(f.data as string)).length);
    expect(s.row(v.idAt(0))).toBeDefined();

    v.setFilter(spec({ query: 'm59999' }));
    expect(v.filtering).toBe(true);
    expect(v.work(performance.now() - 1)).toBe(false); // past its deadline: one slice only
    expect(v.length).toBeGreaterThan(1); // the old result stays on screen meanwhile
    while (!v.work()) { /* slices */ }
    expect(v.filtering).toBe(false);
    expect(texts(s, [v.idAt(0)])).toEqual(['m59999']);
    expect(v.length).toBe(1);
  });

  it('starts over after a Clear', () => {
    const s = filled(100);
    const v = new FrameView(s);
    v.work();
    expect(v.length).toBe(100);
    s.clear();
    s.ingest(0, 'h', [text('h.0', 101, 'new')]);
    v.work();
    expect(v.length).toBe(1);
    expect(texts(s, [v.idAt(0)])).toEqual(['new']);
  });

  it('drops the rows of a frame\'s previous document', () => {
    const s = new Store();
    s.ingest(1, 'old', [created('old.0'), text('old.0', 1, 'a')]);
    s.ingest(1, 'new', [created('new.0'), text('new.0', 1, 'b')]);
    const v = new FrameView(s);
    v.work();
    expect(v.length).toBe(2);
    s.dropFrame(1, 'new');
    v.work();
    expect(texts(s, [v.idAt(0)])).toEqual(['b']);
    expect(v.length).toBe(1);
    expect(s.memoryUsed).toBeLessThan(3 * (ROW_BYTES + STRING_BYTES + 30));
  });
});

describe('automation', () => {
  it('ingests a wire batch through the same guard as the panel link, and refuses a malformed one', () => {
    const s = new Store();
    const api = automationApi(s);
    const events = [created('h.0'), text('h.0', 1, 'x')] as unknown as CaptureEvent<ArrayBuffer>[];
    expect(api.ingestBatch(0, 'h', wireBatchOf(events))).toBe(true);
    expect(api.frames('0/h.0')).toEqual([{ seq: 1, t: 1001, dir: 'in', kind: 'text', as: 'string', size: 1, text: 'x' }]);
    expect(api.ingestBatch(0, 'h', { rows: 1, cols: '', text: '', binary: '', events: [], at: [] } as never)).toBe(false);
    const [c] = api.connections();
    expect(c).toMatchObject({ key: '0/h.0', frameCount: 1, evicted: 0 });
    expect(c).not.toHaveProperty('rate');
  });
});
