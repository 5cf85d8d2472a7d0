/**
 * A batch between forms (protocol/batch.ts): the relay turns the hook's
 * buffers into base64 for the extension port (Chrome carries port messages as
 * JSON); the panel turns them back into typed views over the decoded bytes.
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

export function toWireBatch(b: PageBatch): WireBatch {
  const { cols, fixed } = packForWire(b.cols, b.rows);
  return {
    rows: b.rows, cols: bytesToBase64(cols), texts: Array.from(b.texts), binary: bytesToBase64(new Uint8Array(b.binary)),
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
    rows: b.rows, cols: fromWireColumns(b.cols, b.rows, b.fixed), texts: b.texts, binary: base64ToBytes(b.binary), events: b.events, at: b.at,
    ...(b.health ? { health: b.health } : {}),
  };
}

/** A wire batch's columns as typed views (its fixed columns filled in); throws on bad base64 or the wrong size. */
export function fromWireColumns(b64: string, rows: number, fixed: FixedColumns | undefined): ColumnViews {
  const cols = base64ToBytes(b64);
  const want = wireColumnBytes(rows, fixed);
  if (cols.byteLength !== want) throw new RangeError(`batch columns: ${cols.byteLength} bytes for ${rows} rows (${want} expected)`);
  // a fresh buffer of its own: the views need the columns' alignment from offset 0
  const buffer = cols.byteOffset === 0 && cols.buffer.byteLength === cols.byteLength ? cols.buffer as ArrayBuffer : cols.slice().buffer;
  return wireColumnViews(buffer, rows, fixed);
}

/** The page's batch as the panel reads it, without the port in between (tests, automation). */
export function fromPageBatch(b: PageBatch): ColumnBatch {
  return {
    rows: b.rows, cols: columnViews(b.cols, b.rows), texts: Array.from(b.texts), binary: new Uint8Array(b.binary),
    events: Array.from(b.events, wireEvent), at: Array.from(b.at),
    ...(b.health ? { health: healthOf(b.health) } : {}),
  };
}
