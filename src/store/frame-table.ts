/**
 * Every row the panel holds — frames and lifecycle events of all connections,
 * in arrival order — as columns: one typed array per field and one array of
 * payload strings. A row is ~40 bytes plus its payload, instead of an object
 * tree per frame; `Store.frame(id)` materialises a `Frame` only for a row that
 * is looked at (the visible ones, the selected one).
 *
 * Rows have ids that only grow (the store-wide arrival index). The oldest rows
 * are evicted from the front to stay under the memory cap; the arrays are
 * compacted now and then, so ids stay stable while positions move.
 */
import { FLAG } from '../protocol/batch';
import { Column } from './columns';

/**
 * Bits of a row's flags: a message's own (protocol/batch.ts FLAG: out, binary, truncated, notSent,
 * devtools, noData, rule — rows of the table are never payloads or samples, those fold into messages), and the
 * table's own above them.
 */
export const ROW = {
  out: FLAG.out, binary: FLAG.binary, truncated: FLAG.truncated, notSent: FLAG.notSent, devtools: FLAG.devtools, noData: FLAG.noData,
  /** a received message an interception rule answered with (not the server's) */
  rule: FLAG.rule,
  /** not a frame: a lifecycle event (open, close, error …); `as` holds its LifecycleKind */
  lifecycle: 1 << 13,
  /** removed (its document's connections were dropped); skipped by every view */
  removed: 1 << 14,
} as const;
/** The wire flags a message keeps as a row. */
export const FLAG_ROW_BITS = FLAG.out | FLAG.binary | FLAG.truncated | FLAG.notSent | FLAG.devtools | FLAG.noData | FLAG.rule;

/** `buffered` column: no bufferedAmount recorded. */
export const NO_BUFFERED = 0xffffffff;

/**
 * Estimated heap cost of one row besides its payload: the columns (26 bytes),
 * the payload slot, the row's place in its connection's list and in a filter's
 * match list, and the spare capacity of arrays that grow by doubling. Checked
 * against the real heap by `npm run bench:panel`.
 */
export const ROW_BYTES = 48;
/** V8's header of a string (map, hash, length), rounded. */
export const STRING_BYTES = 16;

export class FrameTable {
  readonly t = new Column(Float64Array);
  readonly seq = new Column(Uint32Array);
  readonly size = new Column(Uint32Array);
  /** index of the row's connection in the store's connection table */
  readonly conn = new Column(Uint32Array);
  readonly buffered = new Column(Uint32Array);
  readonly flags = new Column(Uint16Array);
  /** frames: index into DATA_TYPES; lifecycle rows: their LifecycleKind */
  readonly as = new Column(Uint8Array);
  /** text, base64 for binary, a description for lifecycle rows; undefined while a Blob is read */
  payload: (string | undefined)[] = [];

  /** id of position 0 */
  private base = 0;
  /** first held position (rows before it are evicted, awaiting compaction) */
  private first = 0;
  private len = 0;
  /** estimated bytes held (rows and payloads) */
  used = 0;

  /** Oldest held id. */
  get firstId(): number { return this.base + this.first; }
  /** The id the next row gets. */
  get nextId(): number { return this.base + this.len; }
  /** Rows held (removed ones included until they are evicted). */
  get rows(): number { return this.len - this.first; }

  /** Position of a held id in the columns, or -1. */
  pos(id: number): number {
    const p = id - this.base;
    return p >= this.first && p < this.len ? p : -1;
  }

  /** Position of id without the bounds check (for scans between firstId and nextId). */
  posUnchecked(id: number): number {
    return id - this.base;
  }

  append(conn: number, seq: number, t: number, flags: number, as: number, size: number, buffered: number, payload: string | undefined): number {
    const p = this.len;
    this.t.ensure(p); this.seq.ensure(p); this.size.ensure(p); this.conn.ensure(p);
    this.buffered.ensure(p); this.flags.ensure(p); this.as.ensure(p);
    this.t.data[p] = t;
    this.seq.data[p] = seq;
    this.size.data[p] = size;
    this.conn.data[p] = conn;
    this.buffered.data[p] = buffered;
    this.flags.data[p] = flags;
    this.as.data[p] = as;
    this.payload.push(payload);
    this.len++;
    this.used += this.cost(p);
    return this.base + p;
  }

  /** Estimated bytes of row p (what evicting it frees). */
  cost(p: number): number {
    const s = this.payload[p];
    if (s === undefined) return ROW_BYTES;
    const f = this.flags.data[p]!;
    // V8 keeps a string in 1 byte per char (Latin-1) or 2: a whole text's UTF-8 size bounds it cheaply
    const text = f & (ROW.binary | ROW.lifecycle) ? s.length : f & ROW.truncated ? 2 * s.length : Math.min(this.size.data[p]!, 2 * s.length);
    return ROW_BYTES + STRING_BYTES + text;
  }

  /** Replace a row's payload (a Blob's bytes arrived, or the full payload was fetched). */
  setPayload(p: number, payload: string, truncated: boolean): void {
    this.used -= this.cost(p);
    this.payload[p] = payload;
    let f = this.flags.data[p]! & ~(ROW.noData | ROW.truncated);
    if (truncated) f |= ROW.truncated;
    this.flags.data[p] = f;
    this.used += this.cost(p);
  }

  /** Mark a row removed and free its payload; views skip it. */
  remove(p: number): void {
    if (this.flags.data[p]! & ROW.removed) return;
    this.used -= this.cost(p);
    this.payload[p] = undefined;
    this.flags.data[p] = this.flags.data[p]! | ROW.removed;
  }

  /** Position of the oldest held row (read its columns before evicting it). */
  get firstPos(): number { return this.first; }

  /** Evict the oldest row; false when there is none. */
  evictFirst(): boolean {
    if (this.first >= this.len) return false;
    const p = this.first;
    if (!(this.flags.data[p]! & ROW.removed)) this.used -= this.cost(p);
    this.payload[p] = undefined;
    this.first++;
    if (this.first === this.len) this.clear(this.nextId);
    else if (this.first >= 65_536 && this.first * 2 >= this.len) this.compact();
    return true;
  }

  /** Forget every row; ids go on from `nextId` (views compare ids across a Clear). */
  clear(nextId = this.nextId): void {
    for (const c of [this.t, this.seq, this.size, this.conn, this.buffered, this.flags, this.as]) c.reset();
    this.payload = [];
    this.base = nextId;
    this.first = this.len = 0;
    this.used = 0;
  }

  /** Bytes of the typed columns as allocated (spare capacity included). */
  get columnBytes(): number {
    return this.t.bytes + this.seq.bytes + this.size.bytes + this.conn.bytes + this.buffered.bytes + this.flags.bytes + this.as.bytes;
  }

  private compact(): void {
    const n = this.first;
    for (const c of [this.t, this.seq, this.size, this.conn, this.buffered, this.flags, this.as]) c.shift(n, this.len);
    this.payload = this.payload.slice(n);
    this.base += n;
    this.len -= n;
    this.first = 0;
  }
}
