/**
 * Builds the batches the hook posts to the relay (protocol/batch.ts): rows
 * copied from the FrameLog into packed columns, texts in a list (one string
 * each, no copying) and bytes into one buffer, lifecycle events with their place among
 * the rows. Large payloads travel as a preview (`previewBytes`); the rest
 * stays in the log, fetched on demand.
 *
 * Scratch columns are allocated once (the largest batch) and reused; each
 * batch gets its own exact-size buffers, which the post hands to the relay
 * (transfer). Binary bytes are copied from the log's ring when the batch is
 * taken, so the rows added must be taken before the log is written again
 * (the stream adds and takes in one task). Everything runs on natives taken
 * at start (hostile pages: see frame-log.ts).
 */
import { BATCH_BINARY_BYTES, BATCH_TEXT_CHARS, FLAG, NONE, ROW_BYTES, columnOffsets, type CaptureHealth, type LifecycleEvent, type PageBatch } from '../protocol/batch';
import { utf8Cut, utf8Length } from '../protocol/utf8';
import type { FrameLog } from './frame-log';
import type { takeDataNatives } from './natives';

type DataNatives = ReturnType<typeof takeDataNatives>;

/** Where each column starts, per row of the batch (offsets grow linearly with rows); taken at start. */
const PER_ROW = columnOffsets(1);

export class BatchWriter {
  private rows = 0;
  private texts: string[];
  private textChars = 0;
  /** where each row's bytes start in the log's ring (binLen says how many) */
  private readonly binFrom: Uint32Array;
  private binaryBytes = 0;
  /** payloads that travel inside events (an interception's edited message), counted like the columns' */
  private eventBytes = 0;
  private events: LifecycleEvent[];
  private at: number[];
  private readonly t: Float64Array;
  private readonly seq: Uint32Array;
  private readonly conn: Uint32Array;
  private readonly size: Uint32Array;
  private readonly aux: Uint32Array;
  private readonly textLen: Uint32Array;
  private readonly binLen: Uint32Array;
  private readonly flags: Uint16Array;
  private readonly as: Uint8Array;

  constructor(private readonly natives: DataNatives, private readonly log: FrameLog, private readonly previewBytes: number, readonly maxItems: number) {
    const n = natives;
    this.t = new n.Float64Array(maxItems);
    this.seq = new n.Uint32Array(maxItems);
    this.conn = new n.Uint32Array(maxItems);
    this.size = new n.Uint32Array(maxItems);
    this.aux = new n.Uint32Array(maxItems);
    this.textLen = new n.Uint32Array(maxItems);
    this.binLen = new n.Uint32Array(maxItems);
    this.flags = new n.Uint16Array(maxItems);
    this.as = new n.Uint8Array(maxItems);
    this.texts = n.list<string>();
    this.binFrom = new n.Uint32Array(maxItems);
    this.events = n.list<LifecycleEvent>();
    this.at = n.list<number>();
  }

  /** Rows and events in the batch so far. */
  get items(): number {
    return this.rows + this.events.length;
  }

  /** The batch must go now: as many items as a batch holds, or as much text or binary (BATCH_TEXT_CHARS …). */
  get full(): boolean {
    return this.rows + this.events.length >= this.maxItems || this.textChars >= BATCH_TEXT_CHARS || this.binaryBytes + this.eventBytes >= BATCH_BINARY_BYTES;
  }

  /** Add a held row of the log (by its number). */
  addRow(row: number): void {
    const log = this.log;
    const i = log.index(row);
    const r = this.rows++;
    let flags = log.flags[i]!;
    let size = log.size[i]!;
    let textLen = 0, binLen = 0;
    const d = log.data[i];
    if (typeof d === 'string') {
      let piece = d;
      // a whole short text keeps size NONE: the panel measures it, off the page's thread
      if (d.length * 3 > this.previewBytes) {
        const keep = utf8Cut(d, this.previewBytes, this.natives.strCharCodeAt);
        if (keep < d.length) {
          if (size === NONE) size = utf8Length(d, this.natives.strCharCodeAt);
          piece = this.natives.strSlice(d, 0, keep);
          flags |= FLAG.truncated;
        }
      }
      if (piece.length > 0) this.texts[this.texts.length] = piece;
      this.textChars += piece.length;
      textLen = piece.length;
    } else if (log.holdsBytes(i)) {
      const bytes = log.binLen[i]!;
      if (bytes > this.previewBytes) flags |= FLAG.truncated;
      binLen = bytes > this.previewBytes ? this.previewBytes : bytes;
      this.binFrom[r] = log.binAt[i]!;
      this.binaryBytes += binLen;
    }
    this.t[r] = log.t[i]!;
    this.seq[r] = log.seq[i]!;
    this.conn[r] = log.conn[i]!;
    this.size[r] = size;
    this.aux[r] = log.aux[i]!;
    this.textLen[r] = textLen;
    this.binLen[r] = binLen;
    this.flags[r] = flags;
    this.as[r] = log.as[i]!;
  }

  /** Add a lifecycle event after the rows added so far. */
  addEvent(e: LifecycleEvent): void {
    const k = this.events.length;
    this.events[k] = e;
    this.at[k] = this.rows;
    if (e.k === 'intercept' && e.data !== undefined) {
      this.eventBytes += typeof e.data === 'string' ? 2 * e.data.length : this.natives.arrayBufferByteLength(e.data);
    }
  }

  /** The batch built so far, with the hook's capture health if any (and start a new one). */
  take(health: CaptureHealth | undefined): PageBatch {
    const n = this.natives;
    const rows = this.rows;
    const cols = new n.ArrayBuffer(rows * ROW_BYTES);
    const at = PER_ROW;
    n.typedSet(new n.Float64Array(cols, at.t * rows, rows), n.typedPart(this.t, 0, rows), 0);
    n.typedSet(new n.Uint32Array(cols, at.seq * rows, rows), n.typedPart(this.seq, 0, rows), 0);
    n.typedSet(new n.Uint32Array(cols, at.conn * rows, rows), n.typedPart(this.conn, 0, rows), 0);
    n.typedSet(new n.Uint32Array(cols, at.size * rows, rows), n.typedPart(this.size, 0, rows), 0);
    n.typedSet(new n.Uint32Array(cols, at.aux * rows, rows), n.typedPart(this.aux, 0, rows), 0);
    n.typedSet(new n.Uint32Array(cols, at.textLen * rows, rows), n.typedPart(this.textLen, 0, rows), 0);
    n.typedSet(new n.Uint32Array(cols, at.binLen * rows, rows), n.typedPart(this.binLen, 0, rows), 0);
    n.typedSet(new n.Uint16Array(cols, at.flags * rows, rows), n.typedPart(this.flags, 0, rows), 0);
    n.typedSet(new n.Uint8Array(cols, at.as * rows, rows), n.typedPart(this.as, 0, rows), 0);
    const binary = new n.ArrayBuffer(this.binaryBytes);
    const into = new n.Uint8Array(binary);
    const ring = this.log.ring.buffer;
    for (let r = 0, off = 0; r < rows; r++) {
      const len = this.binLen[r]!;
      if (len === 0) continue;
      n.typedSet(into, new n.Uint8Array(ring, this.binFrom[r]!, len), off);
      off += len;
    }
    const batch: PageBatch = { health, rows, cols, texts: this.texts, binary, events: this.events, at: this.at };
    this.rows = 0;
    this.texts = n.list<string>();
    this.textChars = 0;
    this.binaryBytes = 0;
    this.eventBytes = 0;
    this.events = n.list<LifecycleEvent>();
    this.at = n.list<number>();
    return batch;
  }
}

