/**
 * zlib-stream transport compression, as Discord's gateway uses it (`compress=zlib-stream`): the
 * server's binary messages are pieces of ONE zlib stream for the whole connection, each payload
 * ending with a Z_SYNC_FLUSH marker (00 00 ff ff); a payload may span several messages. So the
 * decoder keeps one inflate context per direction (pako's, zlib's own algorithm) in the
 * per-connection state and must see the messages in order, once (stateful: the panel keeps each
 * frame's summary, counted against the memory cap). Text messages (the client's) are plain JSON.
 */
import { Inflate, Z_SYNC_FLUSH } from 'pako';
import { decodeJsonValue } from './json';
import type { DecodeFrame, DecodeState, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, failed, isObject, parseJson, sizeLabel, textOf } from './util';

interface Side { inflate: Inflate; out: Uint8Array[]; pieces: number; error?: string }
type ZlibState = Partial<Record<'in' | 'out', Side>>;

const utf8 = new TextDecoder();

const flushed = (b: Uint8Array) => b.length >= 4 && b[b.length - 4] === 0 && b[b.length - 3] === 0 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xff;

function side(st: ZlibState, dir: 'in' | 'out'): Side {
  const existing = st[dir];
  if (existing) return existing;
  const s: Side = { inflate: new Inflate(), out: [], pieces: 0 };
  s.inflate.onData = (chunk) => { s.out.push(chunk); };
  st[dir] = s;
  return s;
}

function describeText(text: string, f: DecodeFrame, note: string): Decoded {
  const p = parseJson(text);
  if (!p) return { summary: `zlib-stream text ${JSON.stringify(text.slice(0, 60))}${note}`, fields: { size: text.length }, tree: text };
  const d = decodeJsonValue(p.value, f.dir, 'zlib-stream JSON');
  // Discord's gateway names its dispatch events in `t`
  const t = isObject(p.value) && typeof p.value.t === 'string' ? ` ${p.value.t}` : '';
  return { ...d, summary: d.summary.replace(/^zlib-stream JSON op=(\S+)/, `zlib-stream JSON op=$1${t}`) + note };
}

function inflateMessage(f: DecodeFrame, st: ZlibState): Decoded {
  const bytes = bytesOf(f);
  const s = side(st, f.dir);
  if (s.error) return failed('zlib-stream', `the stream broke earlier (${s.error}); later messages cannot be inflated`);
  s.pieces++;
  s.inflate.push(bytes, Z_SYNC_FLUSH);
  if (s.inflate.err) {
    s.error = s.inflate.msg || `zlib error ${s.inflate.err}`;
    return failed('zlib-stream', s.error);
  }
  if (!flushed(bytes)) {
    return { summary: `zlib-stream part of a message (${sizeLabel(bytes.length)} compressed, continues in the next message)`, fields: { type: 'partial', compressed: bytes.length } };
  }
  const total = s.out.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of s.out.splice(0)) { all.set(c, at); at += c.length; }
  const pieces = s.pieces;
  s.pieces = 0;
  const note = ` (${sizeLabel(bytes.length)} → ${sizeLabel(total)}${pieces > 1 ? `, joined from ${pieces} messages` : ''})`;
  const d = describeText(utf8.decode(all), f, note);
  return { ...d, fields: { ...d.fields, compressed: bytes.length, inflated: total } };
}

export const zlibStreamDecoder: Decoder = {
  id: 'zlib-stream',
  label: 'zlib-stream (Discord gateway compression)',
  stateful: true,
  detect(ctx: DetectContext): number {
    if (ctx.url && /[?&]compress=zlib-stream\b/.test(ctx.url)) return 0.95;
    const first = ctx.frames.find((f) => f.kind === 'binary' && f.dir === 'in');
    const b = first ? bytesOf(first) : undefined;
    // a zlib header (CMF 0x78, FCHECK), then a stream that inflates
    if (!b || b[0] !== 0x78 || ((b[0] << 8) | b[1]!) % 31 !== 0) return 0;
    const probe = new Inflate();
    probe.push(b, Z_SYNC_FLUSH);
    return probe.err ? 0 : 0.6;
  },
  decode(f: DecodeFrame, state?: DecodeState): Decoded {
    if (f.kind === 'text') return describeText(textOf(f) ?? '', f, '');
    const st = (state?.get('zlib-stream') as ZlibState | undefined) ?? {};
    state?.set('zlib-stream', st);
    try {
      return inflateMessage(f, st);
    } catch (e) {
      const s = st[f.dir];
      if (s) s.error = e instanceof Error ? e.message : String(e);
      return failed('zlib-stream', s?.error ?? 'inflate failed');
    }
  },
};
