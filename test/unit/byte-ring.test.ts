import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../../src/capture/batch-writer';
import { ByteRing } from '../../src/capture/byte-ring';
import { FrameLog } from '../../src/capture/frame-log';
import { takeDataNatives } from '../../src/capture/natives';
import { FLAG, NONE } from '../../src/protocol/batch';

const n = takeDataNatives(globalThis);

/** A small deterministic PRNG (a failing seed reproduces). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where two byte arrays first differ (-1: equal); vitest's deep equality is slow on 64 KiB arrays. */
function differAt(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return k;
  return -1;
}

/** Bytes that say which message they belong to (a wrong offset shows as wrong bytes). */
function payload(seq: number, len: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(len);
  for (let k = 0; k < len; k++) b[k] = (seq * 31 + k * 7) & 0xff;
  return b;
}

describe('ByteRing: binary payloads in one reused buffer', () => {
  it('wraps to the start when the end has no room, and reuses the gap once the oldest records go', () => {
    const ring = new ByteRing(n);
    const none = () => { throw new Error('not moved'); };
    const first = ring.reserve(100_000, 300_000, () => {}); // the first buffer (256 KiB)
    const second = ring.reserve(100_000, 300_000, none);
    expect([first, second, ring.capacity]).toEqual([0, 100_000, 256 * 1024]);
    expect(ring.reserve(100_000, 256 * 1024, none)).toBe(-1); // 62,144 left at the end, nothing free at the start
    ring.free(first, 100_000);
    expect(ring.reserve(100_000, 256 * 1024, none)).toBe(0); // wrapped: the oldest's room
    expect(ring.used()).toBe(200_000);
    ring.free(second, 100_000); // the older part gone: the ring no longer wraps
    expect(ring.used()).toBe(100_000);
    expect(ring.reserve(100_000, 256 * 1024, none)).toBe(100_000);
  });

  it('grows by moving its records to the start, oldest first, and says how their offsets moved', () => {
    const ring = new ByteRing(n);
    const a = ring.reserve(150_000, 1e9, () => {});
    ring.bytes.set(payload(1, 150_000), a);
    const b = ring.reserve(100_000, 1e9, () => {});
    ring.bytes.set(payload(2, 100_000), b);
    ring.free(a, 150_000);
    const c = ring.reserve(120_000, 256 * 1024, () => {}); // wraps into the first record's room
    ring.bytes.set(payload(3, 120_000), c);
    expect([b, c]).toEqual([150_000, 0]);
    let map: ((o: number) => number) | undefined;
    const d = ring.reserve(200_000, 1e9, (m) => { map = m; });
    expect(ring.capacity).toBe(512 * 1024);
    expect([map!(b), map!(c), d]).toEqual([0, 100_000, 220_000]);
    expect(differAt(ring.bytes.slice(0, 100_000), payload(2, 100_000))).toBe(-1);
    expect(differAt(ring.bytes.slice(100_000, 220_000), payload(3, 120_000))).toBe(-1);
  });
});

describe('FrameLog with its byte ring: what the history keeps is what was captured', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`keeps every held message's bytes exact, evicting only what the caps say (seed ${seed})`, () => {
      const rnd = prng(seed);
      let maxRows = 20 + Math.floor(rnd() * 200);
      let maxBytes = 50_000 + Math.floor(rnd() * 600_000);
      const log = new FrameLog(n, maxRows, maxBytes);
      // the model: what the caps alone keep (by count, then by bytes), oldest first
      const model: { seq: number; bytes: number; data: Uint8Array | string }[] = [];
      const evictModel = () => {
        let total = model.reduce((s, m) => s + m.bytes, 0);
        while (model.length > maxRows) total -= model.shift()!.bytes;
        while (total > maxBytes && model.length > 1) total -= model.shift()!.bytes;
      };
      let biggest = 0;
      for (let seq = 0; seq < 3000; seq++) {
        const r = rnd();
        if (r < 0.01) {
          // the user changes the caps (smaller or larger)
          maxRows = 10 + Math.floor(rnd() * 300);
          maxBytes = 20_000 + Math.floor(rnd() * 800_000);
          log.setCaps(maxRows, maxBytes);
          evictModel();
          continue;
        }
        if (r < 0.35) {
          const text = 'x'.repeat(Math.floor(rnd() * 2000));
          if (model.length === maxRows) model.shift();
          model.push({ seq, bytes: text.length * 2, data: text });
          log.add(0, seq, seq, 0, 0, NONE, NONE, text);
        } else {
          // sizes from empty to 64 KiB; some from the middle of a larger buffer, as the page's views are
          const len = rnd() < 0.05 ? 0 : Math.floor(rnd() ** 3 * 65536);
          biggest = Math.max(biggest, len);
          const bytes = payload(seq, len);
          const host = new Uint8Array(len + 40);
          host.set(bytes, 17);
          if (model.length === maxRows) model.shift();
          model.push({ seq, bytes: len, data: bytes });
          log.addBytes(0, seq, seq, FLAG.binary, 0, len, NONE, host.buffer, 17, len);
        }
        evictModel();
        expect(log.count, `after message ${seq}`).toBe(model.length);
        if (seq % 97 === 0 || seq > 2950) {
          for (const m of model) {
            const found = log.findPayload(0, m.seq);
            if (typeof m.data === 'string') expect(found?.data).toBe(m.data);
            else expect(differAt(new Uint8Array(found!.data as ArrayBuffer), m.data), `message ${m.seq}`).toBe(-1);
          }
        }
      }
      expect(log.evicted).toBeGreaterThan(0);
      // memory: bounded by the byte cap and a few payloads (the ring may keep room from a larger cap until used drops)
      expect(log.ring.capacity).toBeLessThanOrEqual(Math.max(256 * 1024, 2 * (800_000 + 4 * biggest)));
    });
  }

  it('hands the batch writer the held bytes, the preview cut where a payload is longer', () => {
    const log = new FrameLog(n, 100, 1e6);
    const w = new BatchWriter(n, log, 1000, 100);
    const big = payload(1, 3000);
    log.addBytes(0, 1, 1, FLAG.binary, 0, 5000, NONE, big.buffer, 0, 3000);
    log.add(0, 2, 2, 0, 0, NONE, NONE, 'hi');
    log.add(0, 3, 3, FLAG.payload | FLAG.binary, 0, 4, 1, new Uint8Array([9, 8, 7, 6]).buffer);
    for (let row = 0; row < 3; row++) w.addRow(row);
    const b = w.take(undefined);
    expect([...new Uint8Array(b.binary)]).toEqual([...big.subarray(0, 1000), 9, 8, 7, 6]);
  });
});
