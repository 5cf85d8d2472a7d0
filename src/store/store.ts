/**
 * Folds capture events into connections and frames.
 *
 * Events of one connection arrive in seq order (the hook replays its history
 * in order, then streams live); anything at or below a connection's lastSeq is
 * a duplicate (e.g. re-sent after a service-worker restart) and is ignored, and
 * a jump in seq is counted as dropped. Listeners are told once per ingested
 * batch, not per event.
 */
import type { CaptureEvent, ConnId } from '../protocol/events';
import type { Base64, Cursors, WireEvent } from '../protocol/messages';
import { IngestStats } from './ingest-stats';
import type { Connection, Frame } from './model';

export type Listener = () => void;

export class Store {
  readonly connections = new Map<string, Connection>();
  /** connections in creation order (what the list shows) */
  readonly order: Connection[] = [];
  private nextFrameId = 0;
  private listeners = new Set<Listener>();
  /** bumped on every change; views compare it to skip work */
  version = 0;
  /** capture → panel latency and throughput */
  readonly stats = new IngestStats();

  static key(frameId: number, id: ConnId): string {
    return `${frameId}/${id}`;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /** What this store already holds from one hook: the attach cursors. */
  cursorsFor(frameId: number, hook: string): Cursors {
    const out: Cursors = {};
    for (const c of this.order) if (c.frameId === frameId && c.hook === hook) out[c.id] = c.lastSeq;
    return out;
  }

  ingest(frameId: number, hook: string, events: readonly WireEvent[]): void {
    this.stats.batch(events.map((e) => e.t), performance.timeOrigin + performance.now());
    let touched = false;
    for (const e of events) touched = this.apply(frameId, hook, e) || touched;
    if (touched) this.changed();
  }

  /**
   * Forget captured traffic. Sockets that are still live keep their row (so
   * their next frames have a home) but lose their frames and counts.
   */
  clear(): void {
    const live = this.order.filter((c) => !c.close && c.state !== 3 && c.state !== 'failed');
    this.connections.clear();
    this.order.length = 0;
    for (const c of live) {
      Object.assign(c, { frames: [], framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, buffered: [], problems: [], dropped: 0 });
      this.connections.set(c.key, c);
      this.order.push(c);
    }
    this.changed();
  }

  /** Forget everything, live sockets included (a new document in the top frame). */
  reset(): void {
    this.connections.clear();
    this.order.length = 0;
    this.changed();
  }

  /** Forget everything from one frame's previous document (navigation without preserve log). */
  dropFrame(frameId: number, keepHook: string): void {
    const keep = this.order.filter((c) => c.frameId !== frameId || c.hook === keepHook);
    if (keep.length === this.order.length) return;
    for (const c of this.order) if (!keep.includes(c)) this.connections.delete(c.key);
    this.order.splice(0, this.order.length, ...keep);
    this.changed();
  }

  /** Fill in a frame's full payload fetched on demand. */
  setPayload(key: string, seq: number, data: string | Base64, truncated: boolean): void {
    const frame = this.connections.get(key)?.frames.find((f) => f.seq === seq);
    if (!frame) return;
    frame.data = data;
    frame.truncated = truncated;
    this.changed();
  }

  private apply(frameId: number, hook: string, e: CaptureEvent<Base64>): boolean {
    const key = Store.key(frameId, e.c);
    let conn = this.connections.get(key);
    if (!conn) {
      conn = this.newConnection(key, frameId, hook, e);
      if (!conn) return false;
    } else if (e.seq <= conn.lastSeq) {
      return false;
    }
    if (e.seq > conn.lastSeq + 1) conn.dropped += e.seq - conn.lastSeq - 1;
    conn.lastSeq = e.seq;
    this.applyTo(conn, e);
    return true;
  }

  private newConnection(key: string, frameId: number, hook: string, e: CaptureEvent<Base64>): Connection | undefined {
    // A connection is born from its first event; if that was dropped we still show what follows.
    const first = e.k === 'created' || e.k === 'construct-error' ? e : undefined;
    const conn: Connection = {
      key, frameId, hook, id: e.c,
      url: first?.url ?? '(connection opened before capture history)',
      resolvedUrl: first?.k === 'created' ? first.resolvedUrl : first?.url ?? '',
      protocols: first?.protocols,
      frameUrl: first?.frameUrl ?? '',
      subclass: first?.k === 'created' ? first.subclass : undefined,
      state: first?.k === 'construct-error' ? 'failed' : 0,
      createdAt: e.t,
      framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0,
      timeline: [], buffered: [], problems: [], frames: [],
      lastSeq: -1, dropped: 0,
    };
    this.connections.set(key, conn);
    this.order.push(conn);
    return conn;
  }

  private applyTo(conn: Connection, e: CaptureEvent<Base64>): void {
    switch (e.k) {
      case 'created':
        conn.timeline.push({ state: 0, t: e.t, via: 'constructor' });
        break;
      case 'construct-error':
        conn.problems.push({ t: e.t, what: 'new WebSocket() threw', error: e.error });
        break;
      case 'state':
        conn.state = e.state;
        conn.timeline.push({ state: e.state, t: e.t, via: e.via });
        break;
      case 'open':
        conn.openAt = e.t;
        conn.protocol = e.protocol;
        conn.extensions = e.extensions;
        conn.binaryType = e.binaryType;
        break;
      case 'frame': {
        const frame: Frame = {
          id: this.nextFrameId++, conn, seq: e.seq, t: e.t, dir: e.dir, kind: e.kind, as: e.as, size: e.size,
          data: e.data, truncated: e.truncated, buffered: e.buffered, notSent: e.notSent, by: e.by,
        };
        conn.frames.push(frame);
        if (e.dir === 'in') { conn.framesIn++; conn.bytesIn += e.size; } else { conn.framesOut++; conn.bytesOut += e.size; }
        if (e.buffered !== undefined) conn.buffered.push({ t: e.t, amount: e.buffered });
        break;
      }
      case 'payload': {
        const frame = findFrame(conn, e.of);
        if (frame) { frame.data = e.data; frame.truncated = e.truncated; }
        break;
      }
      case 'buffered':
        conn.buffered.push({ t: e.t, amount: e.amount });
        break;
      case 'close-call':
        conn.closeRequest = { code: e.code, reason: e.reason, t: e.t, ...(e.by ? { by: e.by } : {}) };
        break;
      case 'close':
        conn.close = {
          code: e.code, reason: e.reason, wasClean: e.wasClean, initiator: e.initiator, t: e.t,
          requested: conn.closeRequest, ...(e.simulated ? { simulated: e.simulated } : {}),
        };
        break;
      case 'error':
        conn.problems.push({ t: e.t, what: 'error event' });
        break;
      case 'api-error':
        conn.problems.push({ t: e.t, what: `${e.method}() threw`, error: e.error });
        break;
    }
  }
}

/** Frames are appended in seq order, so search from the end (a Blob payload follows its frame closely). */
function findFrame(conn: Connection, seq: number): Frame | undefined {
  for (let i = conn.frames.length - 1; i >= 0; i--) {
    const f = conn.frames[i]!;
    if (f.seq === seq) return f;
    if (f.seq < seq) return undefined;
  }
  return undefined;
}
