/** Small helpers shared by decoders: payload access, JSON-able trees, short quoting. */
import { bytesToBase64 } from '../protocol/base64';
import type { DecodeFrame, Decoded } from './types';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** The frame as text: its text, or its bytes when they are valid UTF-8. */
export function textOf(f: DecodeFrame): string | undefined {
  if (f.text !== undefined) return f.text;
  if (!f.bytes) return undefined;
  try { return utf8.decode(f.bytes); } catch { return undefined; }
}

/** The frame as bytes (text frames are UTF-8 on the wire). */
export function bytesOf(f: DecodeFrame): Uint8Array {
  return f.bytes ?? encoder.encode(f.text ?? '');
}

export function parseJson(text: string): { value: unknown } | undefined {
  try { return { value: JSON.parse(text) as unknown }; } catch { return undefined; }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** A short, quoted rendering for summaries: "chat", 12, {…}. */
export function short(v: unknown, max = 40): string {
  if (typeof v === 'string') return JSON.stringify(v.length > max ? v.slice(0, max) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.length}]`;
  if (v instanceof Uint8Array) return `${v.length} B`;
  return '{…}';
}

export function sizeLabel(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

/**
 * Make a decoded value JSON-able for the detail tree: bytes become
 * { $bytes: base64, size }, bigints strings, Maps objects; depth and width are
 * bounded because hostile payloads can nest deeply.
 */
export function jsonable(v: unknown, depth = 0): unknown {
  if (v === undefined) return null;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (depth > 64) return '(nested deeper than 64 levels: not shown)';
  if (v instanceof Uint8Array) return { $bytes: bytesToBase64(v.subarray(0, 4096)), size: v.length };
  if (ArrayBuffer.isView(v)) return jsonable(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), depth);
  if (v instanceof ArrayBuffer) return jsonable(new Uint8Array(v), depth);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (Array.isArray(v)) return v.slice(0, 10_000).map((x) => jsonable(x, depth + 1));
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[typeof k === 'string' ? k : JSON.stringify(jsonable(k, depth + 1))] = jsonable(x, depth + 1);
    return out;
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = jsonable(x, depth + 1);
    return out;
  }
  return String(v);
}

/** Top-level scalar members of an object as filterable fields (first `max` of them). */
export function scalarFields(o: Record<string, unknown>, max = 24): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  let n = 0;
  for (const [k, v] of Object.entries(o)) {
    if (n >= max) break;
    if (typeof v === 'string') out[k] = v.length > 200 ? v.slice(0, 200) : v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (typeof v === 'boolean') out[k] = String(v);
    else continue;
    n++;
  }
  return out;
}

/**
 * The fields of several packets carried by one message, as one set: a value every packet has alike
 * stays a value; different ones become the list of distinct values, in order (filters match any).
 */
export function mergeFields(all: readonly Decoded['fields'][]): Decoded['fields'] {
  const lists = new Map<string, (string | number)[]>();
  for (const fields of all) {
    for (const [k, v] of Object.entries(fields)) {
      const list = lists.get(k) ?? [];
      for (const x of typeof v === 'object' ? v : [v]) if (!list.includes(x)) list.push(x);
      lists.set(k, list);
    }
  }
  const out: Decoded['fields'] = {};
  for (const [k, list] of lists) out[k] = list.length === 1 ? list[0]! : list;
  return out;
}

/**
 * One result for a message that carried several packets: every packet in the summary (the first
 * `max`, then how many more), the fields of all (mergeFields), the trees as a list, the first
 * pairing, a heartbeat only when every packet is one.
 */
export function combinePackets(label: string, ds: readonly Decoded[], max = 4): Decoded {
  const one = ds[0];
  if (!one || ds.length === 1) return one ?? { summary: `${label}: nothing`, fields: {} };
  const strip = (s: string) => (s.startsWith(label + ' ') ? s.slice(label.length + 1) : s);
  const shown = ds.slice(0, max).map((d) => strip(d.summary)).join(' · ');
  const out: Decoded = {
    summary: `${label} ${shown}${ds.length > max ? ` · +${ds.length - max} more` : ''}`,
    fields: { ...mergeFields(ds.map((d) => d.fields)), packets: ds.length },
    tree: ds.map((d) => d.tree),
  };
  const pairing = ds.find((d) => d.pairing)?.pairing;
  if (pairing) out.pairing = pairing;
  const error = ds.find((d) => d.error)?.error;
  if (error) out.error = error;
  if (ds.every((d) => d.heartbeat)) out.heartbeat = true;
  return out;
}

export function failed(label: string, error: string, extra: Partial<Decoded> = {}): Decoded {
  return { summary: `${label}: ${error}`, fields: {}, error, ...extra };
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Pairing keys: requests name their own direction; responses the opposite one (the request's). */
export const opposite = (dir: 'in' | 'out'): 'in' | 'out' => (dir === 'in' ? 'out' : 'in');
