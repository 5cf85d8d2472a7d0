/**
 * A batch between forms (protocol/batch.ts): the relay puts the hook's buffers
 * on the extension port as they are where ports carry structured clones, or as
 * base64 where they carry JSON (Chrome before 148, or without the manifest's
 * `message_serialization`); the panel makes typed views over the bytes.
 */
import { base64ToBytes, bytesToBase64 } from './base64';
import {
  COLUMN_NAMES, FIXABLE, ROW_BYTES, columnOffsets, columnViews, wireColumnBytes, wireColumnViews,
  type CaptureHealth, type ColumnBatch, type ColumnViews, type FixableColumn, type FixedColumns, type LifecycleEvent, type PageBatch, type WireBatch,
} from './batch';
import type { Base64 } from './messages';

/** An event's binary payload (an edit interception made) as base64; everything else as it is. */
function wireEvent(e: LifecycleEvent): LifecycleEvent<Base64> {
  if (e.k === 'intercept' && e.data !== undefined && typeof e.data !== 'string') {
    return { ...e, data: { b64: bytesToBase64(new Uint8Array(e.data)) } };
  }
  return e as LifecycleEvent<Base64>;
}

/** The hook's batch for an extension port: `raw` where the port carries structured clones (ArrayBuffers as they are), else base64. */
export function toWireBatch(b: PageBatch, raw: boolean): WireBatch {
  const { cols, fixed } = packForWire(b.cols, b.rows);
  return {
    rows: b.rows, texts: Array.from(b.texts),
    cols: raw ? ownBuffer(cols) : bytesToBase64(cols),
    binary: raw ? b.binary : bytesToBase64(new Uint8Array(b.binary)),
    // plain arrays (the hook builds its lists without a prototype; a structured clone makes them arrays anyway)
    events: Array.from(b.events, wireEvent), at: Array.from(b.at),
    ...(fixed ? { fixed } : {}),
    ...(b.health ? { health: healthOf(b.health) } : {}),
  };
}

/**
 * The hook's packed columns with every column that holds one value on all rows left out (batch.ts
 * FIXABLE): those travel as that value. One pass over each column, stopping at its first difference.
 */
function packForWire(buffer: ArrayBuffer, rows: number): { cols: Uint8Array; fixed?: FixedColumns } {
  const all = new Uint8Array(buffer, 0, rows * ROW_BYTES);
  if (rows < 2) return { cols: all };
  const views = columnViews(buffer, rows);
  const offsets = columnOffsets(rows);
  let fixed: FixedColumns | undefined;
  let keep = rows * ROW_BYTES;
  for (const k of FIXABLE) {
    const col = views[k];
    const first = col[0]!;
    let r = 1;
    while (r < rows && col[r] === first) r++;
    if (r < rows) continue;
    (fixed ??= {})[k] = first;
    keep -= col.byteLength;
  }
  if (!fixed) return { cols: all };
  const out = new Uint8Array(keep);
  let at = 0;
  for (const k of COLUMN_NAMES) {
    if (fixed[k as FixableColumn] !== undefined) continue;
    const len = views[k].byteLength;
    // a new view, not `subarray`: in Firefox the buffer is the page's, seen through an Xray wrapper, and
    // `subarray` asks it for its `constructor`, which Firefox denies
    out.set(new Uint8Array(buffer, offsets[k], len), at);
    at += len;
  }
  return { cols: out, fixed };
}

/** The bytes of a view as an ArrayBuffer of their own (the view's whole buffer when it covers it). */
function ownBuffer(v: Uint8Array): ArrayBuffer {
  return v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v.buffer as ArrayBuffer : v.slice().buffer;
}

/** A batch's health as plain data (the hook's list of connections has no prototype). */
function healthOf(h: CaptureHealth): CaptureHealth {
  return { ...h, ...(h.connErrors ? { connErrors: Array.from(h.connErrors) } : {}) };
}

/** A batch with nothing but health (a hop that refused a message says so this way). */
export function healthBatch(health: CaptureHealth): WireBatch {
  return { rows: 0, cols: '', texts: [], binary: '', events: [], at: [], health };
}

/** Decode a wire batch; throws on bad base64 or a column buffer of the wrong size. */
export function fromWireBatch(b: WireBatch): ColumnBatch {
  return {
    rows: b.rows, cols: fromWireColumns(b.cols, b.rows, b.fixed), texts: b.texts, binary: wireBytes(b.binary), events: b.events, at: b.at,
    ...(b.health ? { health: b.health } : {}),
  };
}

/** A wire batch's columns as typed views (its fixed columns filled in); throws on bad base64 or the wrong size. */
export function fromWireColumns(wire: ArrayBuffer | string, rows: number, fixed: FixedColumns | undefined): ColumnViews {
  const cols = wireBytes(wire);
  const want = wireColumnBytes(rows, fixed);
  if (cols.byteLength !== want) throw new RangeError(`batch columns: ${cols.byteLength} bytes for ${rows} rows (${want} expected)`);
  // a buffer of its own: the views need the columns' alignment from offset 0
  return wireColumnViews(ownBuffer(cols), rows, fixed);
}

/** A wire batch's buffer as bytes: an ArrayBuffer as it is, base64 decoded (throws if bad). */
function wireBytes(v: ArrayBuffer | string): Uint8Array {
  return typeof v === 'string' ? base64ToBytes(v) : new Uint8Array(v);
}

/** The page's batch as the panel reads it, without the port in between (tests, automation). */
export function fromPageBatch(b: PageBatch): ColumnBatch {
  return {
    rows: b.rows, cols: columnViews(b.cols, b.rows), texts: Array.from(b.texts), binary: new Uint8Array(b.binary),
    events: Array.from(b.events, wireEvent), at: Array.from(b.at),
    ...(b.health ? { health: healthOf(b.health) } : {}),
  };
}
