/**
 * JSON-RPC 2.0 (jsonrpc.org/specification) over WebSocket, and tRPC's WebSocket protocol, which is
 * JSON-RPC shaped without the `jsonrpc` member: requests `{id, method: query|mutation|subscription|
 * subscription.stop, params: {path, input}}`, responses `{id, result: {type: data|started|stopped, data}}`
 * or `{id, error}`. Requests pair with their responses by id (a subscription gets many). Batches are
 * arrays of messages. tRPC's optional keep-alive is the bare text PING / PONG.
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { combinePackets, failed, isObject, jsonable, opposite, parseJson, scalarFields, short, textOf } from './util';

const TRPC_METHODS = new Set(['query', 'mutation', 'subscription', 'subscription.stop']);

const idOf = (v: unknown): string | number | undefined => (typeof v === 'string' || typeof v === 'number' ? v : undefined);
/** tRPC's messages have no `jsonrpc` member; its results have a `type`, its errors tRPC's `data.code` */
const isTrpc = (m: Record<string, unknown>) => m.jsonrpc === undefined && (TRPC_METHODS.has(String(m.method))
  || (isObject(m.result) && typeof m.result.type === 'string') || (isObject(m.error) && isObject(m.error.data) && typeof m.error.data.code === 'string'));
const RPC_KEYS = new Set(['jsonrpc', 'id', 'method', 'params', 'result', 'error']);

function describeOne(m: unknown, dir: 'in' | 'out'): Decoded {
  if (!isObject(m)) return failed('JSON-RPC', 'not an object', { tree: jsonable(m) });
  const trpc = isTrpc(m);
  const label = trpc ? 'tRPC' : 'JSON-RPC';
  const id = idOf(m.id);
  const fields: Decoded['fields'] = {};
  if (id !== undefined) fields.id = id;
  const tag = id !== undefined ? ` #${id}` : '';
  const tree = jsonable(m);
  if (typeof m.method === 'string') {
    fields.method = m.method;
    const params = isObject(m.params) ? m.params : undefined;
    const path = trpc && typeof params?.path === 'string' ? params.path : undefined;
    if (path) fields.path = path;
    const what = path ? `${m.method} ${path}` : m.method;
    // a request without an id is a notification: nothing answers it
    if (id === undefined) return { summary: `${label} notification ${what}${m.params !== undefined && !path ? ` ${short(m.params, 40)}` : ''}`, fields, tree };
    return { summary: `${label} → ${what}${tag}`, fields, tree, pairing: { key: `rpc:${dir}:${id}`, role: 'request' } };
  }
  const pairing = id !== undefined ? { key: `rpc:${opposite(dir)}:${id}`, role: 'response' as const } : undefined;
  if ('error' in m && m.error != null) {
    const e = isObject(m.error) ? m.error : {};
    if (typeof e.code === 'number') fields.code = e.code;
    if (typeof e.message === 'string') fields.message = e.message.slice(0, 200);
    return { summary: `${label} ← error${typeof e.code === 'number' ? ` ${e.code}` : ''}${typeof e.message === 'string' ? ` ${short(e.message, 60)}` : ''}${tag}`, fields, tree, pairing };
  }
  if ('result' in m) {
    const r = m.result;
    if (trpc && isObject(r)) {
      fields.resultType = String(r.type);
      return { summary: `${label} ← ${String(r.type)}${r.type === 'data' ? ` ${short(r.data, 40)}` : ''}${tag}`, fields, tree, pairing };
    }
    return { summary: `${label} ← result ${short(r, 40)}${tag}`, fields, tree, pairing };
  }
  return { summary: `JSON ${short(m, 40)}`, fields: scalarFields(m), tree, error: 'neither a request nor a response' };
}

/** A request, response or notification: only JSON-RPC's members, and one of method, result, error. */
function rpcShaped(v: unknown): boolean {
  const one = Array.isArray(v) ? v[0] : v;
  return isObject(one) && Object.keys(one).every((k) => RPC_KEYS.has(k)) && ('method' in one || 'result' in one || 'error' in one);
}
const marked = (v: unknown) => { const one = Array.isArray(v) ? v[0] : v; return isObject(one) && (one.jsonrpc === '2.0' || isTrpc(one)); };

export const jsonRpcDecoder: Decoder = {
  id: 'jsonrpc',
  label: 'JSON-RPC 2.0 / tRPC',
  detect(ctx: DetectContext): number {
    if (ctx.protocol && /json-?rpc/i.test(ctx.protocol)) return 0.95;
    const texts = ctx.frames.filter((f) => f.kind === 'text').slice(0, 6).map((f) => textOf(f)?.trim() ?? '').filter((t) => t !== 'PING' && t !== 'PONG');
    if (!texts.length) return 0;
    const values = texts.map((t) => parseJson(t)?.value);
    return values.every(rpcShaped) && values.some(marked) ? 0.85 : 0;
  },
  decode(f: DecodeFrame): Decoded {
    const text = textOf(f);
    if (text === undefined) return failed('JSON-RPC', 'binary data');
    if (text === 'PING' || text === 'PONG') return { summary: `tRPC ${text}`, fields: { method: text }, heartbeat: true };
    const p = parseJson(text);
    if (!p) return failed('JSON-RPC', f.truncated ? 'incomplete payload (truncated)' : 'not JSON');
    if (Array.isArray(p.value)) {
      if (!p.value.length) return failed('JSON-RPC', 'empty batch');
      const d = combinePackets('JSON-RPC', p.value.slice(0, 1000).map((m) => describeOne(m, f.dir)));
      return { ...d, summary: `JSON-RPC batch [${p.value.length}]: ${d.summary.replace(/^JSON-RPC /, '')}`, fields: { ...d.fields, batch: p.value.length } };
    }
    return describeOne(p.value, f.dir);
  },
};
