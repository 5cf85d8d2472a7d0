/**
 * Protocol Buffers wire format without a schema: field numbers and wire types,
 * with guesses for length-delimited fields (a nested message when the bytes
 * parse as one, else a string when they are printable UTF-8, else bytes).
 * The reader is shared with the schema decoder (protobuf-schema.ts).
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, failed, jsonable, short } from './util';

export type WireType = 0 | 1 | 2 | 3 | 5;
export interface WireField { field: number; wire: WireType; varint?: bigint; bytes?: Uint8Array; group?: WireField[] }

const MAX_DEPTH = 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class WireReader {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  varint(): bigint {
    let n = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.b[this.at++];
      if (byte === undefined) throw new Error('varint cut short');
      n |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return n;
    }
    throw new Error('varint longer than 10 bytes');
  }
  take(n: number): Uint8Array {
    if (n < 0 || this.at + n > this.b.length) throw new Error(`field of ${n} B runs past the end`);
    return this.b.subarray(this.at, (this.at += n));
  }
}

/** Read the fields of one message; throws on anything that is not valid wire format. */
export function readFields(b: Uint8Array, depth = 0, r = new WireReader(b), endGroup?: number): WireField[] {
  if (depth > MAX_DEPTH) throw new Error('nested too deep');
  const out: WireField[] = [];
  while (r.at < b.length) {
    const tag = r.varint();
    const field = Number(tag >> 3n), wire = Number(tag & 7n);
    if (field < 1 || field > 0x1fffffff) throw new Error(`bad field number ${field}`);
    if (wire === 0) out.push({ field, wire, varint: r.varint() });
    else if (wire === 1) out.push({ field, wire, bytes: r.take(8) });
    else if (wire === 5) out.push({ field, wire, bytes: r.take(4) });
    else if (wire === 2) out.push({ field, wire, bytes: r.take(Number(r.varint())) });
    else if (wire === 3) out.push({ field, wire, group: readFields(b, depth + 1, r, field) });
    else if (wire === 4) {
      if (endGroup !== field) throw new Error('unexpected end of group');
      return out;
    } else throw new Error(`bad wire type ${wire}`);
    if (out.length > 100_000) throw new Error('too many fields');
  }
  if (endGroup !== undefined) throw new Error('group not closed');
  return out;
}

const num = (n: bigint): number | string => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** One field's value, guessed. Keys of the result tree: "<number>:<guess>". */
function guess(f: WireField, depth: number): [string, unknown] {
  if (f.wire === 0) return ['varint', num(f.varint!)];
  if (f.wire === 1) return ['fixed64', { uint: view(f.bytes!).getBigUint64(0, true).toString(), double: view(f.bytes!).getFloat64(0, true) }];
  if (f.wire === 5) return ['fixed32', { uint: view(f.bytes!).getUint32(0, true), float: view(f.bytes!).getFloat32(0, true) }];
  if (f.wire === 3) return ['group', toTree(f.group!, depth + 1)];
  const b = f.bytes!;
  if (b.length > 0 && depth < MAX_DEPTH) {
    try { return ['message', toTree(readFields(b, depth + 1), depth + 1)]; } catch { /* not a message */ }
  }
  try {
    const s = utf8.decode(b);
    // eslint-disable-next-line no-control-regex -- control characters tell bytes from text
    if (!/[\x00-\x08\x0e-\x1f]/.test(s)) return ['string', s];
  } catch { /* not text */ }
  return ['bytes', jsonable(b)];
}

export function toTree(fields: WireField[], depth = 0): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const f of fields) {
    const [kind, value] = guess(f, depth);
    const key = `${f.field}:${kind}`;
    const prev = tree[key];
    // guesses are never arrays, so an array here means a repeated field
    tree[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return tree;
}

/** Flatten to filterable fields: "1", "2.3" → scalar (first 32). */
function flatten(tree: Record<string, unknown>, prefix = '', out: Decoded['fields'] = {}): Decoded['fields'] {
  for (const [k, v] of Object.entries(tree)) {
    if (Object.keys(out).length >= 32) break;
    const path = prefix + k.split(':')[0];
    if (typeof v === 'string' || typeof v === 'number') out[path] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v) && !('$bytes' in v) && !('uint' in v)) flatten(v as Record<string, unknown>, path + '.', out);
  }
  return out;
}

export const protobufRawDecoder: Decoder = {
  id: 'protobuf',
  label: 'Protobuf (no schema)',
  detect(ctx: DetectContext): number {
    const bins = ctx.frames.filter((f) => f.kind === 'binary').slice(0, 6);
    if (!bins.length) return 0;
    try { for (const f of bins) if (!readFields(bytesOf(f)).length) return 0; } catch { return 0; }
    return 0.15;
  },
  decode(f: DecodeFrame): Decoded {
    let fields: WireField[];
    try { fields = readFields(bytesOf(f)); } catch (e) { return failed('protobuf', e instanceof Error ? e.message : String(e)); }
    const tree = toTree(fields);
    const parts = Object.entries(tree).slice(0, 4).map(([k, v]) => `${k}=${short(v, 24)}`);
    return { summary: `protobuf ${fields.length} field${fields.length === 1 ? '' : 's'}: ${parts.join(' ')}`, fields: flatten(tree), tree: jsonable(tree) };
  },
};
