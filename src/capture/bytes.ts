/**
 * Binary payloads as the hook sees them: what kind of value the page passed,
 * read through native getters only (the history copies the bytes it keeps:
 * frame-log.ts). UTF-8 sizes of texts: protocol/utf8.ts.
 */
import type { DataType } from '../protocol/events';
import type { Natives } from './natives';

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

/** Is this value a Blob (of any realm)? Returns its size, or -1. */
export function blobSize(n: Natives, data: unknown): number {
  if (typeof data !== 'object' || data === null) return -1;
  try {
    return n.blobSize(data);
  } catch {
    return -1;
  }
}
