/**
 * Payload helpers for the hot path: exact UTF-8 sizes without encoding, and
 * single copies of binary data (the page may reuse or transfer its buffers).
 */
import type { DataType } from '../protocol/events';
import type { Natives } from './natives';

/** Bytes the string takes on the wire (lone surrogates become U+FFFD: 3 bytes). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) { n += 1; continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n += 2; i++; continue; } // 4 bytes for 2 units
    }
    n += 2; // BMP char or lone surrogate: 3 bytes for 1 unit
  }
  return n;
}

/** First `max` UTF-16 units that fit in `maxBytes` UTF-8 bytes (never splitting a pair). */
export function cutText(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s;
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + w > maxBytes) break;
    bytes += w;
    i += pair ? 2 : 1;
  }
  return s.slice(0, i);
}

/** A binary value passed to send() or received, seen through native getters only. */
export interface BinaryView { buffer: ArrayBuffer; offset: number; length: number; as: DataType }

/** Classify a binary send() argument without running page code; null if it is not binary. */
export function viewOf(n: Natives, data: unknown): BinaryView | null {
  if (typeof data !== 'object' || data === null) return null;
  try {
    const length = n.arrayBufferByteLength(data);
    return { buffer: data as ArrayBuffer, offset: 0, length, as: 'ArrayBuffer' };
  } catch { /* not an ArrayBuffer */ }
  if (!n.isView(data)) return null;
  const tag = n.typedArrayTag(data);
  if (tag) {
    return {
      buffer: n.typedArrayBuffer(data), offset: n.typedArrayOffset(data), length: n.typedArrayLength(data),
      as: tag as DataType,
    };
  }
  return {
    buffer: n.dataViewBuffer(data), offset: n.dataViewOffset(data), length: n.dataViewLength(data), as: 'DataView',
  };
}

/** Copy (at most `max` bytes of) a view into a fresh ArrayBuffer the hook owns. */
export function copyView(n: Natives, v: BinaryView, max: number): ArrayBuffer {
  const len = Math.min(v.length, max);
  try {
    return n.arrayBufferSlice(v.buffer, v.offset, v.offset + len);
  } catch (err) {
    if (!n.isSharedBuffer(v.buffer)) throw err;
  }
  // shared memory (a browser that sends it): ArrayBuffer's slice refuses it, so copy through views
  const copy = new n.Uint8Array(len);
  n.uint8Set(copy, new n.Uint8Array(v.buffer, v.offset, len), 0);
  return n.typedArrayBuffer(copy);
}

/** Is this value a Blob (of any realm)? Returns its size, or -1. */
export function blobSize(n: Natives, data: unknown): number {
  if (typeof data !== 'object' || data === null) return -1;
  try {
    return n.blobSize(data);
  } catch {
    return -1;
  }
}
