/**
 * A payload in the forms the detail view shows and copies: text, pretty JSON,
 * base64, hex, UTF-8 of binary. Pure (no DOM), unit-tested.
 */
import type { WirePayload } from '../../protocol/messages';
import { base64ToBytes, bytesToBase64 } from '../../protocol/base64';
import { jsonDepth, MAX_PRETTY_DEPTH } from '../shared/deep-json';
import { hexBytes } from '../shared/format';

export type CopyFormat = 'text' | 'json' | 'base64' | 'hex';
export const COPY_FORMATS: readonly CopyFormat[] = ['text', 'json', 'base64', 'hex'];
export const COPY_LABELS: Record<CopyFormat, string> = { text: 'text', json: 'JSON', base64: 'base64', hex: 'hex' };

export type Converted = { ok: true; text: string } | { ok: false; error: string };

/** The payload's bytes: UTF-8 of a text, the decoded base64 of a binary one. */
export function payloadBytes(data: WirePayload): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : base64ToBytes(data.b64);
}

/** UTF-8 decoding of bytes, and whether it needed replacement characters (not valid UTF-8). */
export function utf8Of(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), valid: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), valid: false };
  }
}

/** The parsed JSON value of a text, or undefined when it is not a JSON object or array. */
export function parseJsonPayload(text: string): { value: unknown } | undefined {
  const s = text.trimStart();
  if (!s.startsWith('{') && !s.startsWith('[')) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** The payload as one copy format; an error says why not (e.g. not JSON). */
export function convertPayload(data: WirePayload, format: CopyFormat): Converted {
  let bytes: Uint8Array;
  try {
    bytes = payloadBytes(data);
  } catch {
    return { ok: false, error: 'the payload could not be decoded' };
  }
  switch (format) {
    case 'text':
      return { ok: true, text: typeof data === 'string' ? data : utf8Of(bytes).text };
    case 'json': {
      const text = typeof data === 'string' ? data : utf8Of(bytes).text;
      const parsed = parseJsonPayload(text);
      if (!parsed) {
        try {
          // a JSON string, number … is JSON too, just not a tree
          return { ok: true, text: JSON.stringify(JSON.parse(text), null, 2) };
        } catch {
          return { ok: false, error: 'the payload is not JSON' };
        }
      }
      if (jsonDepth(text, MAX_PRETTY_DEPTH) > MAX_PRETTY_DEPTH) {
        return { ok: false, error: `the JSON is nested deeper than ${MAX_PRETTY_DEPTH} levels: copy it as text` };
      }
      return { ok: true, text: JSON.stringify(parsed.value, null, 2) };
    }
    case 'base64':
      return { ok: true, text: typeof data === 'string' ? bytesToBase64(bytes) : data.b64 };
    case 'hex':
      return { ok: true, text: hexBytes(bytes) };
  }
}

/** [start, end) of page `page` of `total` items, `size` per page. */
export function pageRange(page: number, size: number, total: number): [number, number] {
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return [p * size, Math.min(total, (p + 1) * size)];
}
