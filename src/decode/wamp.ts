/**
 * WAMP v2 (wamp-proto.org): every message is an array `[code, …]`, as JSON
 * text (wamp.2.json) or MessagePack / CBOR binary (wamp.2.msgpack, wamp.2.cbor).
 * Requests and their answers share a request id (INVOCATION/YIELD go the other
 * way round: the router asks, the page's callee answers).
 */
import { decode as cborDecode } from 'cbor-x/decode-no-eval';
import { decode as msgpackDecode } from '@msgpack/msgpack';
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, failed, jsonable, opposite, parseJson, short, textOf } from './util';

const NAMES: Record<number, string> = {
  1: 'HELLO', 2: 'WELCOME', 3: 'ABORT', 4: 'CHALLENGE', 5: 'AUTHENTICATE', 6: 'GOODBYE', 8: 'ERROR',
  16: 'PUBLISH', 17: 'PUBLISHED', 32: 'SUBSCRIBE', 33: 'SUBSCRIBED', 34: 'UNSUBSCRIBE', 35: 'UNSUBSCRIBED',
  36: 'EVENT', 48: 'CALL', 49: 'CANCEL', 50: 'RESULT', 64: 'REGISTER', 65: 'REGISTERED', 66: 'UNREGISTER',
  67: 'UNREGISTERED', 68: 'INVOCATION', 69: 'INTERRUPT', 70: 'YIELD',
};
const REQUESTS = new Set([16, 32, 34, 48, 64, 66, 68]);
const RESPONSES = new Set([17, 33, 35, 50, 65, 67, 70]);
/** where the URI worth showing sits: topic, procedure, realm, error or reason */
const URI_AT: Record<number, [number, string]> = {
  1: [1, 'realm'], 3: [2, 'reason'], 6: [2, 'reason'], 8: [4, 'error'], 16: [3, 'topic'], 32: [3, 'topic'],
  48: [3, 'procedure'], 64: [3, 'procedure'],
};

function fromBinary(bytes: Uint8Array, protocol: string | undefined): unknown {
  const order = protocol === 'wamp.2.cbor' ? [cborDecode, msgpackDecode] : [msgpackDecode, cborDecode];
  for (const dec of order) {
    try { return dec(bytes) as unknown; } catch { /* try the other */ }
  }
  return undefined;
}

export function describeWamp(m: unknown, f: DecodeFrame): Decoded {
  if (!Array.isArray(m) || typeof m[0] !== 'number') return failed('WAMP', 'not an array starting with a message code', { tree: jsonable(m) });
  const code = m[0];
  const name = NAMES[code] ?? `code ${code}`;
  const fields: Decoded['fields'] = { type: name, code };
  let summary = `WAMP ${name}`;
  const uri = URI_AT[code];
  if (uri && typeof m[uri[0]] === 'string') { fields[uri[1]] = m[uri[0]] as string; summary += ` ${m[uri[0]] as string}`; }
  const reqAt = code === 8 ? 2 : 1;
  const reqId = (REQUESTS.has(code) || RESPONSES.has(code) || code === 8) && typeof m[reqAt] === 'number' ? m[reqAt] as number : undefined;
  if (reqId !== undefined) { fields.requestId = reqId; summary += ` #${reqId}`; }
  if (code === 8 && typeof m[1] === 'number') fields.requestType = NAMES[m[1]] ?? m[1];
  if (code === 36 && typeof m[1] === 'number') { fields.subscription = m[1]; summary += ` sub ${m[1]}`; }
  if ((code === 50 || code === 36) && Array.isArray(m[code === 50 ? 3 : 4])) summary += ` ${short(m[code === 50 ? 3 : 4])}`;
  const out: Decoded = { summary, fields, tree: jsonable(m) };
  if (reqId !== undefined && REQUESTS.has(code)) out.pairing = { key: `wamp:${f.dir}:${reqId}`, role: 'request' };
  else if (reqId !== undefined) out.pairing = { key: `wamp:${opposite(f.dir)}:${reqId}`, role: 'response' };
  else if (code === 1) out.pairing = { key: 'wamp:session', role: 'request' };
  else if (code === 2 || code === 3) out.pairing = { key: 'wamp:session', role: 'response' };
  return out;
}

export const wampDecoder: Decoder = {
  id: 'wamp',
  label: 'WAMP',
  detect(ctx: DetectContext): number {
    if (ctx.protocol?.startsWith('wamp.2.')) return 1;
    const first = ctx.frames.find((x) => x.dir === 'out' && x.kind === 'text');
    const p = first ? parseJson(textOf(first) ?? '') : undefined;
    return p && Array.isArray(p.value) && p.value[0] === 1 && typeof p.value[1] === 'string' ? 0.8 : 0;
  },
  // the negotiated subprotocol says which binary serializer is in use
  init(conn, state) { state.set('wamp', conn.protocol); },
  decode(f, state) {
    if (f.kind === 'binary') {
      const m = fromBinary(bytesOf(f), state?.get('wamp') as string | undefined);
      return m === undefined ? failed('WAMP', 'neither MessagePack nor CBOR') : describeWamp(m, f);
    }
    const p = parseJson(textOf(f) ?? '');
    return p ? describeWamp(p.value, f) : failed('WAMP', 'not JSON');
  },
};
