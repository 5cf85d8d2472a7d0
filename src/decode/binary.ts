/**
 * Generic binary serializations: MessagePack (@msgpack/msgpack) and CBOR
 * (cbor-x, its build without runtime code generation). Detection is a guess from the first binary frames: any byte
 * string decodes as *something* in both, so only whole-frame decodes to a map
 * or array count, and these stay below protocol-specific decoders.
 */
import { decode as cborDecode } from 'cbor-x/decode-no-eval';
import { decodeMulti } from '@msgpack/msgpack';
import { decodeJsonValue } from './json';
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, errorText, failed, jsonable } from './util';

type Dec = (b: Uint8Array) => unknown[];

/** All values in the frame (MessagePack streams may concatenate several). */
const msgpackAll: Dec = (b) => {
  const out: unknown[] = [];
  for (const v of decodeMulti(b)) { out.push(v); if (out.length > 1000) break; }
  return out;
};
const cborAll: Dec = (b) => [cborDecode(b)];

const container = (v: unknown) => typeof v === 'object' && v !== null && !(v instanceof Uint8Array);

function detectWith(dec: Dec, ctx: DetectContext, score: number): number {
  const bins = ctx.frames.filter((f) => f.kind === 'binary').slice(0, 6);
  if (!bins.length) return 0;
  for (const f of bins) {
    try {
      const vs = dec(bytesOf(f));
      if (vs.length !== 1 || !container(vs[0])) return 0;
    } catch { return 0; }
  }
  return score;
}

function decodeWith(label: string, dec: Dec, f: DecodeFrame): Decoded {
  if (f.kind === 'text') return failed(label, 'text frame');
  let values: unknown[];
  try { values = dec(bytesOf(f)); } catch (e) { return failed(label, errorText(e)); }
  if (values.length === 1) {
    // the same one-line summary and JSON-RPC pairing as JSON, on the decoded value
    const d = decodeJsonValue(jsonable(values[0]), f.dir, label);
    return { ...d, tree: jsonable(values[0]) };
  }
  return { summary: `${label} ${values.length} values`, fields: { count: values.length }, tree: jsonable(values) };
}

export const msgpackDecoder: Decoder = {
  id: 'msgpack',
  label: 'MessagePack',
  detect: (ctx) => (ctx.protocol && /msgpack|messagepack/i.test(ctx.protocol) ? 0.7 : detectWith(msgpackAll, ctx, 0.25)),
  decode: (f) => decodeWith('MessagePack', msgpackAll, f),
};

export const cborDecoder: Decoder = {
  id: 'cbor',
  label: 'CBOR',
  detect: (ctx) => (ctx.protocol && /cbor/i.test(ctx.protocol) ? 0.7 : detectWith(cborAll, ctx, 0.2)),
  decode: (f) => decodeWith('CBOR', cborAll, f),
};
