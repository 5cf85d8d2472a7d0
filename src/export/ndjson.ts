/**
 * NDJSON: one capture event per line, lossless. Line 1 is a header
 * `{ "format": "websocket-inspector", "version": 1, … }`; every other line is a
 * WireEvent (binary as `{ b64 }`) plus the `frameId` and `hook` it came from, so
 * import gives back the exact events (`store.ingest(frameId, hook, events)`).
 */
import { isCaptureEvent, isWireBinary } from '../protocol/guards';
import type { WireEvent } from '../protocol/messages';
import type { Connection } from '../store/model';
import { connectionEvents } from './events';
import { CREATOR, redactPayload, type ExportOptions } from './har-export';
import { inputText, parseJsonAt, type ImportedConnection, type ImportOptions, type ImportResult } from './input';
import { Redactor, type RedactionSummary } from './redact';

export const NDJSON_FORMAT = 'websocket-inspector';
export const NDJSON_VERSION = 1;

export interface NdjsonHeader {
  format: typeof NDJSON_FORMAT; version: number; exportedAt: string; creator: { name: string; version: string };
  connections: number; events: number; redaction: RedactionSummary;
}

/** Redact one event's page-controlled texts (payloads, URLs, reasons, error messages). */
function redactEvent(e: WireEvent, r: Redactor): WireEvent {
  if (!r.enabled) return e;
  const err = (x: { name: string; message: string }) => ({ name: x.name, message: r.text(x.message) });
  const protos = (p: string | string[] | undefined) => (p === undefined ? undefined : typeof p === 'string' ? r.text(p) : p.map((x) => r.text(x)));
  switch (e.k) {
    case 'created': return { ...e, url: r.url(e.url), resolvedUrl: r.url(e.resolvedUrl), frameUrl: r.url(e.frameUrl), ...(e.protocols !== undefined ? { protocols: protos(e.protocols) } : {}) };
    case 'construct-error': return { ...e, url: r.url(e.url), frameUrl: r.url(e.frameUrl), error: err(e.error), ...(e.protocols !== undefined ? { protocols: protos(e.protocols) } : {}) };
    case 'open': return { ...e, protocol: r.text(e.protocol) };
    case 'frame': return e.data === undefined ? e : { ...e, data: redactPayload(r, e.data)! };
    case 'payload': return { ...e, data: redactPayload(r, e.data)! };
    case 'close-call': return e.reason === undefined ? e : { ...e, reason: r.text(e.reason) };
    case 'close': return { ...e, reason: r.text(e.reason), ...(e.simulated ? { simulated: { ...e.simulated, reason: r.text(e.simulated.reason) } } : {}) };
    case 'api-error': return { ...e, error: err(e.error) };
    case 'intercept':
      return {
        ...e, ...(e.data !== undefined ? { data: redactPayload(r, e.data)! } : {}), ...(e.reason !== undefined ? { reason: r.text(e.reason) } : {}),
      };
    default: return e;
  }
}

export function exportNdjson(conns: readonly Connection[], opts: ExportOptions = {}): { text: string; redaction: RedactionSummary } {
  const r = new Redactor(opts.redaction);
  const lines: string[] = [];
  for (const c of conns) {
    const events = connectionEvents({ ...c, intercepts: opts.intercepts?.(c) });
    for (const e of events) lines.push(JSON.stringify({ frameId: c.frameId, hook: c.hook, ...redactEvent(e, r) }));
  }
  const header: NdjsonHeader = {
    format: NDJSON_FORMAT, version: NDJSON_VERSION, exportedAt: new Date().toISOString(), creator: opts.creator ?? CREATOR,
    connections: conns.length, events: lines.length, redaction: r.summary(),
  };
  return { text: [JSON.stringify(header), ...lines].join('\n') + '\n', redaction: header.redaction };
}

/** Import NDJSON exported by exportNdjson. Never throws; errors name the line. */
export function importNdjson(input: string | Uint8Array | ArrayBuffer, opts: ImportOptions = {}): ImportResult {
  try {
    const read = inputText(input, opts.maxBytes);
    if ('error' in read) return { ok: false, error: read.error };
    const text = read.text.replace(/^\uFEFF/, '');
    const byConn = new Map<string, ImportedConnection>();
    let lineNo = 0, events = 0, header: Record<string, unknown> | undefined;
    for (let at = 0; at < text.length;) {
      const nl = text.indexOf('\n', at);
      const line = (nl < 0 ? text.slice(at) : text.slice(at, nl)).replace(/\r$/, '');
      at = nl < 0 ? text.length : nl + 1;
      lineNo++;
      if (!line.trim()) continue;
      const parsed = parseJsonAt(line, `JSON on line ${lineNo}`);
      if ('error' in parsed) {
        const last = nl < 0;
        return { ok: false, error: `Line ${lineNo}: ${parsed.error.replace(/ at line 1, column (\d+) \(character \d+\)/, ' at column $1')}${last ? ' (the last line: the file looks truncated)' : ''}` };
      }
      const v = parsed.value as Record<string, unknown>;
      if (!header) {
        if (typeof v !== 'object' || v === null || v.format !== NDJSON_FORMAT) return { ok: false, error: `Line ${lineNo}: not a WebSocket Inspector NDJSON file (the first line must be its header with "format": "${NDJSON_FORMAT}")` };
        if (v.version !== NDJSON_VERSION) return { ok: false, error: `Line ${lineNo}: format version ${JSON.stringify(v.version)} is not supported (this panel reads version ${NDJSON_VERSION})` };
        header = v;
        continue;
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: `Line ${lineNo}: expected an event object` };
      const { frameId, hook, ...rest } = v;
      if (!Number.isSafeInteger(frameId) || typeof hook !== 'string' || hook.length > 256) return { ok: false, error: `Line ${lineNo}: "frameId" (integer) and "hook" (string) are required` };
      const e = { ...rest, ...(typeof rest.c === 'string' ? { c: (opts.idPrefix ?? '') + rest.c } : {}) };
      if (!isCaptureEvent(e, isWireBinary)) return { ok: false, error: `Line ${lineNo}: not a valid capture event (kind ${JSON.stringify(rest.k)})` };
      const key = `${String(frameId)}\0${hook}\0${String(e.c)}`;
      let conn = byConn.get(key);
      if (!conn) byConn.set(key, (conn = { frameId: frameId as number, hook, events: [] }));
      conn.events.push(e as WireEvent);
      events++;
    }
    if (!header) return { ok: false, error: 'The file is empty' };
    const warnings = typeof header.events === 'number' && header.events !== events
      ? [`the header announces ${header.events} events, the file has ${events}`] : [];
    return { ok: true, format: 'ndjson', connections: [...byConn.values()], events, warnings };
  } catch (e) {
    return { ok: false, error: `NDJSON import failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
