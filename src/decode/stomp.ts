/**
 * STOMP 1.0–1.2 (spec: stomp.github.io): `COMMAND\nheader:value\n…\n\nbody\0`,
 * possibly several frames per message, or a bare EOL as heartbeat. Header
 * values are unescaped as STOMP 1.2 says (except in CONNECT/CONNECTED).
 */
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, combinePackets, failed, jsonable, parseJson, sizeLabel, textOf } from './util';

const COMMANDS = new Set([
  'CONNECT', 'STOMP', 'CONNECTED', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT',
  'ABORT', 'DISCONNECT', 'MESSAGE', 'RECEIPT', 'ERROR',
]);
const FIELDS = ['destination', 'subscription', 'id', 'receipt', 'receipt-id', 'message-id', 'content-type', 'message', 'version', 'host'];

export interface StompFrame { command: string; headers: Record<string, string>; body: string }

const unescape = (v: string) => v.replace(/\\([rnc\\])/g, (_, c: string) => ({ r: '\r', n: '\n', c: ':', '\\': '\\' })[c] ?? c);

/** Parse the STOMP frames of one message; `heartbeat` when it holds only EOLs. */
export function parseStomp(text: string): { frames: StompFrame[]; heartbeat: boolean; error?: string } {
  const frames: StompFrame[] = [];
  let at = 0;
  while (at < text.length && frames.length < 1000) {
    while (text[at] === '\n' || text[at] === '\r') at++;
    if (at >= text.length) break;
    const headEnd = text.indexOf('\n\n', at) >= 0 ? text.indexOf('\n\n', at) : text.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return { frames, heartbeat: false, error: 'no blank line after the headers' };
    const lines = text.slice(at, headEnd).split(/\r?\n/);
    const command = lines[0] ?? '';
    if (!COMMANDS.has(command)) return { frames, heartbeat: false, error: `unknown command ${JSON.stringify(command.slice(0, 20))}` };
    const raw = command !== 'CONNECT' && command !== 'CONNECTED';
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const k = raw ? unescape(line.slice(0, colon)) : line.slice(0, colon);
      if (!(k in headers)) headers[k] = raw ? unescape(line.slice(colon + 1)) : line.slice(colon + 1); // first one wins (spec)
    }
    const bodyStart = text.charAt(headEnd) === '\r' ? headEnd + 4 : headEnd + 2;
    const len = Number(headers['content-length']);
    let bodyEnd = Number.isInteger(len) && len >= 0 ? bodyStart + len : text.indexOf('\0', bodyStart);
    // content-length counts bytes, we index UTF-16: fall back to the NUL when they disagree
    if (text.charAt(bodyEnd) !== '\0') bodyEnd = text.indexOf('\0', bodyStart);
    if (bodyEnd < 0) { frames.push({ command, headers, body: text.slice(bodyStart) }); return { frames, heartbeat: false, error: 'frame not terminated by NUL' }; }
    frames.push({ command, headers, body: text.slice(bodyStart, bodyEnd) });
    at = bodyEnd + 1;
  }
  return { frames, heartbeat: frames.length === 0 };
}

function describe(fr: StompFrame): { summary: string; fields: Decoded['fields']; tree: unknown } {
  const fields: Decoded['fields'] = { command: fr.command };
  for (const k of FIELDS) if (fr.headers[k] !== undefined) fields[k] = fr.headers[k]!;
  let summary = `STOMP ${fr.command}`;
  const where = fr.headers.destination ?? (fr.command === 'RECEIPT' ? fr.headers['receipt-id'] : undefined) ?? fr.headers.message;
  if (where) summary += ` ${where}`;
  if (fr.body) summary += ` (${sizeLabel(new TextEncoder().encode(fr.body).length)})`;
  const json = /json/.test(fr.headers['content-type'] ?? '') ? parseJson(fr.body) : undefined;
  return { summary, fields, tree: { command: fr.command, headers: fr.headers, body: json ? jsonable(json.value) : fr.body } };
}

export function decodeStompText(text: string, f: DecodeFrame): Decoded {
  const { frames, heartbeat, error } = parseStomp(text);
  if (heartbeat) return { summary: 'STOMP heartbeat', fields: { command: 'heartbeat' }, heartbeat: true };
  const first = frames[0];
  if (!first) return failed('STOMP', error ?? 'no frame');
  const out: Decoded = { ...combinePackets('STOMP', frames.map(describe)) };
  if (error) out.error = error;
  const h = first.headers;
  if (h.receipt !== undefined && f.dir === 'out') out.pairing = { key: `stomp:receipt:${h.receipt}`, role: 'request' };
  else if (h['receipt-id'] !== undefined) out.pairing = { key: `stomp:receipt:${h['receipt-id']}`, role: 'response' };
  else if (first.command === 'CONNECT' || first.command === 'STOMP') out.pairing = { key: 'stomp:connect', role: 'request' };
  else if (first.command === 'CONNECTED' || (first.command === 'ERROR' && f.dir === 'in')) out.pairing = { key: 'stomp:connect', role: 'response' };
  return out;
}

const decodeText = (f: DecodeFrame) => textOf(f) ?? new TextDecoder().decode(bytesOf(f));

export const stompDecoder: Decoder = {
  id: 'stomp',
  label: 'STOMP',
  detect(ctx: DetectContext): number {
    if (ctx.protocol && /^v1[0-2]\.stomp$/.test(ctx.protocol)) return 1;
    const first = ctx.frames.find((f) => f.dir === 'out');
    return first && /^(CONNECT|STOMP)\r?\n/.test(decodeText(first)) ? 0.9 : 0;
  },
  decode: (f) => decodeStompText(decodeText(f), f),
};
