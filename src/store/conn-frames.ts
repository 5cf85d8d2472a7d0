/**
 * One connection's frames as the panel holds them: the ids of its rows in the
 * frame table (4 bytes each), oldest first. Frames are materialised one at a
 * time when asked for; `map`/`filter`/`slice` are conveniences that build an
 * array, so use them on a few frames, or knowingly.
 */
import { IdList } from './columns';
import type { Frame } from './model';

export interface FrameSource { frame(id: number): Frame | undefined }

export class ConnFrames implements Iterable<Frame> {
  readonly ids = new IdList();
  constructor(private readonly src: FrameSource) {}

  get length(): number {
    return this.ids.length;
  }

  /** The i-th frame held (negative: from the end, like Array.prototype.at). */
  at(i: number): Frame | undefined {
    const id = this.ids.at(i < 0 ? this.ids.length + i : i);
    return id < 0 ? undefined : this.src.frame(id);
  }

  idAt(i: number): number {
    return this.ids.at(i);
  }

  indexOfId(id: number): number {
    return this.ids.indexOf(id);
  }

  slice(start = 0, end = this.length): Frame[] {
    const n = this.length;
    const a = start < 0 ? Math.max(0, n + start) : Math.min(start, n);
    const b = end < 0 ? Math.max(0, n + end) : Math.min(end, n);
    const out: Frame[] = [];
    for (let i = a; i < b; i++) { const f = this.at(i); if (f) out.push(f); }
    return out;
  }

  map<T>(fn: (f: Frame, i: number) => T): T[] {
    const out: T[] = [];
    let i = 0;
    for (const f of this) out.push(fn(f, i++));
    return out;
  }

  filter(fn: (f: Frame, i: number) => boolean): Frame[] {
    const out: Frame[] = [];
    let i = 0;
    for (const f of this) if (fn(f, i++)) out.push(f);
    return out;
  }

  find(fn: (f: Frame) => boolean): Frame | undefined {
    for (const f of this) if (fn(f)) return f;
    return undefined;
  }

  *[Symbol.iterator](): Iterator<Frame> {
    for (let i = 0; i < this.ids.length; i++) {
      const f = this.at(i);
      if (f) yield f;
    }
  }
}
