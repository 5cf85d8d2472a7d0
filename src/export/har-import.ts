/**
 * HAR import: the WebSocket entries of a HAR file — Chrome DevTools' export
 * (`_resourceType: 'websocket'`, `_webSocketMessages`) or ours (the same plus
 * `_wsInspector`) — become capture events per connection, for `store.ingest`.
 * Chrome's HAR has no close, timeline or JS types: those connections show as
 * open, with frames typed by opcode. Problems name their JSON path.
 */
import { base64ToBytes } from '../protocol/base64';
import type { DataType, InterceptEvent } from '../protocol/events';
import type { Base64 } from '../protocol/messages';
import { isCaptureEvent, isWireBinary } from '../protocol/guards';
import { utf8Length } from '../protocol/utf8';
import type { StateChange } from '../store/model';
import { connectionEvents, type ConnectionModel, type FrameModel } from './events';
import { inputText, parseJsonAt, type ImportedConnection, type ImportOptions, type ImportResult } from './input';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';

class Bad extends Error {}
const bad = (path: string, what: string): never => { throw new Bad(`${path}: ${what}`); };

function header(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  const h = headers.find((x) => isRec(x) && str(x.name) && x.name.toLowerCase() === name.toLowerCase()) as Rec | undefined;
  return h && str(h.value) ? h.value : undefined;
}

const isWebSocket = (e: Rec) => e._resourceType === 'websocket' || Array.isArray(e._webSocketMessages)
  || (isRec(e.request) && str(e.request.url) && /^wss?:/i.test(e.request.url));

const DATA_TYPES = new Set<string>(['string', 'ArrayBuffer', 'Blob', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'coerced']);

/** Our `_intercept` of a message back into intercept events (checked with every other event by the capture guard). */
function interceptsOf(x: unknown, of: number, dir: 'out' | 'in', into: InterceptEvent<Base64>[]): void {
  if (!isRec(x) || !Array.isArray(x.records)) return;
  for (const r of x.records) {
    if (!isRec(r) || !num(r.seq) || !num(r.t)) continue;
    const pick: Rec = {};
    for (const k of ['hold', 'matched', 'rule', 'ms', 'code', 'reason'] as const) if (r[k] !== undefined) pick[k] = r[k];
    into.push({
      ...pick, k: 'intercept', c: '', seq: r.seq, t: r.t, of, dir, outcome: r.outcome, cause: r.cause,
      ...(str(r.data) ? { data: r.opcode === 2 ? { b64: r.data } : r.data } : {}),
    } as InterceptEvent<Base64>);
  }
}

function frames(list: unknown, path: string, firstSeq: number, warn: (w: string) => void, intercepts: InterceptEvent<Base64>[] = []): FrameModel[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) bad(path, 'expected an array of messages');
  const arr = list as unknown[];
  const ourSeqs = arr.every((m, i) => isRec(m) && Number.isSafeInteger(m._seq) && (m._seq as number) >= 0
    && (i === 0 || (m._seq as number) > ((arr[i - 1] as Rec)._seq as number)));
  const out: FrameModel[] = [];
  let skipped = 0;
  arr.forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!isRec(m)) bad(p, 'expected an object');
    const msg = m as Rec;
    if (msg.type !== 'send' && msg.type !== 'receive') bad(`${p}.type`, `expected "send" or "receive", got ${JSON.stringify(msg.type)}`);
    if (!num(msg.time)) bad(`${p}.time`, 'expected a number (seconds since the epoch)');
    if (!num(msg.opcode)) bad(`${p}.opcode`, 'expected a number');
    if (msg.opcode !== 1 && msg.opcode !== 2) { skipped++; return; } // control frames (close, ping, pong) some tools add
    if (!str(msg.data)) bad(`${p}.data`, 'expected a string');
    const data = msg.data as string;
    let size: number;
    if (msg.opcode === 2) {
      try { size = base64ToBytes(data).length; } catch { return bad(`${p}.data`, 'binary message (opcode 2) is not valid base64'); }
    } else size = utf8Length(data);
    const truncated = msg._truncated === true || msg._missing === true;
    if (truncated && Number.isSafeInteger(msg._size)) size = msg._size as number;
    const seq = ourSeqs ? (msg._seq as number) : firstSeq + out.length;
    interceptsOf(msg._intercept, seq, msg.type === 'send' ? 'out' : 'in', intercepts);
    out.push({
      seq,
      t: (msg.time as number) * 1000, dir: msg.type === 'send' ? 'out' : 'in', kind: msg.opcode === 1 ? 'text' : 'binary',
      as: str(msg._as) && DATA_TYPES.has(msg._as) ? msg._as as DataType : msg.opcode === 1 ? 'string' : 'ArrayBuffer',
      size,
      ...(msg._missing === true ? {} : { data: msg.opcode === 1 ? data : { b64: data } }),
      ...(msg._truncated === true ? { truncated: true } : {}),
      ...(msg._by === 'devtools' || msg._by === 'rule' ? { by: msg._by } : {}),
      ...(Number.isSafeInteger(msg._buffered) ? { buffered: msg._buffered as number } : {}),
    });
  });
  if (skipped) warn(`${path}: skipped ${skipped} control message(s) (opcodes other than 1 and 2)`);
  return out;
}

/** Our own `_wsInspector` block, taken field by field; anything malformed is ignored. */
function ours(x: unknown): Rec {
  return isRec(x) && x.version === 1 ? x : {};
}

function connection(e: Rec, i: number, opts: ImportOptions, warn: (w: string) => void): ConnectionModel {
  const path = `log.entries[${i}]`;
  if (!isRec(e.request)) bad(`${path}.request`, 'expected an object');
  const req = e.request as Rec, res = isRec(e.response) ? e.response : {};
  if (!str(req.url)) bad(`${path}.request.url`, 'expected a string');
  if (!str(e.startedDateTime) || Number.isNaN(Date.parse(e.startedDateTime))) bad(`${path}.startedDateTime`, 'expected an ISO date');
  const w = ours(e._wsInspector);
  const createdAt = num(w.createdAt) ? w.createdAt : Date.parse(e.startedDateTime as string); // ours keeps sub-ms time
  const opened = res.status === 101;
  const intercepts: InterceptEvent<Base64>[] = [];
  const firstFrames = frames(e._webSocketMessages, `${path}._webSocketMessages`, opened ? 3 : 1, warn, intercepts);
  const handshake = num(e.time) && e.time >= 0 ? e.time : 0;
  const openAt = num(w.openAt) ? w.openAt : opened ? Math.min(createdAt + handshake, firstFrames[0]?.t ?? Infinity) : undefined;
  const timeline: StateChange[] = Array.isArray(w.timeline)
    && w.timeline.every((s) => isRec(s) && [0, 1, 2, 3].includes(s.state as number) && num(s.t) && str(s.via))
    ? w.timeline as StateChange[]
    : [{ state: 0, t: createdAt, via: 'constructor' }, ...(openAt !== undefined ? [{ state: 1 as const, t: openAt, via: 'open' }] : [])];
  const reqProtocols = header(req.headers, 'Sec-WebSocket-Protocol')?.split(',').map((p) => p.trim()).filter(Boolean);
  const protocols = str(w.protocols) || (Array.isArray(w.protocols) && w.protocols.every(str)) ? w.protocols as string | string[] : reqProtocols;
  const state = w.state === 'failed' || [0, 1, 2, 3].includes(w.state as number) ? w.state as ConnectionModel['state'] : timeline[timeline.length - 1]?.state ?? 0;
  // frames send() refused (socket closing): kept by our export beside the wire messages
  const notSent = frames(w.notSent, `${path}._wsInspector.notSent`, 0, warn).map((f) => ({ ...f, notSent: true }));
  const all = [...firstFrames, ...notSent].sort((a, b) => a.seq - b.seq);
  return {
    id: (opts.idPrefix ?? '') + (str(w.connId) ? w.connId : `har.${i}`),
    frameId: Number.isSafeInteger(w.frameId) ? w.frameId as number : 0,
    hook: str(w.hook) ? w.hook : 'har',
    url: str(w.url) ? w.url : req.url as string, resolvedUrl: req.url as string,
    protocols, frameUrl: str(w.frameUrl) ? w.frameUrl : '', subclass: str(w.subclass) ? w.subclass : undefined,
    state, createdAt, openAt,
    protocol: str(w.protocol) ? w.protocol : header(res.headers, 'Sec-WebSocket-Protocol') ?? (opened ? '' : undefined),
    extensions: str(w.extensions) ? w.extensions : header(res.headers, 'Sec-WebSocket-Extensions') ?? (opened ? '' : undefined),
    binaryType: str(w.binaryType) ? w.binaryType : opened ? 'blob' : undefined,
    timeline,
    buffered: Array.isArray(w.buffered) ? w.buffered.filter((b) => isRec(b) && num(b.t) && num(b.amount)) as ConnectionModel['buffered'] : [],
    problems: Array.isArray(w.problems) ? w.problems.filter((p) => isRec(p) && num(p.t) && str(p.what)) as ConnectionModel['problems'] : [],
    closeRequest: isRec(w.closeRequest) && num(w.closeRequest.t) ? w.closeRequest as unknown as ConnectionModel['closeRequest'] : undefined,
    close: isRec(w.close) && num(w.close.code) && num(w.close.t) && str(w.close.reason) ? w.close as unknown as ConnectionModel['close'] : undefined,
    dropped: 0,
    laterCloseCalls: Array.isArray(w.laterCloseCalls) ? w.laterCloseCalls.filter((x) => isRec(x) && num(x.t)) as ConnectionModel['laterCloseCalls'] : undefined,
    recording: Array.isArray(w.recording) ? w.recording.filter((x) => isRec(x) && num(x.t) && typeof x.frames === 'boolean') as ConnectionModel['recording'] : undefined,
    frames: all,
    intercepts,
  };
}

/** Import a HAR file's WebSocket connections. Never throws. */
export function importHar(input: string | Uint8Array | ArrayBuffer, opts: ImportOptions = {}): ImportResult {
  try {
    const read = inputText(input, opts.maxBytes);
    if ('error' in read) return { ok: false, error: read.error };
    const parsed = parseJsonAt(read.text, 'HAR (JSON)');
    if ('error' in parsed) return { ok: false, error: parsed.error };
    const root = parsed.value;
    if (!isRec(root) || !isRec(root.log)) return { ok: false, error: 'Not a HAR file: no "log" object at the top level' };
    if (!Array.isArray(root.log.entries)) return { ok: false, error: 'log.entries: expected an array' };
    const entries = root.log.entries as unknown[];
    const warnings: string[] = [];
    const connections: ImportedConnection[] = [];
    let events = 0;
    entries.forEach((e, i) => {
      if (!isRec(e)) bad(`log.entries[${i}]`, 'expected an object');
      if (!isWebSocket(e as Rec)) return;
      const model = connection(e as Rec, i, opts, (w) => warnings.push(w));
      const evs = connectionEvents(model);
      const wrong = evs.findIndex((x) => !isCaptureEvent(x, isWireBinary));
      if (wrong >= 0) bad(`log.entries[${i}]`, `event ${wrong} (${evs[wrong]!.k}) is out of the capture protocol's limits`);
      connections.push({ frameId: model.frameId, hook: model.hook, events: evs });
      events += evs.length;
    });
    if (!connections.length) return { ok: false, error: `No WebSocket connections in this HAR (${entries.length} entries, none is a WebSocket)` };
    const skipped = entries.length - connections.length;
    if (skipped) warnings.push(`${skipped} non-WebSocket entries skipped`);
    return { ok: true, format: 'har', connections, events, warnings };
  } catch (e) {
    return { ok: false, error: e instanceof Bad ? e.message : `HAR import failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
