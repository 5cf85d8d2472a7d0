/**
 * GraphQL over WebSocket: graphql-transport-ws (the `graphql-ws` library) and
 * the legacy subscriptions-transport-ws (subprotocol, confusingly, `graphql-ws`).
 * Both are JSON objects `{ type, id?, payload? }`; the operation name comes from
 * `payload.operationName` or the first named operation in `payload.query`.
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { failed, isObject, jsonable, parseJson, textOf } from './util';

const MODERN = new Set(['connection_init', 'connection_ack', 'ping', 'pong', 'subscribe', 'next', 'error', 'complete']);
const LEGACY = new Set(['connection_init', 'connection_ack', 'connection_error', 'connection_terminate', 'ka', 'start', 'data', 'error', 'complete', 'stop']);
const REQUESTS = new Set(['subscribe', 'start']);
const RESPONSES = new Set(['next', 'data', 'error', 'complete']);

/** `query Foo`, `subscription Bar(...)` → kind and name of the first operation. */
export function operationOf(query: string): { kind: string; name?: string } | undefined {
  const m = /(?:^|[\s}])(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(query.slice(0, 20_000));
  if (m) return { kind: m[1]!, name: m[2] };
  return /^\s*\{/.test(query) ? { kind: 'query' } : undefined;
}

function decodeMessage(msg: Record<string, unknown>, f: DecodeFrame): Decoded {
  const type = String(msg.type);
  const fields: Decoded['fields'] = { type };
  let summary = `GraphQL ${type}`;
  const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : undefined;
  const payload = msg.payload;
  if (isObject(payload) && typeof payload.query === 'string') {
    const op = operationOf(payload.query);
    const name = typeof payload.operationName === 'string' ? payload.operationName : op?.name;
    if (op) { fields.operation = op.kind; summary += ` ${op.kind}`; }
    if (name) { fields.operationName = name; summary += ` ${name}`; }
  }
  if (id !== undefined) { fields.id = id; summary += ` #${id.length > 12 ? id.slice(0, 8) + '…' : id}`; }
  if (type === 'error' || (isObject(payload) && Array.isArray(payload.errors))) {
    const errors = Array.isArray(payload) ? payload : isObject(payload) && Array.isArray(payload.errors) ? payload.errors : [];
    const first = errors[0];
    if (isObject(first) && typeof first.message === 'string') summary += ` ${JSON.stringify(first.message.slice(0, 60))}`;
  }
  const out: Decoded = { summary, fields, tree: jsonable(msg) };
  if (type === 'ping' || type === 'pong' || type === 'ka') out.heartbeat = true;
  if (id !== undefined && REQUESTS.has(type)) out.pairing = { key: `gql:${id}`, role: 'request' };
  else if (id !== undefined && RESPONSES.has(type) && f.dir === 'in') out.pairing = { key: `gql:${id}`, role: 'response' };
  else if (type === 'connection_init') out.pairing = { key: 'gql:init', role: 'request' };
  else if (type === 'connection_ack' || type === 'connection_error') out.pairing = { key: 'gql:init', role: 'response' };
  return out;
}

export const graphqlDecoder: Decoder = {
  id: 'graphql',
  label: 'GraphQL over WebSocket',
  detect(ctx: DetectContext): number {
    if (ctx.protocol === 'graphql-transport-ws' || ctx.protocol === 'graphql-ws') return 1;
    const first = ctx.frames.find((f) => f.kind === 'text');
    const p = first ? parseJson(textOf(first) ?? '') : undefined;
    if (p && isObject(p.value) && typeof p.value.type === 'string' && (MODERN.has(p.value.type) || LEGACY.has(p.value.type))) {
      return p.value.type === 'connection_init' ? 0.8 : 0.5;
    }
    return 0;
  },
  decode(f: DecodeFrame): Decoded {
    const text = textOf(f);
    const p = text === undefined ? undefined : parseJson(text);
    if (!p) return failed('GraphQL', 'not JSON');
    if (!isObject(p.value) || typeof p.value.type !== 'string') return failed('GraphQL', 'no "type" member', { tree: jsonable(p.value) });
    return decodeMessage(p.value, f);
  },
};
