/**
 * Pusher Channels and compatible servers (Soketi, Laravel Reverb, Ably's Pusher adapter …), protocol 7
 * (pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol): JSON objects
 * `{ event, channel?, data }`, where the server's `data` is itself JSON in a string. `pusher:` events are
 * the protocol's own (connection_established, subscribe, ping/pong, error); `pusher_internal:` the
 * server's answers about subscriptions; `client-` events come from other clients.
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { failed, isObject, jsonable, parseJson, short, textOf } from './util';

const inner = (v: unknown): unknown => (typeof v === 'string' ? parseJson(v)?.value ?? v : v);

export const pusherDecoder: Decoder = {
  id: 'pusher',
  label: 'Pusher Channels',
  detect(ctx: DetectContext): number {
    if (ctx.url && /\/app\/[^/?]+\?(.*&)?protocol=\d/.test(ctx.url)) return 0.9;
    const first = ctx.frames.find((f) => f.kind === 'text');
    const p = first ? parseJson(textOf(first) ?? '') : undefined;
    return p && isObject(p.value) && typeof p.value.event === 'string' && /^pusher(_internal)?:/.test(p.value.event) ? 0.85 : 0;
  },
  decode(f: DecodeFrame): Decoded {
    const p = parseJson(textOf(f) ?? '');
    if (!p || !isObject(p.value) || typeof p.value.event !== 'string') return failed('Pusher', p ? 'no "event" member' : 'not JSON');
    const m = p.value;
    const event = m.event as string;
    const data = inner(m.data);
    const fields: Decoded['fields'] = { event };
    let summary = `Pusher ${event}`;
    const channel = typeof m.channel === 'string' ? m.channel : isObject(data) && typeof data.channel === 'string' ? data.channel : undefined;
    if (channel) { fields.channel = channel; summary += ` ${channel}`; }
    if (isObject(data)) {
      if (event === 'pusher:connection_established' && typeof data.socket_id === 'string') { fields.socketId = data.socket_id; summary += ` socket ${data.socket_id}`; }
      if (event === 'pusher:error' || event === 'pusher:subscription_error') {
        if (typeof data.code === 'number') fields.code = data.code;
        if (typeof data.message === 'string') summary += ` ${short(data.message, 60)}`;
        else if (typeof data.error === 'string') summary += ` ${short(data.error, 60)}`;
      }
    }
    if (!event.startsWith('pusher') && data !== undefined) summary += ` ${short(data, 50)}`;
    const out: Decoded = { summary, fields, tree: jsonable({ ...m, data }) };
    if (event === 'pusher:ping' || event === 'pusher:pong') {
      out.heartbeat = true;
      out.pairing = { key: 'pusher:ping', role: event === 'pusher:ping' ? 'request' : 'response' };
    }
    if (channel && event === 'pusher:subscribe') out.pairing = { key: `pusher:sub:${channel}`, role: 'request' };
    if (channel && (event === 'pusher_internal:subscription_succeeded' || event === 'pusher:subscription_error')) out.pairing = { key: `pusher:sub:${channel}`, role: 'response' };
    return out;
  },
};
