/**
 * HAR 1.2 export, one entry per connection, frames in Chrome DevTools'
 * `_webSocketMessages` shape (type send/receive, time in epoch seconds, opcode
 * 1 text / 2 binary, data: text or base64), so Chrome's "Import HAR" and other
 * HAR tools load it. What HAR has no field for (close, timeline, problems, the
 * JS type of each frame …) rides along in `_wsInspector` / `_`-prefixed fields,
 * which HAR allows as custom fields and our importer reads back.
 */
import type { Entry, Har, Header, Page, QueryString } from 'har-format';
import { base64ToBytes, bytesToBase64 } from '../protocol/base64';
import type { InterceptEvent } from '../protocol/events';
import type { Base64, WirePayload } from '../protocol/messages';
import type { Connection, Frame } from '../store/model';
import { Redactor, type RedactionOptions, type RedactionSummary } from './redact';

export interface ExportOptions {
  redaction?: RedactionOptions;
  /** the `creator` of the HAR log (default: WebSocket Inspector) */
  creator?: { name: string; version: string };
  /** what interception did to a connection's messages (the store's fold): NDJSON lines, HAR `_intercept` */
  intercepts?: (c: Connection) => Iterable<InterceptEvent<Base64>>;
}

/** One act of interception on a HAR message (`_intercept.records`); `data` as the message's (text or base64 by `opcode`). */
export interface HarInterceptRecord {
  seq: number; t: number; outcome: string; cause: string; hold?: number; matched?: string; rule?: { id: string; name: string };
  data?: string; opcode?: 1 | 2; ms?: number; code?: number; reason?: string;
}

/**
 * What interception did to a message: its acts in order, the original (as the page sent it or as it
 * arrived: the message's own `data`) and what went instead (the last edit), each with its opcode.
 */
export interface HarIntercept {
  records: HarInterceptRecord[];
  original: string;
  changed?: string;
  changedOpcode?: 1 | 2;
}

export interface HarMessage {
  type: 'send' | 'receive'; time: number; opcode: 1 | 2; data: string;
  _seq: number; _as: string; _size?: number; _truncated?: boolean; _missing?: boolean; _by?: 'devtools' | 'rule'; _buffered?: number;
  _intercept?: HarIntercept;
}

export const CREATOR = { name: 'WebSocket Inspector', version: '0.1.0' };

/** A frame's payload, redacted: text stays text, binary stays base64 of the same length. */
export function redactPayload(r: Redactor, data: WirePayload | undefined): WirePayload | undefined {
  if (data === undefined || !r.enabled) return data;
  if (typeof data === 'string') return r.text(data);
  let bytes: Uint8Array;
  try { bytes = base64ToBytes(data.b64); } catch { return data; }
  const out = r.bytes(bytes);
  return out === bytes ? data : { b64: bytesToBase64(out) };
}

function queryString(url: string): QueryString[] {
  const q = /\?([^#]*)/.exec(url)?.[1];
  if (!q) return [];
  return q.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    const dec = (s: string) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
    return eq < 0 ? { name: dec(pair), value: '' } : { name: dec(pair.slice(0, eq)), value: dec(pair.slice(eq + 1)) };
  });
}

function origin(url: string): string | undefined {
  try { const o = new URL(url).origin; return o === 'null' ? undefined : o; } catch { return undefined; }
}

const wireData = (d: WirePayload): { data: string; opcode: 1 | 2 } => (typeof d === 'string' ? { data: d, opcode: 1 } : { data: d.b64, opcode: 2 });

function harIntercept(events: readonly InterceptEvent<Base64>[], original: string, r: Redactor): HarIntercept {
  const records = events.map(({ k: _k, c: _c, of: _of, dir: _dir, data, reason, ...rest }) => ({
    ...rest, ...(data !== undefined ? wireData(redactPayload(r, data)!) : {}), ...(reason !== undefined ? { reason: r.text(reason) } : {}),
  }));
  const edit = [...records].reverse().find((x) => x.outcome === 'edited' && x.data !== undefined);
  return { records, original, ...(edit ? { changed: edit.data, changedOpcode: edit.opcode } : {}) };
}

function message(f: Frame, r: Redactor, intercepts?: readonly InterceptEvent<Base64>[]): HarMessage {
  const data = redactPayload(r, f.data);
  const m: HarMessage = {
    type: f.dir === 'out' ? 'send' : 'receive', time: f.t / 1000, opcode: f.kind === 'text' ? 1 : 2,
    data: data === undefined ? '' : typeof data === 'string' ? data : data.b64, _seq: f.seq, _as: f.as,
  };
  if (f.truncated) Object.assign(m, { _truncated: true, _size: f.size });
  if (data === undefined) Object.assign(m, { _missing: true, _size: f.size });
  if (f.by) m._by = f.by;
  if (f.buffered !== undefined) m._buffered = f.buffered;
  if (intercepts?.length) m._intercept = harIntercept(intercepts, m.data, r);
  return m;
}

function entry(c: Connection, r: Redactor, pageref: string, intercepts: Iterable<InterceptEvent<Base64>> = []): Entry {
  const byMessage = new Map<number, InterceptEvent<Base64>[]>();
  for (const e of intercepts) { const l = byMessage.get(e.of); if (l) l.push(e); else byMessage.set(e.of, [e]); }
  // a connection opened before the capture history has no URL; HAR needs one
  const url = r.url(c.resolvedUrl || (/^wss?:/i.test(c.url) ? c.url : 'ws://unknown.invalid/'));
  const requested = c.protocols === undefined ? [] : typeof c.protocols === 'string' ? [c.protocols] : c.protocols;
  const opened = c.openAt !== undefined;
  const frames = Array.from(c.frames as Iterable<Frame>); // an array, or the store's frame list
  const end = c.close?.t ?? frames[frames.length - 1]?.t ?? c.createdAt;
  const time = Math.max(0, (opened ? c.openAt! : end) - c.createdAt);
  const reqHeaders: Header[] = [
    { name: 'Upgrade', value: 'websocket' }, { name: 'Connection', value: 'Upgrade' }, { name: 'Sec-WebSocket-Version', value: '13' },
  ];
  const o = origin(c.frameUrl);
  if (o) reqHeaders.push({ name: 'Origin', value: r.url(o) });
  if (requested.length) reqHeaders.push({ name: 'Sec-WebSocket-Protocol', value: requested.map((p) => r.text(p)).join(', ') });
  const resHeaders: Header[] = opened ? [{ name: 'Upgrade', value: 'websocket' }, { name: 'Connection', value: 'Upgrade' }] : [];
  if (c.protocol) resHeaders.push({ name: 'Sec-WebSocket-Protocol', value: r.text(c.protocol) });
  if (c.extensions) resHeaders.push({ name: 'Sec-WebSocket-Extensions', value: c.extensions });
  const messages = frames.filter((f) => !f.notSent).map((f) => message(f, r, byMessage.get(f.seq)));
  return {
    pageref,
    startedDateTime: new Date(c.createdAt).toISOString(),
    time,
    request: {
      method: 'GET', url, httpVersion: 'HTTP/1.1', cookies: [], headers: reqHeaders, queryString: queryString(url), headersSize: -1, bodySize: 0,
    },
    response: {
      status: opened ? 101 : 0, statusText: opened ? 'Switching Protocols' : '', httpVersion: 'HTTP/1.1', cookies: [], headers: resHeaders,
      content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: 0, _transferSize: 0,
      ...(opened ? {} : { _error: c.state === 'failed' ? 'new WebSocket() threw' : 'connection not established' }),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: time, receive: 0 },
    _resourceType: 'websocket',
    _webSocketMessages: messages,
    _wsInspector: {
      version: 1, connId: c.id, createdAt: c.createdAt, frameId: c.frameId, hook: c.hook, url: r.url(c.url), frameUrl: r.url(c.frameUrl),
      protocols: c.protocols === undefined ? undefined : typeof c.protocols === 'string' ? r.text(c.protocols) : requested.map((p) => r.text(p)),
      subclass: c.subclass, state: c.state, binaryType: c.binaryType, extensions: c.extensions,
      protocol: c.protocol === undefined ? undefined : r.text(c.protocol),
      openAt: c.openAt, timeline: c.timeline, buffered: c.buffered, dropped: c.dropped, recording: c.recording,
      problems: c.problems.map((p) => ({ ...p, ...(p.error ? { error: { name: p.error.name, message: r.text(p.error.message) } } : {}) })),
      closeRequest: c.closeRequest && { ...c.closeRequest, ...(c.closeRequest.reason !== undefined ? { reason: r.text(c.closeRequest.reason) } : {}) },
      laterCloseCalls: c.laterCloseCalls?.map((x) => ({ ...x, ...(x.reason !== undefined ? { reason: r.text(x.reason) } : {}) })),
      close: c.close && {
        ...c.close, reason: r.text(c.close.reason), requested: undefined,
        ...(c.close.simulated ? { simulated: { ...c.close.simulated, reason: r.text(c.close.simulated.reason) } } : {}),
      },
      // send() on a closing socket: nothing went on the wire, so not among the messages
      notSent: frames.filter((f) => f.notSent).map((f) => message(f, r)),
    },
  } as Entry;
}

/** HAR for these connections (redacted unless `redaction.enabled === false`). */
export function exportHar(conns: readonly Connection[], opts: ExportOptions = {}): { har: Har; text: string; redaction: RedactionSummary } {
  const r = new Redactor(opts.redaction);
  const pages = new Map<string, Page>();
  const entries: Entry[] = [];
  for (const c of conns) {
    const key = c.frameUrl || '(unknown page)';
    let page = pages.get(key);
    if (!page) {
      page = { startedDateTime: new Date(c.createdAt).toISOString(), id: `page_${pages.size + 1}`, title: r.url(key), pageTimings: { onContentLoad: -1, onLoad: -1 } };
      pages.set(key, page);
    }
    entries.push(entry(c, r, page.id, opts.intercepts?.(c)));
  }
  const har: Har = { log: { version: '1.2', creator: opts.creator ?? CREATOR, pages: [...pages.values()], entries } };
  return { har, text: JSON.stringify(har, null, 2), redaction: r.summary() };
}
