/**
 * Plain JSON, with JSON-RPC-like pairing: an object with an `id` and a
 * `method` is a request; one with the same `id` and `result` or `error` is its
 * response. Detected when the first text frames all parse as JSON objects or
 * arrays (a weak guess: protocol decoders outrank it).
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { failed, isObject, jsonable, opposite, parseJson, scalarFields, short, textOf } from './util';

export function decodeJsonValue(value: unknown, dir: 'in' | 'out', label = 'JSON'): Decoded {
  const tree = jsonable(value);
  if (Array.isArray(value)) return { summary: `${label} [${value.length}] ${value.slice(0, 3).map((v) => short(v, 20)).join(', ')}`, fields: { length: value.length }, tree };
  if (!isObject(value)) return { summary: `${label} ${short(value, 60)}`, fields: {}, tree };
  const fields = scalarFields(value);
  const id = value.id;
  const hasId = typeof id === 'string' || typeof id === 'number';
  if (hasId && typeof value.method === 'string') {
    return { summary: `${label} → ${value.method} #${id}`, fields, tree, pairing: { key: `json:${dir}:${id}`, role: 'request' } };
  }
  if (hasId && ('result' in value || 'error' in value)) {
    const what = 'error' in value && value.error != null ? 'error' : 'result';
    return { summary: `${label} ← ${what} #${id}`, fields, tree, pairing: { key: `json:${opposite(dir)}:${id}`, role: 'response' } };
  }
  const keys = Object.keys(value);
  const tag = ['type', 'event', 'op', 'action', 'cmd', 'method', 'channel', 'topic'].find((k) => typeof value[k] === 'string' || typeof value[k] === 'number');
  const head = tag ? `${tag}=${short(value[tag], 30)} ` : '';
  return { summary: `${label} ${head}{${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}}`, fields, tree };
}

/** Bytes whose first non-blank byte can start a JSON text ({ [ " - digit t f n): the rest fail fast, without a UTF-8 decode that throws. */
function mayBeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b || b === 0x5b || b === 0x22 || b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e;
  }
  return false;
}

export const jsonDecoder: Decoder = {
  id: 'json',
  label: 'JSON',
  detect(ctx: DetectContext): number {
    const texts = ctx.frames.filter((f) => f.kind === 'text').slice(0, 8);
    if (!texts.length) return 0;
    const ok = texts.filter((f) => {
      const t = textOf(f)?.trim() ?? '';
      return (t.startsWith('{') || t.startsWith('[')) && parseJson(t) !== undefined;
    }).length;
    return ok === texts.length ? 0.3 : 0;
  },
  decode(f: DecodeFrame): Decoded {
    if (f.text === undefined && !mayBeJson(f.bytes ?? new Uint8Array(0))) return failed('JSON', 'binary data is not JSON text');
    const text = textOf(f);
    if (text === undefined) return failed('JSON', 'binary data is not UTF-8 text');
    const parsed = parseJson(text);
    if (!parsed) return failed('JSON', f.truncated ? 'incomplete payload (truncated)' : 'not valid JSON');
    return decodeJsonValue(parsed.value, f.dir);
  },
};
