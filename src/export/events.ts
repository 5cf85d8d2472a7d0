/**
 * Turn a store Connection back into the capture events that built it, so
 * exports carry events (NDJSON) and imports feed `store.ingest` unchanged.
 *
 * The store folds events into a model and keeps seq numbers only on frames.
 * Frames therefore keep their seq; the other events are rebuilt from the model
 * (timeline → state, openAt → open, problems → error/api-error, …) and slotted
 * into the seq gaps between frames in time order, so ingesting the result gives
 * back the same connection (same frames, counts, timeline, close, dropped).
 */
import type { ErrorInfo, InterceptEvent, ReadyStateValue, StateEvent } from '../protocol/events';
import type { Base64, WireEvent } from '../protocol/messages';
import type { Connection, Frame } from '../store/model';

export type FrameModel = Pick<Frame, 'seq' | 't' | 'dir' | 'kind' | 'as' | 'size' | 'data' | 'truncated' | 'buffered' | 'notSent' | 'by'>;
/**
 * What the rebuild needs of a connection: a store Connection is one (its frames
 * may be an array or the store's frame list: only iteration is used); the HAR
 * importer builds one too.
 */
export type ConnectionModel = Pick<Connection,
  'id' | 'frameId' | 'hook' | 'url' | 'resolvedUrl' | 'protocols' | 'frameUrl' | 'subclass' | 'stack' | 'source' | 'network' | 'sendSites'
  | 'state' | 'createdAt' | 'openAt'
  | 'protocol' | 'extensions' | 'binaryType' | 'timeline' | 'buffered' | 'problems' | 'closeRequest' | 'close' | 'dropped' | 'recording'
  | 'laterCloseCalls' | 'openSeq' | 'payloadSeqs'
> & {
  frames: Iterable<FrameModel>;
  /** what interception did to its messages (the store's fold, or a HAR's `_intercept`), each with its own seq */
  intercepts?: Iterable<InterceptEvent<Base64>>;
};

type Body = WireEvent extends infer E ? E extends WireEvent ? Omit<E, 'c' | 'seq'> : never : never;
/** Order of events recorded in the same millisecond, as the hook records them. */
const RANK: Record<WireEvent['k'], number> = {
  'created': 0, 'construct-error': 0, 'close-call': 1, 'state': 2, 'open': 3, 'error': 3, 'api-error': 3,
  'frame': 4, 'payload': 5, 'buffered': 6, 'close': 7, 'recording': 3, 'intercept': 5, 'send-site': 3,
};

function stateAt(conn: ConnectionModel, t: number): ReadyStateValue {
  let s: ReadyStateValue = 0;
  for (const x of conn.timeline) if (x.t <= t) s = x.state;
  return s;
}

function lifecycle(conn: ConnectionModel): Body[] {
  const out: Body[] = [];
  const problems = [...conn.problems];
  if (conn.state === 'failed') {
    const i = problems.findIndex((p) => p.what === 'new WebSocket() threw');
    const error: ErrorInfo = problems[i]?.error ?? { name: 'Error', message: '' };
    if (i >= 0) problems.splice(i, 1);
    out.push({
      k: 'construct-error', t: conn.createdAt, url: conn.url, frameUrl: conn.frameUrl, error, ...seqOf(problems[i] ?? {}),
      ...(conn.protocols !== undefined ? { protocols: conn.protocols } : {}),
    });
  }
  for (const s of conn.timeline) {
    if (s.via === 'constructor') {
      out.push({
        k: 'created', t: s.t, url: conn.url, resolvedUrl: conn.resolvedUrl, frameUrl: conn.frameUrl, ...seqOf(s),
        ...(conn.protocols !== undefined ? { protocols: conn.protocols } : {}), ...(conn.subclass !== undefined ? { subclass: conn.subclass } : {}),
        ...(conn.stack ? { stack: conn.stack } : {}), ...(conn.source ? { source: conn.source } : {}), ...(conn.network ? { network: true as const } : {}),
      });
    } else {
      out.push({ k: 'state', t: s.t, state: s.state, via: s.via as StateEvent['via'], ...seqOf(s) });
    }
  }
  if (conn.openAt !== undefined) {
    out.push({
      k: 'open', t: conn.openAt, protocol: conn.protocol ?? '', extensions: conn.extensions ?? '', binaryType: conn.binaryType ?? 'blob',
      ...(conn.openSeq !== undefined ? { seq: conn.openSeq } : {}),
    });
  }
  for (const p of problems) {
    const m = /^(send|close)\(\) threw$/.exec(p.what);
    if (m) out.push({ k: 'api-error', t: p.t, method: m[1] as 'send' | 'close', error: p.error ?? { name: 'Error', message: '' }, ...seqOf(p) });
    else if (p.what === 'error event') out.push({ k: 'error', t: p.t, state: stateAt(conn, p.t), ...seqOf(p) });
  }
  const req = conn.close?.requested ?? conn.closeRequest;
  for (const r of req ? [req, ...conn.laterCloseCalls ?? []] : []) {
    out.push({
      k: 'close-call', t: r.t, ...(r.code !== undefined ? { code: r.code } : {}), ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.by ? { by: r.by } : {}), ...seqOf(r),
    });
  }
  if (conn.close) {
    const c = conn.close;
    out.push({
      k: 'close', t: c.t, code: c.code, reason: c.reason, wasClean: c.wasClean, initiator: c.initiator,
      ...(c.simulated ? { simulated: c.simulated } : {}), ...seqOf(c),
    });
  }
  for (const r of conn.recording ?? []) out.push({ k: 'recording', t: r.t, frames: r.frames, ...seqOf(r) });
  for (const s of conn.sendSites ?? []) out.push({ k: 'send-site', t: s.t, stack: s.stack, ...seqOf(s) });
  // bufferedAmount samples that came from frames (right after send) are not events of their own
  const fromFrames = new Map<string, number>();
  for (const f of conn.frames) if (f.buffered !== undefined) fromFrames.set(`${f.t}/${f.buffered}`, (fromFrames.get(`${f.t}/${f.buffered}`) ?? 0) + 1);
  for (const b of conn.buffered) {
    const k = `${b.t}/${b.amount}`, n = b.seq === undefined ? fromFrames.get(k) ?? 0 : 0;
    if (n > 0) fromFrames.set(k, n - 1);
    else out.push({ k: 'buffered', t: b.t, amount: b.amount, ...seqOf(b) });
  }
  return out;
}

function frameEvents(f: FrameModel): { frame: WireEvent & { k: 'frame' }; payload?: Body } {
  const base = {
    k: 'frame' as const, c: '', seq: f.seq, t: f.t, dir: f.dir, kind: f.kind, as: f.as, size: f.size,
    ...(f.buffered !== undefined ? { buffered: f.buffered } : {}), ...(f.notSent ? { notSent: f.notSent } : {}), ...(f.by ? { by: f.by } : {}),
  };
  // Blob frames get their bytes from a later `payload` event (the hook reads Blobs asynchronously)
  if (f.as === 'Blob' && f.data !== undefined) {
    return { frame: base, payload: { k: 'payload', t: f.t, of: f.seq, data: f.data, ...(f.truncated !== undefined ? { truncated: f.truncated } : {}) } };
  }
  return { frame: { ...base, ...(f.data !== undefined ? { data: f.data } : {}), ...(f.truncated !== undefined ? { truncated: f.truncated } : {}) } };
}

/** The connection's events, in seq order, ready for `store.ingest(conn.frameId, conn.hook, events)`. */
export function connectionEvents(conn: ConnectionModel): WireEvent[] {
  const out: WireEvent[] = [];
  // events whose seq the model kept go where they were; the rest (older imports) fill the gaps by time
  const placed: WireEvent[] = [];
  const loose: Body[] = [];
  const put = (e: Body & { seq?: number }) => {
    if (e.seq === undefined) loose.push(e);
    else placed.push({ ...e, c: conn.id } as WireEvent);
  };
  for (const e of lifecycle(conn)) put(e);
  for (const f of conn.frames) {
    const { frame, payload } = frameEvents(f);
    placed.push({ ...frame, c: conn.id });
    if (payload) put({ ...payload, ...(conn.payloadSeqs?.[f.seq] !== undefined ? { seq: conn.payloadSeqs[f.seq] } : {}) });
  }
  // what interception did keeps its seq too
  for (const e of conn.intercepts ?? []) placed.push({ ...e, c: conn.id });
  placed.sort((a, b) => a.seq - b.seq);
  loose.sort((a, b) => a.t - b.t || RANK[a.k] - RANK[b.k]);
  let cur = -1, next = 0;
  const emit = (e: Body, seq: number) => { out.push({ ...e, c: conn.id, seq } as WireEvent); cur = seq; };
  for (const p of placed) {
    // fill the seq gap before it with the loose events that happened before it
    while (next < loose.length && cur + 1 < p.seq) {
      const o = loose[next]!;
      if (o.t > p.t || (o.t === p.t && RANK[o.k] > RANK[p.k])) break;
      emit(o, cur + 1);
      next++;
    }
    const { c: _c, seq: _s, ...body } = p;
    emit(body as Body, Math.max(p.seq, cur + 1));
  }
  while (next < loose.length) emit(loose[next++]!, cur + 1);
  return out;
}

/** A model part's event seq, when it kept one. */
function seqOf(x: { seq?: number }): { seq?: number } {
  return x.seq === undefined ? {} : { seq: x.seq };
}
