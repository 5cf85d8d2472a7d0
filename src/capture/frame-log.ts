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
 * Hostile pages: everything here is typed arrays, a prototype-less payload
 * list and natives taken at start — nothing a page can patch or observe.
 */
import { FLAG } from '../protocol/batch';
import type { takeDataNatives } from './natives';

type DataNatives = ReturnType<typeof takeDataNatives>;
export type RowData = string | ArrayBuffer | undefined;

const FIRST_CAPACITY = 256;

export class FrameLog {
  t: Float64Array;
  seq: Uint32Array;
  conn: Uint32Array;
  size: Uint32Array;
  aux: Uint32Array;
  flags: Uint16Array;
  as: Uint8Array;
  data: RowData[];
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
    this.data = n.list<RowData>();
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

  /** Append a row; evicts the oldest when the ring or the byte budget is full. */
  add(conn: number, seq: number, t: number, flags: number, as: number, size: number, aux: number, data: RowData): void {
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
    this.data[i] = data;
    this.count++;
    this.written++;
    if (data !== undefined) {
      this.bytes += this.bytesOf(data);
      while (this.bytes > this.maxBytes && this.count > 1) this.evictOldest();
    }
  }

  /** Apply new caps (the user's settings): evicts at once down to them. */
  setCaps(maxRows: number, maxBytes: number): void {
    this.maxRows = maxRows;
    this.maxBytes = maxBytes;
    while (this.count > 0 && (this.count > maxRows || this.bytes > maxBytes)) this.evictOldest();
    if (this.capacity > maxRows) this.resize(maxRows > this.count ? maxRows : this.count);
  }

  /** The bytes kept for a message (its own, or its Blob's payload row). */
  findPayload(conn: number, seq: number): { data: string | ArrayBuffer; truncated: boolean } | undefined {
    for (let row = this.written - 1; row >= this.oldest; row--) {
      const i = this.index(row);
      if (this.conn[i] !== conn) continue;
      const f = this.flags[i]!;
      const mine = f & FLAG.payload ? this.aux[i] === seq : !(f & FLAG.sample) && this.seq[i] === seq;
      if (!mine) continue;
      const d = this.data[i];
      return d === undefined ? undefined : { data: d, truncated: (f & FLAG.truncated) !== 0 };
    }
    return undefined;
  }

  private bytesOf(d: string | ArrayBuffer): number {
    return typeof d === 'string' ? d.length * 2 : this.natives.arrayBufferByteLength(d);
  }

  private evictOldest(): void {
    const i = this.start;
    const d = this.data[i];
    if (d !== undefined) this.bytes -= this.bytesOf(d);
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
    const data = n.list<RowData>();
    for (let k = 0; k < this.count; k++) data[k] = this.data[this.index(this.oldest + k)];
    this.data = data;
    this.capacity = capacity;
    this.start = 0;
  }
}

