/**
 * SockJS over its raw WebSocket transport: the server sends `o` (open),
 * `h` (heartbeat), `a["msg",…]` (messages), `m"msg"` (one message),
 * `c[code,"reason"]` (close); the client sends a JSON array of strings.
 * The messages inside are decoded too, as STOMP when they look like it (Spring's
 * common SockJS + STOMP), else as JSON when they parse.
 */
import { decodeJsonValue } from './json';
import { decodeStompText } from './stomp';
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { failed, jsonable, parseJson, short, textOf } from './util';

function inner(messages: unknown[], f: DecodeFrame): Decoded | undefined {
  const first = messages[0];
  if (typeof first !== 'string') return undefined;
  if (/^(CONNECT|STOMP|CONNECTED|SEND|SUBSCRIBE|UNSUBSCRIBE|ACK|NACK|BEGIN|COMMIT|ABORT|DISCONNECT|MESSAGE|RECEIPT|ERROR)\r?\n/.test(first)) return decodeStompText(first, f);
  const parsed = parseJson(first);
  return parsed && typeof parsed.value === 'object' && parsed.value !== null ? decodeJsonValue(parsed.value, f.dir) : undefined;
}

export const sockJsDecoder: Decoder = {
  id: 'sockjs',
  label: 'SockJS',
  detect(ctx: DetectContext): number {
    const first = ctx.frames.find((f) => f.dir === 'in');
    const open = first?.kind === 'text' && textOf(first) === 'o';
    if (ctx.url && /\/[^/]+\/[^/]+\/websocket\/?(\?|$)/.test(ctx.url)) return open ? 0.95 : 0.6;
    return open ? 0.85 : 0;
  },
  decode(f: DecodeFrame): Decoded {
    const text = textOf(f);
    if (text === undefined) return failed('SockJS', 'binary data');
    let messages: unknown;
    let what: string;
    if (f.dir === 'out') {
      messages = parseJson(text)?.value;
      what = 'send';
    } else {
      const head = text.charAt(0);
      if (head === 'o') return { summary: 'SockJS open', fields: { sockjs: 'open' } };
      if (head === 'h') return { summary: 'SockJS heartbeat', fields: { sockjs: 'heartbeat' }, heartbeat: true };
      const body = parseJson(text.slice(1))?.value;
      if (head === 'c') {
        const [code, reason] = Array.isArray(body) ? body : [];
        return { summary: `SockJS close ${String(code)} ${short(reason)}`, fields: { sockjs: 'close', code: String(code), reason: String(reason) }, tree: jsonable(body) };
      }
      if (head === 'm') messages = body === undefined ? undefined : [body];
      else if (head === 'a') messages = body;
      else return failed('SockJS', `unknown frame type ${JSON.stringify(head)}`);
      what = 'message';
    }
    if (!Array.isArray(messages)) return failed('SockJS', 'messages are not a JSON array');
    const sub = inner(messages, f);
    const n = messages.length;
    const fields: Decoded['fields'] = { ...(sub?.fields ?? {}), sockjs: what, count: n };
    const head = `SockJS ${what}${n === 1 ? '' : ` [${n}]`}`;
    return {
      summary: sub ? `${head}: ${sub.summary}` : `${head} ${messages.slice(0, 2).map((m) => short(m, 50)).join(', ')}`,
      fields,
      tree: { messages: jsonable(messages), ...(sub?.tree !== undefined ? { decoded: sub.tree } : {}) },
      pairing: sub?.pairing,
    };
  },
};
