/**
 * A batch between forms (protocol/batch.ts): the relay turns the hook's
 * buffers into base64 for the extension port (Chrome carries port messages as
 * JSON); the panel turns them back into typed views over the decoded bytes.
 */
import { base64ToBytes, bytesToBase64 } from './base64';
import { ROW_BYTES, columnViews, type CaptureHealth, type ColumnBatch, type LifecycleEvent, type PageBatch, type WireBatch } from './batch';
import type { Base64 } from './messages';

/** An event's binary payload (an edit interception made) as base64; everything else as it is. */
function wireEvent(e: LifecycleEvent): LifecycleEvent<Base64> {
  if (e.k === 'intercept' && e.data !== undefined && typeof e.data !== 'string') {
    return { ...e, data: { b64: bytesToBase64(new Uint8Array(e.data)) } };
  }
  return e as LifecycleEvent<Base64>;
}

export function toWireBatch(b: PageBatch): WireBatch {
  return {
    rows: b.rows, cols: bytesToBase64(new Uint8Array(b.cols)), texts: Array.from(b.texts), binary: bytesToBase64(new Uint8Array(b.binary)),
    // plain arrays (the hook builds its lists without a prototype; a structured clone makes them arrays anyway)
    events: Array.from(b.events, wireEvent), at: Array.from(b.at),
    ...(b.health ? { health: healthOf(b.health) } : {}),
  };
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
  const cols = base64ToBytes(b.cols);
  if (cols.byteLength !== b.rows * ROW_BYTES) throw new RangeError(`batch columns: ${cols.byteLength} bytes for ${b.rows} rows`);
  // a fresh buffer of its own: the views need the columns' alignment from offset 0
  const buffer = cols.byteOffset === 0 && cols.buffer.byteLength === cols.byteLength ? cols.buffer as ArrayBuffer : cols.slice().buffer;
  return {
    rows: b.rows, cols: columnViews(buffer, b.rows), texts: b.texts, binary: base64ToBytes(b.binary), events: b.events, at: b.at,
    ...(b.health ? { health: b.health } : {}),
  };
}

/** The page's batch as the panel reads it, without the port in between (tests, automation). */
export function fromPageBatch(b: PageBatch): ColumnBatch {
  return {
    rows: b.rows, cols: columnViews(b.cols, b.rows), texts: Array.from(b.texts), binary: new Uint8Array(b.binary),
    events: Array.from(b.events, wireEvent), at: Array.from(b.at),
    ...(b.health ? { health: healthOf(b.health) } : {}),
  };
}
