/**
 * Protocol Buffers with a user-supplied .proto: protobufjs parses the .proto
 * text into reflection objects, and our own walker decodes the wire fields
 * with them. We do not call protobufjs' `Type.decode`: it compiles decoders with
 * `new Function`, which the extension pages' CSP (no 'unsafe-eval') forbids.
 */
import protobuf from 'protobufjs';
import type { DecodeFrame, Decoded, Decoder } from './types';
import { readFields, toTree, WireReader, type WireField } from './protobuf-wire';
import { bytesOf, errorText, failed, jsonable, scalarFields, short } from './util';

type Type = protobuf.Type;
type Field = protobuf.Field & { keyType?: string };

const VARINT = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);
const FIXED32 = new Set(['fixed32', 'sfixed32', 'float']);
const FIXED64 = new Set(['fixed64', 'sfixed64', 'double']);

const safe = (n: bigint): number | string => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());

function scalarFromVarint(type: string, v: bigint, enumType?: protobuf.Enum): unknown {
  switch (type) {
    case 'int32': return Number(BigInt.asIntN(32, v));
    case 'uint32': return Number(BigInt.asUintN(32, v));
    case 'int64': return safe(BigInt.asIntN(64, v));
    case 'uint64': return safe(BigInt.asUintN(64, v));
    case 'sint32': case 'sint64': { const u = BigInt.asUintN(64, v); return safe((u >> 1n) ^ -(u & 1n)); }
    case 'bool': return v !== 0n;
    default: {
      const n = Number(BigInt.asIntN(32, v));
      return enumType?.valuesById[n] ?? n;
    }
  }
}

function scalarFromFixed(type: string, b: Uint8Array): unknown {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case 'fixed32': return v.getUint32(0, true);
    case 'sfixed32': return v.getInt32(0, true);
    case 'float': return v.getFloat32(0, true);
    case 'fixed64': return safe(v.getBigUint64(0, true));
    case 'sfixed64': return safe(v.getBigInt64(0, true));
    default: return v.getFloat64(0, true);
  }
}

/** Repeated numeric fields may come packed: one length-delimited run of values. */
function unpack(type: string, b: Uint8Array, enumType?: protobuf.Enum): unknown[] {
  const r = new WireReader(b);
  const out: unknown[] = [];
  const width = FIXED32.has(type) ? 4 : FIXED64.has(type) ? 8 : 0;
  while (r.at < b.length) out.push(width ? scalarFromFixed(type, r.take(width)) : scalarFromVarint(type, r.varint(), enumType));
  return out;
}

function fieldValue(f: Field, w: WireField, depth: number, problems: string[]): unknown {
  const enumType = f.resolvedType instanceof protobuf.Enum ? f.resolvedType : undefined;
  const msgType = f.resolvedType instanceof protobuf.Type ? f.resolvedType : undefined;
  if (msgType) {
    if (w.wire !== 2) throw new Error(`field ${f.name}: message on wire type ${w.wire}`);
    return decodeWith(msgType, readFields(w.bytes!), depth + 1, problems);
  }
  if (VARINT.has(f.type) || enumType) {
    if (w.wire === 2) return unpack(f.type, w.bytes!, enumType);
    if (w.wire !== 0) throw new Error(`field ${f.name}: ${f.type} on wire type ${w.wire}`);
    return scalarFromVarint(f.type, w.varint!, enumType);
  }
  if (FIXED32.has(f.type) || FIXED64.has(f.type)) {
    if (w.wire === 2) return unpack(f.type, w.bytes!);
    if (w.wire !== 1 && w.wire !== 5) throw new Error(`field ${f.name}: ${f.type} on wire type ${w.wire}`);
    return scalarFromFixed(f.type, w.bytes!);
  }
  if (w.wire !== 2) throw new Error(`field ${f.name}: ${f.type} on wire type ${w.wire}`);
  return f.type === 'string' ? new TextDecoder().decode(w.bytes!) : w.bytes!;
}

const msgLike = (f: Field) => f.resolvedType instanceof protobuf.Type;

function mapEntry(f: Field, w: WireField, depth: number, problems: string[]): [string, unknown] {
  const entry = readFields(w.bytes!);
  const keyField = { name: 'key', type: f.keyType ?? 'string', resolvedType: null } as unknown as Field;
  const k = entry.find((e) => e.field === 1), v = entry.find((e) => e.field === 2);
  return [k ? String(fieldValue(keyField, k, depth, problems)) : '', v ? fieldValue(f, v, depth, problems) : null];
}

function decodeWith(type: Type, wire: WireField[], depth: number, problems: string[]): Record<string, unknown> {
  if (depth > 32) throw new Error('nested too deep');
  const out: Record<string, unknown> = {};
  const unknown: WireField[] = [];
  for (const w of wire) {
    const f = type.fieldsById[w.field] as Field | undefined;
    if (!f) { unknown.push(w); continue; }
    try {
      if (f.map) {
        const [k, v] = mapEntry(f, w, depth, problems);
        ((out[f.name] ??= {}) as Record<string, unknown>)[k] = v;
      } else if (f.repeated) {
        const v = fieldValue(f, w, depth, problems);
        const list = (out[f.name] ??= []) as unknown[];
        for (const x of Array.isArray(v) && !msgLike(f) ? v : [v]) list.push(x); // packed runs come as arrays
      } else {
        out[f.name] = fieldValue(f, w, depth, problems); // last one wins (spec)
      }
    } catch (e) {
      problems.push(errorText(e));
      unknown.push(w);
    }
  }
  if (unknown.length) out.$unknownFields = toTree(unknown, depth);
  return out;
}

export type SchemaResult = { ok: true; decoder: Decoder } | { ok: false; error: string };

/** A decoder for messages of `typeName` (e.g. 'chat.Msg') in the given .proto text. */
export function protobufSchemaDecoder(proto: string, typeName: string): SchemaResult {
  let type: Type;
  try {
    const { root } = protobuf.parse(proto, { keepCase: true });
    root.resolveAll();
    type = root.lookupType(typeName);
  } catch (e) {
    return { ok: false, error: `.proto: ${errorText(e)}` };
  }
  const label = `Protobuf ${type.fullName.replace(/^\./, '')}`;
  return {
    ok: true,
    decoder: {
      id: `protobuf-schema:${typeName}`,
      label,
      detect: () => 0, // never guessed: the user picks it
      decode(f: DecodeFrame): Decoded {
        const problems: string[] = [];
        let value: Record<string, unknown>;
        try { value = decodeWith(type, readFields(bytesOf(f)), 0, problems); } catch (e) { return failed(label, errorText(e)); }
        const tree = jsonable(value);
        const parts = Object.entries(value).filter(([k]) => k !== '$unknownFields').slice(0, 4).map(([k, v]) => `${k}=${short(v, 24)}`);
        const out: Decoded = { summary: `${type.name} ${parts.join(' ')}`.trim(), fields: scalarFields(tree as Record<string, unknown>), tree };
        if (problems.length) out.error = problems[0];
        return out;
      },
    },
  };
}
