/**
 * Phoenix channels (hexdocs.pm/phoenix, Phoenix.Socket.V1/V2 serializers):
 * v1 objects `{topic, event, payload, ref, join_ref?}`, v2 arrays
 * `[join_ref, ref, topic, event, payload]`, and v2 binary pushes
 * (kind 0 push, 1 reply, 2 broadcast; length-prefixed strings, then the payload).
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, failed, isObject, jsonable, parseJson, textOf } from './util';

interface Msg { joinRef?: unknown; ref?: unknown; topic: unknown; event: unknown; payload: unknown }

function fromBinary(b: Uint8Array): Msg | string {
  const kind = b[0];
  const heads = kind === 2 ? 2 : 4;
  if (kind === undefined || kind > 2 || b.length < 1 + heads) return 'not a Phoenix binary message';
  const sizes = Array.from(b.subarray(1, 1 + heads));
  const strs: string[] = [];
  let at = 1 + heads;
  const dec = new TextDecoder();
  for (const n of sizes) {
    if (at + n > b.length) return 'binary message cut short';
    strs.push(dec.decode(b.subarray(at, at + n)));
    at += n;
  }
  const payload = b.subarray(at);
  if (kind === 2) return { topic: strs[0], event: strs[1], payload };
  if (kind === 0) return { joinRef: strs[0], ref: strs[1], topic: strs[2], event: strs[3], payload };
  return { joinRef: strs[0], ref: strs[1], topic: strs[2], event: 'phx_reply', payload: { status: strs[3], response: payload } };
}

function fromJson(v: unknown): Msg | undefined {
  if (Array.isArray(v) && v.length === 5 && typeof v[2] === 'string' && typeof v[3] === 'string') {
    return { joinRef: v[0], ref: v[1], topic: v[2], event: v[3], payload: v[4] };
  }
  if (isObject(v) && typeof v.topic === 'string' && typeof v.event === 'string') {
    return { joinRef: v.join_ref, ref: v.ref, topic: v.topic, event: v.event, payload: v.payload };
  }
  return undefined;
}

const looksLikePhoenix = (m: Msg | undefined) => !!m && (String(m.event).startsWith('phx_') || m.topic === 'phoenix');

function describe(m: Msg, f: DecodeFrame, version: string): Decoded {
  const topic = String(m.topic), event = String(m.event);
  const fields: Decoded['fields'] = { topic, event, version };
  let summary = `Phoenix ${topic} ${event}`;
  if (event === 'phx_reply' && isObject(m.payload) && typeof m.payload.status === 'string') {
    fields.status = m.payload.status;
    summary += ` ${m.payload.status}`;
  }
  const ref = m.ref === null || m.ref === undefined ? undefined : String(m.ref);
  if (ref !== undefined) { fields.ref = ref; summary += ` #${ref}`; }
  if (m.joinRef !== null && m.joinRef !== undefined) fields.joinRef = String(m.joinRef);
  const out: Decoded = { summary, fields, tree: jsonable({ join_ref: m.joinRef ?? null, ref: m.ref ?? null, topic, event, payload: m.payload }) };
  // Phoenix's keep-alive: `heartbeat` on the `phoenix` topic, and the server's reply to it
  if (topic === 'phoenix' && (event === 'heartbeat' || event === 'phx_reply')) out.heartbeat = true;
  if (ref !== undefined && f.dir === 'out') out.pairing = { key: `phx:${ref}`, role: 'request' };
  if (ref !== undefined && f.dir === 'in' && event === 'phx_reply') out.pairing = { key: `phx:${ref}`, role: 'response' };
  return out;
}

export const phoenixDecoder: Decoder = {
  id: 'phoenix',
  label: 'Phoenix channels',
  detect(ctx: DetectContext): number {
    if (ctx.url && /\/websocket\?(.*&)?vsn=[12]\.0\.0/.test(ctx.url)) return 0.95;
    const texts = ctx.frames.filter((f) => f.kind === 'text').slice(0, 4);
    const msgs = texts.map((f) => fromJson(parseJson(textOf(f) ?? '')?.value));
    return msgs.length && msgs.every(Boolean) && msgs.some(looksLikePhoenix) ? 0.85 : 0;
  },
  decode(f: DecodeFrame): Decoded {
    if (f.kind === 'binary') {
      const m = fromBinary(bytesOf(f));
      return typeof m === 'string' ? failed('Phoenix', m) : describe(m, f, '2.0.0 binary');
    }
    const p = parseJson(textOf(f) ?? '');
    const m = p && fromJson(p.value);
    if (!m) return failed('Phoenix', p ? 'neither a v1 object nor a v2 array' : 'not JSON');
    return describe(m, f, Array.isArray(p.value) ? '2.0.0' : '1.0.0');
  },
};
