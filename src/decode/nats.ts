/**
 * The NATS client protocol (docs.nats.io/reference/reference-protocols/nats-protocol) over
 * WebSocket: text operations ending in CRLF, several per message (nats-server and the clients batch
 * them), in text or, usually, binary frames:
 *   INFO {json}  CONNECT {json}  PUB <subject> [reply-to] <#bytes>\r\n<payload>
 *   HPUB <subject> [reply-to] <#header bytes> <#total bytes>\r\n<headers><payload>
 *   SUB <subject> [queue group] <sid>  UNSUB <sid> [max]  MSG <subject> <sid> [reply-to] <#bytes>\r\n<payload>
 *   HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>\r\n<headers><payload>  PING  PONG  +OK  -ERR <msg>
 * Requests (a PUB with a reply-to) pair with the MSG delivered on that reply subject.
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, combinePackets, failed, jsonable, parseJson, short, sizeLabel } from './util';

const latin1 = new TextDecoder('latin1');

interface Op { op: string; args: string[]; payload?: Uint8Array; headers?: string }

/** The operations of one message; `rest` is what could not be read (cut short, or not NATS). */
function readOps(bytes: Uint8Array): { ops: Op[]; rest?: string } {
  const ops: Op[] = [];
  let at = 0;
  while (at < bytes.length && ops.length < 10_000) {
    const eol = bytes.indexOf(0x0a, at);
    if (eol < 0) return { ops, rest: 'operation not terminated by CRLF' };
    const line = latin1.decode(bytes.subarray(at, bytes[eol - 1] === 0x0d ? eol - 1 : eol));
    at = eol + 1;
    const sp = line.search(/[ \t]/);
    const op = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    if (op === 'INFO' || op === 'CONNECT' || op === '-ERR') { ops.push({ op, args: [rest] }); continue; }
    const args = rest.split(/[ \t]+/).filter(Boolean);
    if (op === 'PUB' || op === 'MSG' || op === 'HPUB' || op === 'HMSG') {
      const headered = op[0] === 'H';
      const total = Number(args[args.length - 1]);
      const hdr = headered ? Number(args[args.length - 2]) : 0;
      if (!Number.isInteger(total) || total < 0 || !Number.isInteger(hdr) || hdr < 0 || hdr > total) return { ops, rest: `bad size in ${op}` };
      if (at + total > bytes.length) return { ops, rest: `${op} payload cut short` };
      const all = bytes.subarray(at, at + total);
      ops.push({
        op, args: args.slice(0, headered ? -2 : -1), payload: all.subarray(hdr),
        ...(headered ? { headers: latin1.decode(all.subarray(0, hdr)) } : {}),
      });
      at += total;
      if (bytes[at] === 0x0d) at++;
      if (bytes[at] === 0x0a) at++;
      continue;
    }
    if (!['SUB', 'UNSUB', 'PING', 'PONG', '+OK'].includes(op)) return { ops, rest: `unknown operation ${JSON.stringify(op.slice(0, 12))}` };
    ops.push({ op, args });
  }
  return { ops };
}

function describe(o: Op): Decoded {
  const fields: Decoded['fields'] = { op: o.op };
  const tree: Record<string, unknown> = { op: o.op };
  let summary = `NATS ${o.op}`;
  let pairing: Decoded['pairing'];
  if (o.op === 'INFO' || o.op === 'CONNECT') {
    const json = parseJson(o.args[0] ?? '')?.value;
    tree.options = jsonable(json ?? o.args[0]);
    const info = (json ?? {}) as Record<string, unknown>;
    const who = o.op === 'INFO' ? info.server_name ?? info.server_id : info.name;
    if (typeof info.version === 'string') { fields.version = info.version; summary += ` v${info.version}`; }
    if (typeof who === 'string') summary += ` ${short(who, 30)}`;
  } else if (o.op === '-ERR') {
    fields.error = o.args[0] ?? '';
    summary += ` ${o.args[0] ?? ''}`;
  } else if (o.op === 'SUB' || o.op === 'UNSUB') {
    const [a, b, c] = o.args;
    if (o.op === 'SUB') {
      Object.assign(fields, { subject: a ?? '', sid: (c ?? b) ?? '' }, c ? { queue: b! } : {});
      summary += ` ${a ?? ''}${c ? ` queue ${b}` : ''} sid ${(c ?? b) ?? ''}`;
    } else {
      Object.assign(fields, { sid: a ?? '' }, b ? { max: b } : {});
      summary += ` sid ${a ?? ''}${b ? ` after ${b}` : ''}`;
    }
  } else if (o.payload) {
    // PUB subject [reply]; MSG subject sid [reply]
    const [subject = '', x, y] = o.args;
    const isMsg = o.op.endsWith('MSG');
    const reply = isMsg ? y : x;
    fields.subject = subject;
    if (isMsg && x) fields.sid = x;
    if (reply) fields.replyTo = reply;
    fields.size = o.payload.length;
    summary += ` ${subject}${reply ? ` reply-to ${reply}` : ''} (${sizeLabel(o.payload.length)})`;
    let text: string | undefined;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(o.payload); } catch { /* binary payload */ }
    const json = text !== undefined ? parseJson(text) : undefined;
    tree.subject = subject;
    if (reply) tree.replyTo = reply;
    if (o.headers !== undefined) tree.headers = o.headers.split('\r\n').filter(Boolean);
    tree.payload = json ? jsonable(json.value) : text ?? jsonable(o.payload);
    if (!isMsg && reply) pairing = { key: `nats:reply:${reply}`, role: 'request' };
    else if (isMsg) pairing = { key: `nats:reply:${subject}`, role: 'response' };
  } else if (o.op === 'PING') pairing = { key: 'nats:ping', role: 'request' };
  else if (o.op === 'PONG') pairing = { key: 'nats:ping', role: 'response' };
  const out: Decoded = { summary, fields, tree };
  if (pairing) out.pairing = pairing;
  if (o.op === 'PING' || o.op === 'PONG') out.heartbeat = true;
  return out;
}

export const natsDecoder: Decoder = {
  id: 'nats',
  label: 'NATS',
  detect(ctx: DetectContext): number {
    const first = ctx.frames[0];
    if (!first) return 0;
    const head = latin1.decode(bytesOf(first).subarray(0, 9));
    if (first.dir === 'in' && head.startsWith('INFO {')) return 0.95;
    return first.dir === 'out' && head.startsWith('CONNECT {') ? 0.9 : 0;
  },
  decode(f: DecodeFrame): Decoded {
    const bytes = bytesOf(f);
    const { ops, rest } = readOps(bytes);
    if (!ops.length) return failed('NATS', f.truncated ? 'incomplete payload (truncated)' : rest ?? 'empty message');
    const out = { ...combinePackets('NATS', ops.map(describe)) };
    if (rest) out.error = rest;
    return out;
  },
};
