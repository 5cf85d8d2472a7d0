/**
 * socket.io over engine.io (EIO 3 and 4), WebSocket transport.
 *
 * Small own parser rather than socket.io-parser: that one emits a packet only
 * once all its binary attachments arrived and throws on bad input, while the
 * grid needs one line per frame (the placeholder packet and each attachment).
 * The layout follows socket.io-parser's encoder: `<type>[<n>-][/nsp,][ackId][json]`.
 * Binary attachments follow their packet as separate binary frames, in the
 * same direction; they are joined to it via per-connection state.
 * Other parsers (socket.io-msgpack-parser: one MessagePack map per packet) are in socketio-custom.ts.
 */
import { customBinaryMessage, customTextMessage, msgpackPacket, type Packet } from './socketio-custom';
import type { DecodeFrame, DecodeState, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, failed, isObject, jsonable, opposite, parseJson, short, sizeLabel, textOf } from './util';

const EIO_TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'] as const;
const SIO_TYPES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'] as const;

interface Pending { packet: Packet; got: Uint8Array[] }
interface SioState { in?: Pending; out?: Pending; eio?: number }

/** Parse a socket.io packet string (the engine.io message body). */
export function parseSioPacket(s: string): Packet {
  const type = Number(s.charAt(0));
  if (!(type >= 0 && type <= 6) || s.length === 0) return { type: -1, nsp: '/', attachments: 0, error: `unknown packet type ${JSON.stringify(s.charAt(0))}` };
  let i = 1;
  let attachments = 0;
  if (type === 5 || type === 6) {
    const dash = s.indexOf('-', i);
    const n = dash < 0 ? NaN : Number(s.slice(i, dash));
    if (!Number.isInteger(n) || n < 0 || dash - i > 6) return { type, nsp: '/', attachments: 0, error: 'bad attachment count' };
    attachments = n;
    i = dash + 1;
  }
  let nsp = '/';
  if (s.charAt(i) === '/') {
    const comma = s.indexOf(',', i);
    nsp = comma < 0 ? s.slice(i) : s.slice(i, comma);
    i = comma < 0 ? s.length : comma + 1;
  }
  let id: number | undefined;
  const digits = /^\d{1,15}/.exec(s.slice(i));
  if (digits) { id = Number(digits[0]); i += digits[0].length; }
  const rest = s.slice(i);
  const p: Packet = { type, nsp, id, attachments };
  if (rest) {
    const parsed = parseJson(rest);
    if (parsed) p.data = parsed.value; else p.error = 'payload is not valid JSON';
  }
  return p;
}

/** Put the attachments where their `{ _placeholder: true, num }` stand. */
function join(v: unknown, att: Uint8Array[], depth = 0): unknown {
  if (depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => join(x, att, depth + 1));
  if (isObject(v)) {
    if (v._placeholder === true && typeof v.num === 'number') return att[v.num] ?? v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, join(x, att, depth + 1)]));
  }
  return v;
}

function describe(p: Packet, f: DecodeFrame, attachments?: Uint8Array[]): Decoded {
  const type = SIO_TYPES[p.type] ?? 'UNKNOWN';
  const fields: Decoded['fields'] = { eio: 'message', type, namespace: p.nsp };
  let summary = `socket.io ${type}`;
  if (p.nsp !== '/') summary += ` ${p.nsp}`;
  const data = attachments ? join(p.data, attachments) : p.data;
  if ((p.type === 2 || p.type === 5) && Array.isArray(p.data) && p.data.length > 0) {
    const event = p.data[0];
    fields.event = typeof event === 'string' ? event : String(event);
    summary += ` ${short(event, 60)}`;
  }
  if (p.type === 4 && isObject(p.data) && typeof p.data.message === 'string') summary += ` ${short(p.data.message, 60)}`;
  if (p.id !== undefined) { fields.ackId = p.id; summary += ` #${p.id}`; }
  if (p.attachments) { fields.attachments = p.attachments; summary += ` (${p.attachments} attachment${p.attachments > 1 ? 's' : ''})`; }
  const out: Decoded = { summary, fields, tree: jsonable({ type, nsp: p.nsp, id: p.id, data }) };
  if (p.error) out.error = p.error;
  if (p.id !== undefined && (p.type === 2 || p.type === 5)) out.pairing = { key: `sio:${f.dir}:${p.nsp}:${p.id}`, role: 'request' };
  if (p.id !== undefined && (p.type === 3 || p.type === 6)) out.pairing = { key: `sio:${opposite(f.dir)}:${p.nsp}:${p.id}`, role: 'response' };
  if (p.type === 0 && f.dir === 'out') out.pairing = { key: `sio:connect:${p.nsp}`, role: 'request' };
  if ((p.type === 0 || p.type === 4) && f.dir === 'in') out.pairing = { key: `sio:connect:${p.nsp}`, role: 'response' };
  return out;
}

function stateOf(state: DecodeState | undefined): SioState {
  const s = (state?.get('socketio') as SioState | undefined) ?? {};
  state?.set('socketio', s);
  return s;
}

function decodeBinary(f: DecodeFrame, st: SioState): Decoded {
  let bytes = bytesOf(f);
  if (st.eio === 3 && bytes[0] === 4) bytes = bytes.subarray(1); // EIO3 prefixes binary messages with their type
  const pending = st[f.dir];
  if (!pending) {
    // no attachment awaited: a whole packet of socket.io-msgpack-parser, or another parser's message
    const p = msgpackPacket(bytes);
    return p ? describe(p, f) : customBinaryMessage(bytes);
  }
  pending.got.push(bytes);
  const n = pending.got.length, total = pending.packet.attachments;
  const base = describe(pending.packet, f, n === total ? pending.got : undefined);
  if (n === total) st[f.dir] = undefined;
  return {
    ...base,
    summary: `${base.summary.replace(/ \(\d+ attachments?\)$/, '')} attachment ${n}/${total} (${sizeLabel(bytes.length)})`,
    fields: { ...base.fields, attachment: n },
    // the last attachment carries the whole packet, placeholders replaced by the bytes
    tree: n === total ? base.tree : jsonable(bytes),
    pairing: undefined,
  };
}

export const socketIoDecoder: Decoder = {
  id: 'socketio',
  label: 'socket.io / engine.io',
  stateful: true,
  detect(ctx: DetectContext): number {
    if (ctx.url && /\/socket\.io\/|[?&]EIO=\d/.test(ctx.url)) return 0.95;
    const first = ctx.frames.find((f) => f.kind === 'text' && f.dir === 'in');
    const t = first ? textOf(first) ?? '' : '';
    return /^0\{"sid":/.test(t) ? 0.9 : 0;
  },
  init(conn, state) {
    // EIO=3 binary frames carry a type byte the EIO=4 ones do not
    const m = conn.url ? /[?&]EIO=(\d)/.exec(conn.url) : null;
    if (m) stateOf(state).eio = Number(m[1]);
  },
  decode(f: DecodeFrame, state?: DecodeState): Decoded {
    const st = stateOf(state);
    if (f.kind === 'binary') return decodeBinary(f, st);
    const text = textOf(f) ?? '';
    const eioType = EIO_TYPES[Number(text.charAt(0))];
    if (!eioType || !/^\d/.test(text)) return failed('engine.io', `unknown packet type ${JSON.stringify(text.charAt(0))}`);
    const body = text.slice(1);
    if (eioType !== 'message') {
      const fields: Decoded['fields'] = { eio: eioType };
      const parsed = eioType === 'open' ? parseJson(body) : undefined;
      if (parsed && isObject(parsed.value) && typeof parsed.value.sid === 'string') fields.sid = parsed.value.sid;
      const pairing = eioType === 'ping' ? { key: `eio:${f.dir}:ping`, role: 'request' as const }
        : eioType === 'pong' ? { key: `eio:${opposite(f.dir)}:ping`, role: 'response' as const } : undefined;
      return {
        summary: `engine.io ${eioType.toUpperCase()}${body ? ' ' + short(body, 50) : ''}`, fields, tree: parsed ? jsonable(parsed.value) : body || undefined, pairing,
        ...(eioType === 'ping' || eioType === 'pong' ? { heartbeat: true } : {}),
      };
    }
    const p = parseSioPacket(body);
    if (p.type < 0) return customTextMessage(body, p.error);
    if (p.attachments > 0) st[f.dir] = { packet: p, got: [] };
    return describe(p, f);
  },
};
