/**
 * ASP.NET Core SignalR hub protocol, JSON and MessagePack
 * (spec: aspnetcore/src/SignalR/docs/specs/HubProtocol.md).
 * JSON: records terminated by 0x1E, several per frame. MessagePack: binary
 * frames of varint-length-prefixed MessagePack arrays. The handshake is JSON
 * with 0x1E in both (as text, or as binary bytes from the server).
 */
import { decode as msgpackDecode } from '@msgpack/msgpack';
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, errorText, failed, isObject, jsonable, opposite, parseJson, short, textOf } from './util';

const TYPES = ['', 'Invocation', 'StreamItem', 'Completion', 'StreamInvocation', 'CancelInvocation', 'Ping', 'Close', 'Ack', 'Sequence'];
const RS = '\x1e';

type Msg = Record<string, unknown>;

/** MessagePack array → the JSON protocol's object shape, so both describe alike. */
function fromArray(a: unknown): Msg {
  if (!Array.isArray(a)) throw new Error('message is not an array');
  const [type, ...r] = a as [unknown, ...unknown[]];
  switch (type) {
    case 1: case 4: return { type, headers: r[0], invocationId: r[1] ?? undefined, target: r[2], arguments: r[3], streamIds: r[4] };
    case 2: return { type, headers: r[0], invocationId: r[1], item: r[2] };
    case 3: return { type, headers: r[0], invocationId: r[1], ...(r[2] === 1 ? { error: r[3] } : r[2] === 3 ? { result: r[3] } : {}) };
    case 5: return { type, headers: r[0], invocationId: r[1] };
    case 6: return { type };
    case 7: return { type, error: r[0], allowReconnect: r[1] };
    case 8: case 9: return { type, sequenceId: r[0] };
    default: throw new Error(`unknown message type ${String(type)}`);
  }
}

/** Split a binary frame into varint-length-prefixed MessagePack messages. */
function readBinary(bytes: Uint8Array): Msg[] {
  const out: Msg[] = [];
  let at = 0;
  while (at < bytes.length && out.length < 10_000) {
    let len = 0;
    for (let shift = 0, i = 0; ; shift += 7, i++) {
      const b = bytes[at++];
      if (b === undefined || i > 4) throw new Error('bad length prefix');
      len += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
    }
    if (at + len > bytes.length) throw new Error(`message of ${len} B is cut short`);
    out.push(fromArray(msgpackDecode(bytes.subarray(at, at + len))));
    at += len;
  }
  return out;
}

function describe(m: Msg, f: DecodeFrame): Decoded {
  if (m.type === undefined) {
    // handshake: request {"protocol","version"}, response {} or {"error"}
    if (typeof m.protocol === 'string') return { summary: `SignalR handshake ${m.protocol} v${String(m.version)}`, fields: { type: 'handshake', protocol: m.protocol }, tree: jsonable(m), pairing: { key: 'signalr:handshake', role: 'request' } };
    return { summary: `SignalR handshake ${m.error ? 'error ' + short(m.error) : 'ok'}`, fields: { type: 'handshake' }, tree: jsonable(m), pairing: { key: 'signalr:handshake', role: 'response' } };
  }
  const type = TYPES[Number(m.type)] || `type ${String(m.type)}`;
  const fields: Decoded['fields'] = { type };
  let summary = `SignalR ${type}`;
  if (typeof m.target === 'string') { fields.target = m.target; summary += ` ${JSON.stringify(m.target)}`; }
  const id = typeof m.invocationId === 'string' ? m.invocationId : undefined;
  if (id !== undefined) { fields.invocationId = id; summary += ` #${id}`; }
  if (m.type === 3 && m.error !== undefined) summary += ` error ${short(m.error)}`;
  else if (m.type === 3 && 'result' in m) summary += ` → ${short(m.result)}`;
  if (m.type === 2) summary += ` ${short(m.item)}`;
  if (m.type === 7 && m.error) summary += ` ${short(m.error)}`;
  const out: Decoded = { summary, fields, tree: jsonable(m) };
  if (id !== undefined && (m.type === 1 || m.type === 4)) out.pairing = { key: `signalr:${f.dir}:${id}`, role: 'request' };
  if (id !== undefined && (m.type === 2 || m.type === 3)) out.pairing = { key: `signalr:${opposite(f.dir)}:${id}`, role: 'response' };
  return out;
}

function combine(msgs: Msg[], f: DecodeFrame): Decoded {
  const first = msgs[0];
  if (!first) return failed('SignalR', 'empty message');
  const d = describe(first, f);
  if (msgs.every((m) => m.type === 6)) d.heartbeat = true; // Ping
  if (msgs.length === 1) return d;
  return { ...d, summary: `${d.summary} (+${msgs.length - 1} more)`, fields: { ...d.fields, count: msgs.length }, tree: msgs.map((m) => jsonable(m)) };
}

function readJson(text: string): Msg[] | string {
  const records = text.split(RS);
  if (records.pop() !== '') return 'record not terminated by 0x1E';
  const out: Msg[] = [];
  for (const r of records) {
    const p = parseJson(r);
    if (!p || !isObject(p.value)) return 'record is not a JSON object';
    out.push(p.value);
  }
  return out;
}

export const signalrDecoder: Decoder = {
  id: 'signalr',
  label: 'SignalR (JSON / MessagePack)',
  detect(ctx: DetectContext): number {
    const first = ctx.frames.find((f) => f.dir === 'out');
    const t = first && textOf(first);
    if (t?.endsWith(RS)) {
      const p = parseJson(t.slice(0, -1));
      return p && isObject(p.value) && typeof p.value.protocol === 'string' ? 0.95 : 0.6;
    }
    return 0;
  },
  decode(f: DecodeFrame): Decoded {
    const text = f.kind === 'text' ? textOf(f) : undefined;
    const bytes = bytesOf(f);
    // a server's handshake answer to a binary protocol is JSON + 0x1E in a binary frame
    const handshake = text === undefined && bytes[0] === 0x7b && bytes[bytes.length - 1] === 0x1e ? textOf(f) : undefined;
    if (text !== undefined || handshake !== undefined) {
      const msgs = readJson(text ?? handshake!);
      return typeof msgs === 'string' ? failed('SignalR', msgs) : combine(msgs, f);
    }
    try {
      return combine(readBinary(bytes), f);
    } catch (e) {
      return failed('SignalR MessagePack', errorText(e));
    }
  },
};
