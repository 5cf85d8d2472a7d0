/**
 * The bytes of the history's binary payloads, in one reused buffer written as a ring (frame-log.ts keeps
 * each row's place in it).
 *
 * Why not one ArrayBuffer per payload: the page owns the buffers it receives and sends, so the hook must
 * copy them (README, Performance), and in Chromium a fresh 64 KiB buffer costs 30–50 µs to allocate and
 * fill — mostly the kernel handing out new pages — where a copy into memory already in use costs ~8 µs.
 * Payloads are evicted oldest first, in the order they were written, so their bytes form a queue: a
 * record goes at the write end, or at the start of the buffer when the end has no room (the gap left at
 * the end is reused once the write end wraps round to it); freeing a record moves the oldest end past it.
 *
 * Empty payloads take no room and are not records here. Everything runs on natives taken at start.
 */
import type { takeDataNatives } from './natives';

type DataNatives = ReturnType<typeof takeDataNatives>;

/** The first buffer (it doubles as needed, up to what the history's byte cap asks). */
const FIRST_BYTES = 256 * 1024;

export class ByteRing {
  /** the buffer, and a view of all of it; rows keep offsets into it, valid until a resize moves them */
  buffer: ArrayBuffer;
  bytes: Uint8Array;
  /** its size (kept here: a typed array's `length` is a getter the page can replace) */
  capacity = 0;
  /** offset of the oldest record held */
  private head = 0;
  /** where the next record goes when it fits before the end */
  private tail = 0;
  /** while the records wrap round: where the older part ends (the newer part is [0, tail)); -1 otherwise */
  private wrapEnd = -1;
  /** records held */
  private held = 0;

  constructor(private readonly natives: DataNatives) {
    this.buffer = new natives.ArrayBuffer(0);
    this.bytes = new natives.Uint8Array(this.buffer);
  }

  /**
   * Room for `len` (> 0) bytes: their offset, or -1 while the oldest records must go first. Grows the
   * buffer (up to `limit` bytes) rather than ask for that; a grown buffer moves every record, so the
   * caller is told through `moved` how to find them (old offset → new).
   */
  reserve(len: number, limit: number, moved: (map: (offset: number) => number) => void): number {
    if (this.held === 0) { this.head = 0; this.tail = 0; this.wrapEnd = -1; }
    let at = this.fit(len);
    if (at < 0 && this.capacity < limit) {
      let cap = this.capacity < FIRST_BYTES ? FIRST_BYTES : this.capacity * 2;
      while (cap < this.used() + len) cap *= 2;
      moved(this.resize(cap < limit ? cap : limit > this.used() + len ? limit : this.used() + len));
      at = this.fit(len);
    }
    if (at < 0) return -1;
    if (at === 0 && this.tail > 0 && this.wrapEnd < 0 && this.held > 0) this.wrapEnd = this.tail;
    this.tail = at + len;
    this.held++;
    return at;
  }

  /** The oldest record, [offset, offset + len), is no longer needed. */
  free(offset: number, len: number): void {
    this.held--;
    this.head = offset + len;
    if (this.wrapEnd >= 0 && this.head >= this.wrapEnd) { this.head = 0; this.wrapEnd = -1; }
  }

  /**
   * A buffer of `cap` bytes (at least what is held) with the records moved to its start, oldest first;
   * returns how an old offset maps to the new one. For growing, and for a smaller history byte cap.
   */
  resize(cap: number): (offset: number) => number {
    const n = this.natives;
    const old = this.bytes;
    const buffer = new n.ArrayBuffer(cap);
    const fresh = new n.Uint8Array(buffer);
    const head = this.held === 0 ? 0 : this.head;
    const firstEnd = this.held === 0 ? 0 : this.wrapEnd >= 0 ? this.wrapEnd : this.tail;
    const firstLen = firstEnd - head;
    if (firstLen > 0) n.typedSet(fresh, n.typedPart(old, head, firstEnd), 0);
    const wrapped = this.held > 0 && this.wrapEnd >= 0;
    if (wrapped && this.tail > 0) n.typedSet(fresh, n.typedPart(old, 0, this.tail), firstLen);
    const used = this.used();
    this.buffer = buffer;
    this.bytes = fresh;
    this.capacity = cap;
    this.head = 0;
    this.tail = used;
    this.wrapEnd = -1;
    return (offset) => (!wrapped || offset >= head ? offset - head : offset + firstLen);
  }

  /** Bytes between the oldest record's start and the write end (a wrapped ring's gap left out). */
  used(): number {
    if (this.held === 0) return 0;
    return this.wrapEnd >= 0 ? this.wrapEnd - this.head + this.tail : this.tail - this.head;
  }

  private fit(len: number): number {
    const cap = this.capacity;
    if (this.wrapEnd >= 0) return this.tail + len <= this.head ? this.tail : -1;
    if (this.tail + len <= cap) return this.tail;
    return len <= this.head ? 0 : -1;
  }
}
