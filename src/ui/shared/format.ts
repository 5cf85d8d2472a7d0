/**
 * Pure formatting for the panel: bytes, sizes, times, payload previews.
 * No DOM here, so everything is unit-tested in node.
 */
import { base64Length, base64Prefix } from '../../protocol/base64';
import type { WirePayload } from '../../protocol/messages';
import { utf8Length } from '../../protocol/utf8';
import { jsonDepth, MAX_PRETTY_DEPTH } from './deep-json';

// ---------- hex ----------

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Space-separated hex of the given bytes ("48 65 6c"). */
export function hexBytes(bytes: Uint8Array): string {
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]!]!;
  return parts.join(' ');
}

/**
 * A `hexdump -C` style dump: 8-digit hex offset, 16 bytes per line split 8+8,
 * then the printable-ASCII gutter between bars. Lines are joined with "\n".
 * `maxBytes` stops early (a 16 MB payload would be a million lines); `base` is
 * added to the printed offsets (a later page of a dump).
 */
export function hexDump(bytes: Uint8Array, maxBytes = Infinity, base = 0): string {
  const end = Math.min(bytes.length, maxBytes);
  const lines: string[] = [];
  for (let off = 0; off < end; off += 16) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      const at = off + i;
      if (at < end) {
        const b = bytes[at]!;
        hex += HEX[b]! + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
    }
    lines.push(`${(base + off).toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines.join('\n');
}

// ---------- text ----------

/** Pretty-printed JSON when `text` is a JSON object or array; null for anything else. */
export function prettyJson(text: string): string | null {
  const s = text.trimStart();
  if (!s.startsWith('{') && !s.startsWith('[')) return null;
  if (jsonDepth(text, MAX_PRETTY_DEPTH) > MAX_PRETTY_DEPTH) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return null;
    return JSON.stringify(v, null, 2);
  } catch {
    return null;
  }
}

// ---------- sizes and times ----------

/** 1023 → "1023 B", 1536 → "1.5 KB", 3 MiB → "3.0 MB" (binary units, as DevTools shows them). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time of an epoch-ms timestamp: "HH:MM:SS.mmm". */
export function formatTime(t: number): string {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Time since `ref`: "+12 ms", "+1.50 s", "+2 min 05 s" (negative deltas get "-"). */
export function formatRelative(t: number, ref: number): string {
  const d = t - ref;
  const sign = d < 0 ? '-' : '+';
  const a = Math.abs(d);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(2)} s`;
  const totalS = Math.floor(a / 1000);
  return `${sign}${Math.floor(totalS / 60)} min ${pad2(totalS % 60)} s`;
}

// ---------- previews ----------

/** Binary bytes shown in a grid row before "…". */
export const PREVIEW_BYTES = 24;
/** Text characters shown in a grid row before "…". */
export const PREVIEW_CHARS = 200;

/**
 * One line for a frame's row: the start of the text with line breaks and
 * control characters made visible as spaces, or the first bytes in hex.
 */
export function previewPayload(data: WirePayload | undefined, maxChars = PREVIEW_CHARS): string {
  if (data === undefined) return '(payload not read yet)';
  if (typeof data === 'string') {
    const head = data.length > maxChars ? data.slice(0, maxChars) : data;
    // eslint-disable-next-line no-control-regex -- control characters are what a one-line preview replaces
    const line = head.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
    return data.length > maxChars ? line + '…' : line;
  }
  let bytes: Uint8Array;
  try {
    bytes = base64Prefix(data.b64, PREVIEW_BYTES);
  } catch {
    return '(undecodable binary)';
  }
  if (bytes.length === 0) return '(empty)';
  return hexBytes(bytes) + (base64Length(data.b64) > PREVIEW_BYTES ? ' …' : '');
}

/** Bytes actually held for a payload (less than the frame's size when truncated). */
export function heldBytes(data: WirePayload | undefined): number {
  if (data === undefined) return 0;
  return typeof data === 'string' ? utf8Length(data) : base64Length(data.b64);
}

// ---------- counts, durations, rates ----------

/** 1234567 → "1,234,567" (grouped the same way in every locale, like the rest of the panel). */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration in ms: "12 ms", "3.20 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad2(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad2(Math.floor((s % 3600) / 60))} min`;
}

/** Frames per second: "0", "0.3/s", "12/s", "1,250/s". */
export function formatRate(perSecond: number): string {
  if (perSecond <= 0) return '0';
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${formatCount(perSecond)}/s`;
}
