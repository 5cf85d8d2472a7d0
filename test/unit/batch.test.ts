import { describe, expect, it } from 'vitest';
import { BATCH_BINARY_BYTES, COLUMN_NAMES, columnViews, FLAG, NONE, type WireBatch } from '../../src/protocol/batch';
import { base64Length } from '../../src/protocol/base64';
import { BatchWriter } from '../../src/capture/batch-writer';
import { FrameLog } from '../../src/capture/frame-log';
import { takeDataNatives } from '../../src/capture/natives';
import { fromWireBatch, toWireBatch } from '../../src/protocol/batch-codec';
import type { CaptureEvent, InterceptEvent } from '../../src/protocol/events';
import { Store } from '../../src/store/store';
import { automationApi } from '../../src/store/automation';
import { pageBatchOf } from './hook-batches';

type E = CaptureEvent<ArrayBuffer>;

describe('batches: rows in columns, lifecycle events in place', () => {
  const events: E[] = [
    { k: 'created', c: 'a.0', seq: 0, t: 1, url: 'ws://x/', resolvedUrl: 'ws://x/', frameUrl: 'http://p/' },
    { k: 'frame', c: 'a.0', seq: 1, t: 2, dir: 'out', kind: 'text', as: 'coerced', size: 3, data: 'abc', buffered: 3 },
    { k: 'created', c: 'a.1', seq: 0, t: 2.5, url: 'ws://y/', resolvedUrl: 'ws://y/', frameUrl: 'http://p/' },
    { k: 'frame', c: 'a.1', seq: 1, t: 3, dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: 9, data: new Uint8Array([7, 8]).buffer, truncated: true },
    { k: 'state', c: 'a.0', seq: 2, t: 4, state: 1, via: 'open' },
    { k: 'frame', c: 'a.0', seq: 3, t: 5, dir: 'out', kind: 'binary', as: 'Blob', size: 5, notSent: true, by: 'devtools' },
    { k: 'payload', c: 'a.0', seq: 4, t: 6, of: 3, data: new Uint8Array([1, 2, 3, 4, 5]).buffer },
    { k: 'buffered', c: 'a.0', seq: 5, t: 7, amount: 0 },
  ];

  it('counts the payloads that travel in events (an interception\'s edited message) toward the batch\'s size', () => {
    const n = takeDataNatives(globalThis);
    const w = new BatchWriter(n, new FrameLog(n, 8, 1e9), 1024, 100);
    const edited = (data: string | ArrayBuffer): InterceptEvent => ({ k: 'intercept', c: 'a.0', seq: 1, t: 1, of: 0, dir: 'out', outcome: 'edited', cause: 'rule', data });
    w.addEvent(edited('x'.repeat(BATCH_BINARY_BYTES / 4)));
    expect(w.full).toBe(false);
    w.addEvent(edited(new ArrayBuffer(BATCH_BINARY_BYTES / 2)));
    expect(w.full).toBe(true);
    w.take(undefined);
    expect(w.full).toBe(false);
  });

  it('packs rows into columns, texts into one string, bytes into one buffer, events with their place', () => {
    const b = pageBatchOf(events);
    expect(b.rows).toBe(5);
    // the hook's lists have no prototype (a page cannot reach them); a structured clone makes them arrays
    expect(Array.from(b.events, (e) => e.k)).toEqual(['created', 'created', 'state']);
    expect(Array.from(b.at)).toEqual([0, 1, 2]);
    expect(Array.from(b.texts)).toEqual(['abc']);
    expect([...new Uint8Array(b.binary)]).toEqual([7, 8, 1, 2, 3, 4, 5]);
    const c = columnViews(b.cols, b.rows);
    expect([...c.conn]).toEqual([0, 1, 0, 0, 0]);
    expect([...c.flags]).toEqual([FLAG.out, FLAG.binary | FLAG.truncated, FLAG.out | FLAG.binary | FLAG.notSent | FLAG.devtools | FLAG.noData,
      FLAG.payload | FLAG.binary, FLAG.sample]);
    expect([...c.aux]).toEqual([3, NONE, NONE, 3, 0]);
  });

  it('reaches the panel store whole: every field of every frame, the Blob bytes filled in, the sample kept', () => {
    const s = new Store();
    s.ingestBatch(0, 'a', fromWireBatch(toWireBatch(pageBatchOf(events), false)));
    const api = automationApi(s);
    expect(api.frames('0/a.0')).toEqual([
      { seq: 1, t: 2, dir: 'out', kind: 'text', as: 'coerced', size: 3, text: 'abc', buffered: 3 },
      { seq: 3, t: 5, dir: 'out', kind: 'binary', as: 'Blob', size: 5, base64: 'AQIDBAU=', notSent: true, by: 'devtools' },
    ]);
    expect(api.frames('0/a.1')).toEqual([{ seq: 1, t: 3, dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: 9, base64: 'Bwg=', truncated: true }]);
    expect(s.connections.get('0/a.0')!.buffered).toEqual([{ t: 2, amount: 3 }, { t: 7, amount: 0, seq: 5 }]);
    expect(s.connections.get('0/a.0')!.dropped).toBe(0);
  });

  it('carries a column that is the same on every row as that one value, and the panel gets every row back as the hook wrote it', () => {
    const stream: E[] = Array.from({ length: 50 }, (_, i): E => ({ k: 'frame', c: 'a.3', seq: i + 1, t: 10 + i / 7, dir: 'in', kind: 'text', as: 'string', size: -1, data: `m${i % 10}` }));
    const page = pageBatchOf(stream);
    const wire = toWireBatch(page, false);
    // one socket, received texts of one length: only the times and seqs vary
    expect(wire.fixed).toEqual({ conn: 3, size: NONE, aux: NONE, textLen: 2, binLen: 0, flags: 0, as: 0 });
    expect(base64Length(wire.cols as string)).toBe(50 * (8 + 4));
    const back = fromWireBatch(JSON.parse(JSON.stringify(wire)) as WireBatch).cols;
    const sent = columnViews(page.cols, page.rows);
    for (const k of COLUMN_NAMES) expect([...back[k]], k).toEqual([...sent[k]]);
    // a batch whose rows differ in every column travels whole
    const mixed = toWireBatch(pageBatchOf(events), false);
    expect(mixed.fixed).toBeUndefined();
  });

  it('puts the bytes on a port that carries structured clones as they are, and the panel reads the same rows as from base64', () => {
    const stream: E[] = [...events, ...Array.from({ length: 20 }, (_, i): E => ({
      k: 'frame', c: 'a.1', seq: i + 2, t: 8 + i, dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: 3, data: new Uint8Array([i, i + 1, i + 2]).buffer,
    }))];
    const page = pageBatchOf(stream);
    const raw = toWireBatch(page, true);
    expect(raw.cols).toBeInstanceOf(ArrayBuffer);
    expect(raw.binary).toBeInstanceOf(ArrayBuffer);
    const viaClone = fromWireBatch(structuredClone(raw));
    const viaJson = fromWireBatch(JSON.parse(JSON.stringify(toWireBatch(page, false))) as WireBatch);
    expect([...viaClone.binary]).toEqual([...viaJson.binary]);
    for (const k of COLUMN_NAMES) expect([...viaClone.cols[k]], k).toEqual([...viaJson.cols[k]]);
    // with a column carried as one value, too
    const same = pageBatchOf(stream.slice(-20));
    const rawSame = toWireBatch(same, true);
    expect(rawSame.fixed).toMatchObject({ conn: 1, binLen: 3 });
    expect((rawSame.cols as ArrayBuffer).byteLength).toBe(20 * (8 + 4));
    const back = fromWireBatch(structuredClone(rawSame)).cols;
    const sent = columnViews(same.cols, same.rows);
    for (const k of COLUMN_NAMES) expect([...back[k]], k).toEqual([...sent[k]]);
  });

  it('leaves whole texts to be measured by the panel, and previews long ones with their full size', () => {
    const long = 'é'.repeat(10_000);
    const b = pageBatchOf([
      { k: 'frame', c: 'a.0', seq: 0, t: 2, dir: 'in', kind: 'text', as: 'string', size: -1, data: 'héllo ✓' },
      { k: 'frame', c: 'a.0', seq: 1, t: 3, dir: 'in', kind: 'text', as: 'string', size: -1, data: long },
    ], 1000);
    const c = columnViews(b.cols, b.rows);
    expect(c.size[0]).toBe(NONE);
    expect(c.size[1]).toBe(20_000);
    expect(c.flags[1]! & FLAG.truncated).toBeTruthy();
    const s = new Store();
    s.ingestBatch(0, 'a', fromWireBatch(toWireBatch(b, false)));
    const [short, cut] = automationApi(s).frames('0/a.0');
    expect(short).toMatchObject({ size: 10, text: 'héllo ✓' });
    expect(cut).toMatchObject({ size: 20_000, truncated: true, text: 'é'.repeat(500) });
  });

  it('shows a sent text as it went on the wire: lone surrogates as U+FFFD', () => {
    const s = new Store();
    s.ingestBatch(0, 'a', fromWireBatch(toWireBatch(pageBatchOf([
      { k: 'frame', c: 'a.0', seq: 0, t: 1, dir: 'out', kind: 'text', as: 'string', size: -1, data: 'a\ud800b' },
    ]), false)));
    expect(automationApi(s).frames('0/a.0')[0]).toMatchObject({ text: 'a\ufffdb', size: 5 });
  });
});
