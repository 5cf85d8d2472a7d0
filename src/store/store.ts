/**
 * Folds capture events into connections and a columnar frame table.
 *
 * Events of one connection arrive in seq order (the hook replays its history
 * in order, then streams live); anything at or below a connection's lastSeq is
 * a duplicate (e.g. re-sent after a service-worker restart) and is ignored, and
 * a jump in seq is counted as dropped. Listeners are told once per ingested
 * batch, not per event.
 *
 * Frames and lifecycle events become rows of one FrameTable (frame-table.ts),
 * in arrival order. The table's estimated size is kept under `memoryCap`: when
 * a batch takes it over, the oldest rows are evicted and counted
 * (`evictedFrames`, `Connection.evicted`) so the panel can say so.
 */
import { bytesToBase64 } from '../protocol/base64';
import { FLAG, NONE, type ColumnBatch, type LifecycleEvent } from '../protocol/batch';
import type { ConnId } from '../protocol/events';
import type { Base64, Cursors, WireEvent } from '../protocol/messages';
import { utf8Length, wellFormed } from '../protocol/utf8';
import { CaptureErrors } from './capture-health';
import { ConnFrames } from './conn-frames';
import { enforceCap } from './eviction';
import { rowAt } from './row-at';
import { AS_LIFECYCLE, NO_BUFFERED, FrameTable, ROW, rowFlags } from './frame-table';
import { IngestStats } from './ingest-stats';
import { describeLifecycle, lifecycleIndex } from './lifecycle';
import type { Connection, Frame, Row } from './model';
import { countFrame, foldLifecycle } from './connection-fold';
import { batchOfEvents } from './events-batch';
import { InterceptFold, type HeldRow } from './intercept-fold';
import { RateSeries } from './rate';

export type Listener = () => void;


/** The event a connection is born from. */
type FirstEvent = Extract<LifecycleEvent<Base64>, { k: 'created' | 'construct-error' }>;

/** The memory cap when the user has not set one (see README, "Memory cap"). */
export const DEFAULT_MEMORY_CAP = 512 * 1024 * 1024;
/** The smallest cap the store accepts. */
export const MIN_MEMORY_CAP = 1024 * 1024;

export class Store {
  readonly connections = new Map<string, Connection>();
  /** connections in creation order (what the list shows) */
  readonly order: Connection[] = [];
  /** every connection by `index` (the frame table's conn column); removed ones are undefined */
  private readonly byIndex: (Connection | undefined)[] = [];
  readonly table = new FrameTable();
  /** what interception did to messages, and what it holds now (intercept-fold.ts) */
  readonly intercepts = new InterceptFold();
  private listeners = new Set<Listener>();
  /** bumped on every change; views compare it to skip work */
  version = 0;
  /** bumped when rows go other than oldest-first (Clear, a new document): views rebuild */
  epoch = 0;
  /** capture → panel latency and throughput */
  readonly stats = new IngestStats();
  /** estimated bytes the frame table may hold before the oldest rows are evicted */
  memoryCap: number;
  /** frames evicted by the memory cap since the last Clear */
  evictedFrames = 0;
  /** connections forgotten by Clear: their lastSeq, so a replay after a reconnect does not bring them back */
  private readonly forgotten = new Map<string, { frameId: number; hook: string; id: ConnId; lastSeq: number }>();
  /** what failed in capture (counted, shown, never silent) */
  readonly failures = new CaptureErrors();
  /** the last connection an event went to (a batch is mostly one connection's frames) */
  private hot: { frameId: number; id: ConnId; conn: Connection } | null = null;

  constructor(opts: { memoryCap?: number } = {}) {
    this.memoryCap = Math.max(MIN_MEMORY_CAP, opts.memoryCap ?? DEFAULT_MEMORY_CAP);
  }

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

  /** Tell listeners something held here changed outside a batch (a held message the page no longer holds). */
  touch(): void {
    this.changed();
  }

  /**
   * Other panel memory that counts against the cap (the decoders' summaries
   * and fields, which go with their frames): frames are kept under the cap
   * minus it. Called when the cap is enforced (a batch, a new cap, fitCap).
   */
  extraMemory: () => number = () => 0;

  /** Estimated bytes held now (frames, and what counts with them). */
  get memoryUsed(): number {
    return this.table.used + this.heldExtra();
  }

  /** What counts against the cap besides the table: interception's records of held frames, and `extraMemory`. */
  private readonly heldExtra = (): number => {
    const ic = this.intercepts;
    if (!ic.empty) ic.dropEvicted((c) => this.oldestSeq(c));
    return ic.bytes + this.extraMemory();
  };

  /** The seq of a connection's oldest held frame (older messages are gone); Infinity when the connection is. */
  private oldestSeq(c: Connection): number {
    if (this.connections.get(c.key) !== c) return Infinity;
    const first = c.frames.length ? this.table.pos(c.frames.idAt(0)) : -1;
    return first >= 0 ? this.table.seq.data[first]! : c.lastSeq + 1;
  }

  /** Frames held now (all connections). */
  get framesHeld(): number {
    let n = 0;
    for (const c of this.order) n += c.frames.length;
    return n;
  }

  /** The connection a row belongs to, by its index. */
  connAt(index: number): Connection | undefined {
    return this.byIndex[index];
  }

  /** What this store already holds from one hook: the attach cursors. */
  cursorsFor(frameId: number, hook: string): Cursors {
    const out: Cursors = {};
    for (const f of this.forgotten.values()) if (f.frameId === frameId && f.hook === hook) out[f.id] = f.lastSeq;
    for (const c of this.order) if (c.frameId === frameId && c.hook === hook) out[c.id] = c.lastSeq;
    return out;
  }

  /**
   * Take in column batches (protocol/batch.ts) from one or more frames: every row appended to the
   * frame table as it is, every lifecycle event folded in, in order; listeners are told once.
   */
  ingestBatches(items: readonly { frameId: number; hook: string; batch: ColumnBatch }[]): void {
    const now = performance.timeOrigin + performance.now();
    let touched = false;
    for (const { frameId, hook, batch } of items) {
      try {
        this.stats.batch(batch.cols.t, batch.events, now);
        touched = this.applyBatch(frameId, hook, batch) || touched;
        const connOf = (n: number) => this.connections.get(Store.key(frameId, `${hook}.${n}`));
        if (batch.health) touched = this.failures.apply(Store.key(frameId, hook), batch.health, connOf) || touched;
      } catch {
        // a batch the panel could not take in: its rows show as gaps (dropped), and the failure is counted
        this.failures.panel++;
        touched = true;
      }
    }
    if (touched) {
      this.enforceCap();
      this.changed();
    }
  }

  ingestBatch(frameId: number, hook: string, batch: ColumnBatch): void {
    this.ingestBatches([{ frameId, hook, batch }]);
  }

  /** Capture events as objects (imported files, tests): the same way in, as one batch. */
  ingest(frameId: number, hook: string, events: readonly WireEvent[]): void {
    this.ingestBatch(frameId, hook, batchOfEvents(events));
  }

  /** Capture failures so far (see CaptureErrors): never silent. */
  get captureErrors(): number {
    return this.failures.total;
  }

  /** The panel could not take in a message: counted with the capture errors. */
  noteCaptureError(): void {
    this.failures.panel++;
    this.changed();
  }

  /** Evict now if the panel holds more than the cap (the extra memory grew). */
  fitCap(): void {
    const before = this.evictedFrames;
    this.enforceCap();
    if (this.evictedFrames !== before) this.changed();
  }

  /** Change the memory cap; evicts at once when the panel holds more. */
  setMemoryCap(bytes: number): void {
    this.memoryCap = Math.max(MIN_MEMORY_CAP, Math.floor(bytes));
    this.enforceCap();
    this.changed();
  }

  /**
   * Forget captured traffic. Sockets that are still live keep their row (so
   * their next frames have a home) but lose their frames and counts.
   */
  clear(): void {
    const live = this.order.filter((c) => !c.imported && !c.close && c.state !== 3 && c.state !== 'failed');
    for (const c of this.order) {
      if (!live.includes(c)) this.forgotten.set(c.key, { frameId: c.frameId, hook: c.hook, id: c.id, lastSeq: c.lastSeq });
    }
    this.dropAll();
    this.intercepts.clearRecords();
    for (const c of live) {
      // a socket whose messages are not being recorded (lightweight mode) still says so
      const paused = c.recording?.at(-1)?.frames === false ? c.recording.slice(-1) : undefined;
      Object.assign(c, { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, buffered: [], problems: [], dropped: 0, evicted: 0, recording: paused });
      c.frames = new ConnFrames(this);
      c.rate.clear();
      this.connections.set(c.key, c);
      this.order.push(c);
      this.byIndex[c.index] = c;
    }
    this.changed();
  }

  /** Forget everything captured, live sockets included (a new document in the top frame); imported files stay. */
  reset(): void {
    this.forgotten.clear();
    this.failures.forget();
    if (this.order.some((c) => c.imported)) {
      this.dropWhere((c) => !c.imported);
      return;
    }
    this.dropAll();
    this.intercepts.clear();
    this.changed();
  }

  /** Forget everything from one frame's previous document (navigation without preserve log); imported files stay. */
  dropFrame(frameId: number, keepHook: string): void {
    for (const [k, f] of this.forgotten) if (f.frameId === frameId && f.hook !== keepHook) this.forgotten.delete(k);
    this.failures.forget((k) => k.startsWith(`${frameId}/`) && k !== Store.key(frameId, keepHook));
    this.dropWhere((c) => c.frameId === frameId && c.hook !== keepHook && !c.imported);
  }

  /** Drop connections by key (a network-log copy whose hook record turned up: the hook's record wins). */
  remove(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const gone = new Set(keys);
    this.dropWhere((c) => gone.has(c.key));
  }

  /** Mark connections as read from a file (see Connection.imported). */
  markImported(keys: Iterable<string>, source: string): void {
    for (const k of keys) { const c = this.connections.get(k); if (c) c.imported = source; }
    this.changed();
  }

  private dropWhere(pred: (c: Connection) => boolean): void {
    const gone = this.order.filter(pred);
    if (gone.length === 0) return;
    const mask = new Uint8Array(this.byIndex.length);
    for (const c of gone) {
      mask[c.index] = 1;
      this.connections.delete(c.key);
      this.byIndex[c.index] = undefined;
    }
    const keep = this.order.filter((c) => !mask[c.index]);
    this.order.splice(0, this.order.length, ...keep);
    const t = this.table;
    const conn = t.conn.data;
    for (let p = t.firstPos, end = t.firstPos + t.rows; p < end; p++) if (mask[conn[p]!]) t.remove(p);
    if (this.hot && mask[this.hot.conn.index]) this.hot = null;
    this.intercepts.dropEvicted((c) => this.oldestSeq(c));
    this.epoch++;
    this.changed();
  }

  /** Fill in a frame's full payload fetched on demand. */
  setPayload(key: string, seq: number, data: string | Base64, truncated: boolean): void {
    const conn = this.connections.get(key);
    const p = conn ? this.findFramePos(conn, seq) : -1;
    if (p < 0) return;
    this.table.setPayload(p, typeof data === 'string' ? data : data.b64, truncated);
    this.enforceCap();
    this.changed();
  }

  /** The frame with this id, as a fresh object; undefined when evicted, removed, or not a frame. */
  frame(id: number): Frame | undefined {
    const r = this.row(id);
    return r && !('lifecycle' in r) ? r : undefined;
  }

  /** Is this row a message the page (or DevTools) sent, still held? (No object is made.) */
  isSentFrame(id: number): boolean {
    const t = this.table;
    const p = t.pos(id);
    return p >= 0 && !t.isLifecycle(p) && (t.flags.data[p]! & (ROW.out | ROW.removed)) === ROW.out;
  }

  /** Rows held now (frames and lifecycle rows, all connections). */
  get rowsHeld(): number {
    return this.table.rows;
  }

  /** A row of the grid (a frame or a lifecycle event), as a fresh object. */
  row(id: number): Row | undefined {
    return rowAt(this.table, this.byIndex, id);
  }

  private dropAll(): void {
    this.connections.clear();
    this.order.length = 0;
    this.byIndex.fill(undefined);
    this.table.clear();
    this.evictedFrames = 0;
    this.hot = null;
    this.epoch++;
  }

  private enforceCap(): void {
    this.evictedFrames += enforceCap(this.table, this.byIndex, this.memoryCap, this.heldExtra);
  }

  /** The connection an event or row belongs to (made on its first event); undefined when it was cleared. */
  private connFor(frameId: number, hook: string, id: ConnId, seq: number, first: FirstEvent | undefined, t: number): Connection | undefined {
    const h = this.hot;
    if (h && h.frameId === frameId && h.id === id) return h.conn;
    const key = Store.key(frameId, id);
    let conn = this.connections.get(key);
    if (!conn) {
      const gone = this.forgotten.get(key);
      if (gone && gone.hook === hook && seq <= gone.lastSeq) return undefined;
      conn = this.newConnection(key, frameId, hook, id, first, t);
      // news from a cleared connection: what was cleared is not "dropped"
      if (gone) { conn.lastSeq = gone.lastSeq; this.forgotten.delete(key); }
    }
    this.hot = { frameId, id, conn };
    return conn;
  }

  /** Is this the connection's next event? Counts a gap as dropped; false for duplicates. */
  private accept(conn: Connection, seq: number): boolean {
    if (seq <= conn.lastSeq) return false;
    if (seq > conn.lastSeq + 1) conn.dropped += seq - conn.lastSeq - 1;
    conn.lastSeq = seq;
    return true;
  }

  private applyBatch(frameId: number, hook: string, b: ColumnBatch): boolean {
    const c = b.cols;
    const t = this.table;
    const idOf = b.connIds ? (n: number) => b.connIds![n]! : (n: number) => `${hook}.${n}`;
    let touched = false;
    let e = 0, textAt = 0, binAt = 0;
    const texts = b.texts;
    for (let r = 0; r <= b.rows; r++) {
      while (e < b.events.length && b.at[e]! <= r) touched = this.applyLifecycle(frameId, hook, b.events[e++]!) || touched;
      if (r === b.rows) break;
      const tl = c.textLen[r]!, bl = c.binLen[r]!;
      const fromBin = binAt;
      binAt += bl;
      const text = tl > 0 ? texts[textAt++] : undefined;
      const seq = c.seq[r]!;
      const conn = this.connFor(frameId, hook, idOf(c.conn[r]!), seq, undefined, c.t[r]!);
      if (!conn || !this.accept(conn, seq)) continue;
      touched = true;
      const flags = c.flags[r]!;
      const data = text ?? (bl > 0 || flags & FLAG.binary ? bytesToBase64(b.binary.subarray(fromBin, fromBin + bl)) : undefined);
      if (flags & FLAG.sample) {
        conn.buffered.push({ t: c.t[r]!, amount: c.aux[r]!, seq });
      } else if (flags & FLAG.payload) {
        const p = this.findFramePos(conn, c.aux[r]!);
        if (p >= 0 && data !== undefined) t.setPayload(p, data, (flags & FLAG.truncated) !== 0);
        (conn.payloadSeqs ??= {})[c.aux[r]!] = seq;
      } else {
        this.appendFrame(conn, c.t[r]!, seq, flags, c.as[r]!, c.size[r]!, c.aux[r]!, (flags & FLAG.noData) ? undefined : data ?? '');
      }
    }
    return touched;
  }

  /** One message as a row; its size measured here when the hook left it to the panel (a whole text). */
  private appendFrame(conn: Connection, time: number, seq: number, flags: number, as: number, size: number, aux: number, data: string | undefined): void {
    let text = data;
    // a sent text goes out as UTF-8, lone surrogates as U+FFFD: show what went on the wire
    if (text !== undefined && (flags & (FLAG.out | FLAG.binary)) === FLAG.out) text = wellFormed(text);
    const bytes = size === NONE ? utf8Length(text ?? '') : size;
    const id = this.table.append(conn.index, seq, time, rowFlags(flags), as, bytes, aux === NONE ? NO_BUFFERED : aux, text);
    conn.frames.ids.push(id);
    countFrame(conn, time, (flags & FLAG.out) !== 0, bytes, aux === NONE ? undefined : aux);
  }

  private applyLifecycle(frameId: number, hook: string, e: LifecycleEvent<Base64>): boolean {
    const first = e.k === 'created' || e.k === 'construct-error' ? e : undefined;
    const conn = this.connFor(frameId, hook, e.c, e.seq, first, e.t);
    if (!conn || !this.accept(conn, e.seq)) return false;
    if (e.k === 'intercept') {
      this.intercepts.fold(conn, e, () => this.heldRow(conn, e.of));
      return true;
    }
    const life = lifecycleIndex(e.k);
    if (life >= 0) this.table.append(conn.index, e.seq, e.t, 0, AS_LIFECYCLE | life, 0, NO_BUFFERED, describeLifecycle(e));
    foldLifecycle(conn, e);
    return true;
  }

  /** A held message's row: its id and payload as captured. */
  private heldRow(conn: Connection, seq: number): HeldRow | undefined {
    const p = this.findFramePos(conn, seq);
    if (p < 0) return undefined;
    const t = this.table;
    const flags = t.flags.data[p]!;
    const s = t.payload[p];
    const binary = (flags & ROW.binary) !== 0;
    return {
      rowId: t.firstId + (p - t.firstPos), size: t.size.data[p]!, kind: binary ? 'binary' : 'text', truncated: (flags & ROW.truncated) !== 0,
      data: s === undefined || flags & ROW.noData ? undefined : binary ? { b64: s } : s,
    };
  }

  private newConnection(key: string, frameId: number, hook: string, id: ConnId, first: FirstEvent | undefined, t: number): Connection {
    // A connection is born from its first event; if that was dropped we still show what follows.
    const conn: Connection = {
      key, frameId, hook, id,
      url: first?.url ?? '(connection opened before capture history)',
      resolvedUrl: first?.k === 'created' ? first.resolvedUrl : first?.url ?? '',
      protocols: first?.protocols,
      frameUrl: first?.frameUrl ?? '',
      subclass: first?.k === 'created' ? first.subclass : undefined,
      ...(first?.k === 'created' && first.stack ? { stack: first.stack } : {}),
      ...(first?.k === 'created' && first.source ? { source: first.source } : {}),
      ...(first?.k === 'created' && first.network ? { network: true } : {}),
      state: first?.k === 'construct-error' ? 'failed' : 0,
      createdAt: t,
      framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0,
      timeline: [], buffered: [], problems: [], frames: new ConnFrames(this),
      index: this.byIndex.length,
      lastSeq: -1, dropped: 0, evicted: 0,
      rate: new RateSeries(t),
      ...(first ? {} : { partial: true }),
    };
    this.byIndex.push(conn);
    this.connections.set(key, conn);
    this.order.push(conn);
    return conn;
  }

  /** Frames are appended in seq order, so search from the end (a Blob payload follows its frame closely). */
  private findFramePos(conn: Connection, seq: number): number {
    const ids = conn.frames.ids;
    for (let i = ids.length - 1; i >= 0; i--) {
      const p = this.table.pos(ids.at(i));
      if (p < 0) return -1;
      const s = this.table.seq.data[p]!;
      if (s === seq) return p;
      if (s < seq) return -1;
    }
    return -1;
  }
}
