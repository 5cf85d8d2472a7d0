/**
 * The page's record of messages, in columns: a ring of rows (messages, Blob
 * payloads, bufferedAmount samples) bounded by count and bytes, written by
 * index from the hook's listeners — no object per message, nothing for the
 * garbage collector but the payloads the page made anyway.
 *
 * Rows are numbered from 0 for the life of the document (`written` grows);
 * the oldest are evicted first. The stream sends rows by number (live: the
 * ones after the last sent; on attach: the ones after the panel's cursors),
 * and the panel sees evicted messages as gaps in sequence numbers.
 *
 * Texts are kept by reference (the page cannot change a string); the bytes
 * of binary payloads are copied into one reused ByteRing (byte-ring.ts says
 * why), each row keeping its place there (`binAt`, `binLen`).
 *
 * Hostile pages: everything here is typed arrays, a prototype-less payload
 * list and natives taken at start — nothing a page can patch or observe.
 */
import { FLAG, NONE } from '../protocol/batch';
import { utf8Cut, utf8Length } from '../protocol/utf8';
import { ByteRing } from './byte-ring';
import type { BinaryView } from './bytes';
import type { takeDataNatives } from './natives';

type DataNatives = ReturnType<typeof takeDataNatives>;

const FIRST_CAPACITY = 256;

export class FrameLog {
  t: Float64Array;
  seq: Uint32Array;
  conn: Uint32Array;
  size: Uint32Array;
  aux: Uint32Array;
  flags: Uint16Array;
  as: Uint8Array;
  /** a row's text; undefined for binary rows (their bytes are in `ring`) and rows without a payload */
  data: (string | undefined)[];
  /** a binary row's bytes: where they start in `ring.bytes` and how many (0: none, or no payload) */
  binAt: Uint32Array;
  binLen: Uint32Array;
  readonly ring: ByteRing;
  /** ring capacity allocated (grows by doubling up to maxRows) */
  private capacity = 0;
  /** ring index of the oldest row */
  private start = 0;
  /** rows held */
  count = 0;
  /** rows ever written: the next row's number */
  written = 0;
  /** payload bytes held (UTF-16 for text) */
  bytes = 0;
  /** messages evicted so far */
  evicted = 0;

  constructor(private readonly natives: DataNatives, private maxRows: number, private maxBytes: number) {
    const n = natives;
    this.t = new n.Float64Array(0);
    this.seq = new n.Uint32Array(0);
    this.conn = new n.Uint32Array(0);
    this.size = new n.Uint32Array(0);
    this.aux = new n.Uint32Array(0);
    this.flags = new n.Uint16Array(0);
    this.as = new n.Uint8Array(0);
    this.binAt = new n.Uint32Array(0);
    this.binLen = new n.Uint32Array(0);
    this.data = n.list<string | undefined>();
    this.ring = new ByteRing(natives);
  }

  /** Number of the oldest row held. */
  get oldest(): number {
    return this.written - this.count;
  }

  /** Ring index of a held row's number (check `oldest <= row < written` first). */
  index(row: number): number {
    const i = this.start + (row - this.oldest);
    return i >= this.capacity ? i - this.capacity : i;
  }

  /**
   * Append a row; evicts the oldest when the ring or the byte budget is full. A binary payload given as
   * an ArrayBuffer is copied (`addBytes` copies straight from the page's view instead).
   */
  add(conn: number, seq: number, t: number, flags: number, as: number, size: number, aux: number, data: string | ArrayBuffer | undefined): void {
    if (typeof data === 'object') this.addBytes(conn, seq, t, flags, as, size, aux, data, 0, this.natives.arrayBufferByteLength(data));
    else this.append(conn, seq, t, flags, as, size, aux, data, 0, 0);
  }

  /** Append a binary row with a copy of bytes [offset, offset + length) of a buffer (the page's, or shared memory). */
  addBytes(conn: number, seq: number, t: number, flags: number, as: number, size: number, aux: number,
    buffer: ArrayBuffer, offset: number, length: number): void {
    const at = length > 0 ? this.place(length) : 0;
    if (length > 0) this.natives.typedSet(this.ring.bytes, new this.natives.Uint8Array(buffer, offset, length), at);
    this.append(conn, seq, t, flags | FLAG.binary, as, size, aux, undefined, at, length);
  }

  /**
   * Append a text message kept whole by reference, or cut to `max` UTF-8 bytes (flagged truncated, its whole
   * size kept). A text short enough to fit at 3 bytes per code unit is not measured: the panel does that.
   */
  addText(conn: number, seq: number, t: number, flags: number, as: number, aux: number, s: string, max: number): void {
    const n = this.natives;
    if (s.length * 3 <= max) { this.append(conn, seq, t, flags, as, NONE, aux, s, 0, 0); return; }
    const size = utf8Length(s, n.strCharCodeAt);
    if (size <= max) { this.append(conn, seq, t, flags, as, size, aux, s, 0, 0); return; }
    this.append(conn, seq, t, flags | FLAG.truncated, as, size, aux, n.strSlice(s, 0, utf8Cut(s, max, n.strCharCodeAt)), 0, 0);
  }

  /** Append a binary message from the page's view: its first `max` bytes copied (flagged truncated when cut). */
  addView(conn: number, seq: number, t: number, flags: number, as: number, aux: number, view: BinaryView, max: number): void {
    const cut = view.length > max;
    this.addBytes(conn, seq, t, cut ? flags | FLAG.truncated : flags, as, view.length, aux, view.buffer, view.offset, cut ? max : view.length);
  }

  /** Does this row (by ring index) hold binary bytes (perhaps none), in `ring` at `binAt`? */
  holdsBytes(i: number): boolean {
    return (this.flags[i]! & (FLAG.binary | FLAG.noData | FLAG.sample)) === FLAG.binary;
  }

  private append(conn: number, seq: number, t: number, flags: number, as: number, size: number, aux: number,
    text: string | undefined, binAt: number, binLen: number): void {
    if (this.count === this.capacity) {
      if (this.capacity < this.maxRows) this.grow();
      else this.evictOldest();
    }
    let i = this.start + this.count;
    if (i >= this.capacity) i -= this.capacity;
    this.t[i] = t;
    this.seq[i] = seq;
    this.conn[i] = conn;
    this.size[i] = size;
    this.aux[i] = aux;
    this.flags[i] = flags;
    this.as[i] = as;
    this.data[i] = text;
    this.binAt[i] = binAt;
    this.binLen[i] = binLen;
    this.count++;
    this.written++;
    if (text !== undefined || this.holdsBytes(i)) {
      this.bytes += text === undefined ? binLen : text.length * 2;
      while (this.bytes > this.maxBytes && this.count > 1) this.evictOldest();
    }
  }

  /** Room in the ring for `len` bytes: evicts the oldest rows while their bytes are in the way. */
  private place(len: number): number {
    // room for the byte cap and a few payloads besides (the newest row may exceed the cap; a wrap leaves a gap)
    const limit = this.maxBytes + 4 * len;
    let at = this.ring.reserve(len, limit, this.relocate);
    while (at < 0 && this.count > 0) {
      this.evictOldest();
      at = this.ring.reserve(len, limit, this.relocate);
    }
    return at;
  }

  /** The ring moved its records: every held binary row's offset follows. */
  private readonly relocate = (map: (offset: number) => number): void => {
    for (let row = this.oldest; row < this.written; row++) {
      const i = this.index(row);
      if (this.binLen[i]! > 0) this.binAt[i] = map(this.binAt[i]!);
    }
  };

  /** Apply new caps (the user's settings): evicts at once down to them. */
  setCaps(maxRows: number, maxBytes: number): void {
    this.maxRows = maxRows;
    this.maxBytes = maxBytes;
    while (this.count > 0 && (this.count > maxRows || this.bytes > maxBytes)) this.evictOldest();
    if (this.capacity > maxRows) this.resize(maxRows > this.count ? maxRows : this.count);
    // a smaller byte cap gives back the ring's room beyond it
    if (this.ring.capacity > maxBytes && this.ring.capacity > 2 * this.ring.used()) this.relocate(this.ring.resize(this.ring.used()));
  }

  /** The bytes kept for a message (its own, or its Blob's payload row). */
  findPayload(conn: number, seq: number): { data: string | ArrayBuffer; truncated: boolean } | undefined {
    for (let row = this.written - 1; row >= this.oldest; row--) {
      const i = this.index(row);
      if (this.conn[i] !== conn) continue;
      const f = this.flags[i]!;
      const mine = f & FLAG.payload ? this.aux[i] === seq : !(f & FLAG.sample) && this.seq[i] === seq;
      if (!mine) continue;
      const text = this.data[i];
      if (text !== undefined) return { data: text, truncated: (f & FLAG.truncated) !== 0 };
      if (!this.holdsBytes(i)) return undefined;
      // a copy: the ring's bytes are overwritten as the log goes on
      const at = this.binAt[i]!;
      const data = this.natives.copyBytes(this.ring.buffer, at, at + this.binLen[i]!);
      return { data, truncated: (f & FLAG.truncated) !== 0 };
    }
    return undefined;
  }

  private evictOldest(): void {
    const i = this.start;
    const text = this.data[i];
    if (text !== undefined) this.bytes -= text.length * 2;
    const binLen = this.binLen[i]!;
    if (binLen > 0) {
      this.bytes -= binLen;
      this.ring.free(this.binAt[i]!, binLen);
      this.binLen[i] = 0;
    }
    this.data[i] = undefined;
    if (!(this.flags[i]! & (FLAG.payload | FLAG.sample))) this.evicted++;
    this.start = i + 1 === this.capacity ? 0 : i + 1;
    this.count--;
  }

  private grow(): void {
    const next = this.capacity === 0 ? FIRST_CAPACITY : this.capacity * 2;
    this.resize(next < this.maxRows ? next : this.maxRows);
  }

  /** New arrays of `capacity`, the held rows moved to the front in order. */
  private resize(capacity: number): void {
    const n = this.natives;
    const move = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(old: T, fresh: T): T => {
      const first = this.capacity - this.start < this.count ? this.capacity - this.start : this.count;
      n.typedSet(fresh, n.typedPart(old, this.start, this.start + first), 0);
      if (first < this.count) n.typedSet(fresh, n.typedPart(old, 0, this.count - first), first);
      return fresh;
    };
    this.t = move(this.t, new n.Float64Array(capacity));
    this.seq = move(this.seq, new n.Uint32Array(capacity));
    this.conn = move(this.conn, new n.Uint32Array(capacity));
    this.size = move(this.size, new n.Uint32Array(capacity));
    this.aux = move(this.aux, new n.Uint32Array(capacity));
    this.flags = move(this.flags, new n.Uint16Array(capacity));
    this.as = move(this.as, new n.Uint8Array(capacity));
    this.binAt = move(this.binAt, new n.Uint32Array(capacity));
    this.binLen = move(this.binLen, new n.Uint32Array(capacity));
    const data = n.list<string | undefined>();
    for (let k = 0; k < this.count; k++) data[k] = this.data[this.index(this.oldest + k)];
    this.data = data;
    this.capacity = capacity;
    this.start = 0;
  }
}

