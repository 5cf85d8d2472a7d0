/**
 * Growable typed arrays: one column of the frame table (or one id list), kept
 * as a flat typed array that doubles when full. A million numbers cost 4 or 8
 * MB here instead of a million JS values in a million objects.
 */
type Typed = Float64Array | Uint32Array | Uint8Array;
type TypedCtor<T extends Typed> = { new (n: number): T };

export class Column<T extends Typed> {
  data: T;
  constructor(private readonly Ctor: TypedCtor<T>, capacity = 1024) {
    this.data = new Ctor(capacity);
  }

  /** Make room for index `i` (doubling, so appends cost O(1) amortised). */
  ensure(i: number): void {
    if (i < this.data.length) return;
    let n = this.data.length * 2;
    while (n <= i) n *= 2;
    const next = new this.Ctor(n);
    next.set(this.data as never);
    this.data = next;
  }

  /** Drop the first `n` entries of the first `len` (moving the rest to the front). */
  shift(n: number, len: number): void {
    this.data.copyWithin(0, n, len);
  }

  /** Start again small: the old buffer is garbage at once (Clear on a million frames frees memory). */
  reset(capacity = 1024): void {
    this.data = new this.Ctor(capacity);
  }

  get bytes(): number {
    return this.data.byteLength;
  }
}

/**
 * An append-only list of increasing ids (a connection's frames, a filter's
 * matches) that loses entries from its front as old frames are evicted.
 */
export class IdList {
  private col = new Column(Uint32Array, 256);
  private head = 0;
  private end = 0;

  get length(): number {
    return this.end - this.head;
  }

  push(id: number): void {
    const d = this.col.data;
    if (this.end < d.length) { d[this.end++] = id; return; }
    // full: reuse the evicted front when it is at least half, else grow
    if (this.head * 2 >= d.length) this.compact();
    this.col.ensure(this.end);
    this.col.data[this.end++] = id;
  }

  /** Append the first `n` ids of `src` (increasing, after the last one held). */
  pushMany(src: Uint32Array, n: number): void {
    if (n === 0) return;
    if (this.end + n > this.col.data.length && this.head * 2 >= this.col.data.length) this.compact();
    this.col.ensure(this.end + n - 1);
    this.col.data.set(n === src.length ? src : src.subarray(0, n), this.end);
    this.end += n;
  }

  /** The i-th id (0 = oldest held); -1 when out of range. */
  at(i: number): number {
    return i >= 0 && i < this.end - this.head ? this.col.data[this.head + i]! : -1;
  }

  last(): number {
    return this.end > this.head ? this.col.data[this.end - 1]! : -1;
  }

  /** Drop ids below `minId` from the front (they were evicted). */
  dropBelow(minId: number): number {
    const d = this.col.data;
    let h = this.head;
    if (h >= this.end || d[h]! >= minId) return 0;
    // usually one or a few: walk; far behind: binary search
    if (this.end - h > 64 && d[h + 63]! < minId) h = this.lowerBound(minId);
    else while (h < this.end && d[h]! < minId) h++;
    const n = h - this.head;
    this.head = h;
    if (this.head === this.end) this.head = this.end = 0;
    return n;
  }

  /** Position of `id`, or -1. */
  indexOf(id: number): number {
    const p = this.lowerBound(id);
    return p < this.end && this.col.data[p] === id ? p - this.head : -1;
  }

  /** Position of the first id ≥ `id` (length when none). */
  positionOf(id: number): number {
    return this.lowerBound(id) - this.head;
  }

  clear(): void {
    this.col.reset(256);
    this.head = this.end = 0;
  }

  get bytes(): number {
    return this.col.bytes;
  }

  /** Typed view of the held ids (no copy). */
  view(): Uint32Array {
    return this.col.data.subarray(this.head, this.end);
  }

  private lowerBound(id: number): number {
    const d = this.col.data;
    let lo = this.head, hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    this.col.shift(this.head, this.end);
    this.end -= this.head;
    this.head = 0;
  }
}
