/**
 * Rails Action Cable (subprotocol actioncable-v1-json; layout from
 * ActionCable's JS client and server): the server sends `{type: welcome|ping|
 * confirm_subscription|reject_subscription|disconnect}` or
 * `{identifier, message}`; the client `{command: subscribe|unsubscribe|message,
 * identifier, data?}`. `identifier` and `data` are JSON inside strings.
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { failed, isObject, jsonable, parseJson, short, textOf } from './util';

const inner = (v: unknown): unknown => (typeof v === 'string' ? parseJson(v)?.value ?? v : v);

export const actionCableDecoder: Decoder = {
  id: 'actioncable',
  label: 'Action Cable',
  detect(ctx: DetectContext): number {
    if (ctx.protocol?.startsWith('actioncable-')) return 1;
    const first = ctx.frames.find((f) => f.dir === 'in' && f.kind === 'text');
    const p = first ? parseJson(textOf(first) ?? '') : undefined;
    return p && isObject(p.value) && p.value.type === 'welcome' ? 0.7 : 0;
  },
  decode(f: DecodeFrame): Decoded {
    const p = parseJson(textOf(f) ?? '');
    if (!p || !isObject(p.value)) return failed('ActionCable', 'not a JSON object');
    const m = p.value;
    const identifier = inner(m.identifier);
    const channel = isObject(identifier) && typeof identifier.channel === 'string' ? identifier.channel : undefined;
    const data = inner(m.data);
    const kind = typeof m.command === 'string' ? m.command : typeof m.type === 'string' ? m.type : m.message !== undefined ? 'message' : undefined;
    if (!kind) return failed('ActionCable', 'no command, type or message', { tree: jsonable(m) });
    const fields: Decoded['fields'] = { type: kind };
    let summary = `ActionCable ${kind}`;
    if (channel) { fields.channel = channel; summary += ` ${channel}`; }
    if (isObject(data) && typeof data.action === 'string') { fields.action = data.action; summary += ` ${data.action}`; }
    if (kind === 'ping' && m.message !== undefined) summary += ` ${short(m.message)}`;
    if (kind === 'disconnect' && typeof m.reason === 'string') { fields.reason = m.reason; summary += ` ${short(m.reason)}`; }
    const tree = jsonable({ ...m, ...(m.identifier !== undefined ? { identifier } : {}), ...(m.data !== undefined ? { data } : {}) });
    const out: Decoded = { summary, fields, tree, ...(kind === 'ping' ? { heartbeat: true } : {}) };
    const key = typeof m.identifier === 'string' ? `cable:${m.identifier}` : undefined;
    if (key && kind === 'subscribe') out.pairing = { key, role: 'request' };
    if (key && (kind === 'confirm_subscription' || kind === 'reject_subscription')) out.pairing = { key, role: 'response' };
    return out;
  },
};
