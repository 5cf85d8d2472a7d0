/**
 * The hook's end of the private channel to the relay.
 *
 * Handshake: the hook creates a MessageChannel and posts one port to its own
 * window; the relay (an isolated-world script registered earlier at
 * document_start) takes it and stops the message there, so page listeners never
 * see it. If the relay started later, its 'ready' message asks for the
 * handshake again. After that, everything travels over the private port.
 *
 * Nothing is sent until a panel attaches. On attach the history after the
 * panel's cursors goes first, then live rows and events in column batches
 * (protocol/batch.ts): one post per flush interval (longer while posts carry
 * few rows: flush-pacing.ts) or per `maxBatch` items, never one per message.
 * The stream keeps no copy of what it sends: it
 * remembers the number of the last row it sent, and builds each batch from
 * the log (rows the ring overwrote before they were sent show as gaps in
 * sequence numbers, counted as dropped by the panel).
 *
 * DevTools commands (send, inject, close …) come only on this private port,
 * from the relay; each is run by `runCommand` and answered with its result.
 *
 * Messages from the relay are read through own properties only: a page may
 * put getters on Object.prototype for the fields a message lacks.
 */
import { HEALTH_MAX_CONNS, type CaptureHealth, type LifecycleEvent } from '../protocol/batch';
import {
  envelope, HANDSHAKE, LIMITS, RELAY_READY, type CommandResult, type Cursors, type HistoryCaps, type HookToRelay,
} from '../protocol/messages';
import { BatchWriter } from './batch-writer';
import { FlushPacing } from './flush-pacing';
import type { History } from './history';
import { itemsOf, onlyItem } from './iterable';
import type { Natives } from './natives';

export interface StreamOptions {
  hookId: string;
  history: History;
  /** largest payload sent in the stream; bigger ones are cut and fetched on demand */
  previewBytes: number;
  /** the wait before a post (flush-pacing.ts: the shortest one; while posts carry few rows, up to `longestFlushMs`) */
  flushMs: number;
  longestFlushMs: number;
  /** runs a DevTools command (actions.ts); only this private channel can reach it */
  runCommand: (cmd: unknown) => CommandResult;
  /** a panel is attached (or coming back after a background restart) or not, or the user's lightweight setting changed */
  onChange: (s: { attached: boolean; lightweight: boolean }) => void;
  /** the panel detached (or the page is being hidden): interception must let go */
  onDetach: () => void;
  /** the relay's `ready` message (the user's options), read through its own fields only */
  onReady?: (field: (key: string) => unknown) => void;
  /** sees every message from the relay first (deep-captured workers take theirs: workers.ts); true: handled */
  onRelayMessage?: (m: Rec, field: (key: string) => unknown) => boolean;
}

/** After the background restarted, how long a panel has to come back before lightweight mode stops recording. */
const PANEL_RETURN_MS = 10_000;

type Rec = Record<string, unknown>;

export class Stream {
  private port: MessagePort | null = null;
  private attached = false;
  private lightweight = false;
  /** the background restarted while a panel was attached: it is probably coming back (lightweight mode keeps recording) */
  private awaited = false;
  /** tells the latest wait for a returning panel from earlier ones */
  private waits = 0;
  /** rows before this number were sent (or skipped) */
  private sentRow = 0;
  /** lifecycle events since the last post, with the row number each came at */
  private pending: { e: LifecycleEvent; row: number }[];
  private flushTimer = false;
  private announced = false;
  private wantsAnnounce = false;
  private writer: BatchWriter | undefined;
  private readonly pacing: FlushPacing;
  /** errors the hook caught in itself (never silent: every batch says how many, see `failed`) */
  private errors = 0;
  /** of those, per connection number */
  private connErrors: Record<number, number>;
  /** errors since the last post: a batch must go out even with no rows */
  private errorsUnsent = false;

  constructor(private readonly win: typeof globalThis, private readonly natives: Natives, private readonly options: StreamOptions) {
    this.pending = natives.list();
    this.pacing = new FlushPacing(options.flushMs, options.longestFlushMs);
    this.connErrors = natives.dict<number>() as unknown as Record<number, number>;
  }

  /**
   * The hook caught an error of its own (about connection `conn`, if known): counted, and told to an
   * attached panel with the next batch — sent soon even if nothing else is. Only ever called in catch
   * blocks; never throws.
   */
  failed(conn?: number): void {
    try {
      this.errors++;
      if (conn !== undefined) this.connErrors[conn] = (this.connErrors[conn] ?? 0) + 1;
      this.errorsUnsent = true;
      if (this.attached && !this.flushTimer) this.schedule();
    } catch { /* counting must not fail in turn */ }
  }

  /** The counts for a batch (undefined while there are none). */
  private health(): CaptureHealth | undefined {
    if (this.errors === 0) return undefined;
    this.errorsUnsent = false;
    const conns = this.natives.list<number>();
    for (const k in this.connErrors) {
      if (conns.length >= HEALTH_MAX_CONNS * 2) break;
      conns[conns.length] = +k;
      conns[conns.length] = this.connErrors[k as unknown as number]!;
    }
    return { hookErrors: this.errors, connErrors: conns };
  }

  /** Offer the channel to the relay, and again whenever a (late) relay says it is ready. */
  open(): void {
    const n = this.natives;
    const onWindowMessage = (ev: MessageEvent) => {
      try {
        if (n.messageSource(ev) !== (this.win as unknown as Window)) return;
        const d = n.messageData(ev);
        if (typeof d !== 'object' || d === null || this.own(d as Rec, 'type') !== RELAY_READY) return;
        n.stopImmediatePropagation(ev);
        if (!n.eventIsTrusted(ev)) return; // a page's synthetic event
        if (!this.port) this.handshake();
      } catch { this.failed(); }
    };
    n.addEventListener(this.win as unknown as EventTarget, 'message', onWindowMessage as (e: Event) => void, true);
    this.handshake();
  }

  private handshake(): void {
    const n = this.natives;
    const ch = new n.MessageChannel();
    const mine = n.channelPort1(ch);
    n.portOnMessage(mine, (ev: MessageEvent) => {
      try {
        if (this.port !== mine) {
          // the relay answered on this channel: it is the one
          this.port = mine;
          this.sendAnnounce();
        }
        this.command(n.messageData(ev));
      } catch { this.failed(); }
    });
    // the transfer list as the hook's own iterable: an array would be iterated with the page's Array.prototype
    n.postMessage({ type: HANDSHAKE, hook: this.options.hookId }, '*', onlyItem(n.channelPort2(ch)) as Transferable[]);
  }

  /** A field the relay's message has itself (never one from a prototype). */
  private own(m: Rec, key: string): unknown {
    return this.natives.hasOwn(m, key) ? m[key] : undefined;
  }

  /** Post a message of another hook of this page (a deep-captured worker's) to the relay, as it is. */
  forward(msg: unknown, transfer?: Transferable[]): void {
    if (this.port) this.natives.portPostMessage(this.port, msg, transfer);
  }

  /** A worker script is about to load that its hook should be put in front of (Firefox: deep capture of workers). */
  workerScript(url: string, base: number): void {
    if (this.port) this.natives.portPostMessage(this.port, envelope('wsi-hook', { type: 'worker-script' as const, url, base }));
  }

  /** The first socket exists: ask the relay to connect to the extension. */
  announce(): void {
    this.wantsAnnounce = true;
    this.sendAnnounce();
  }

  private sendAnnounce(): void {
    if (this.announced || !this.wantsAnnounce || !this.port) return;
    this.announced = true;
    this.natives.portPostMessage(this.port, envelope('wsi-hook', { type: 'active' as const }));
  }

  /** A row was written to the log (the hot path: one check unless a panel is attached). */
  wrote(): void {
    if (!this.attached) return;
    if (this.options.history.log.written - this.sentRow >= LIMITS.eventsPerBatch) this.flush();
    else if (!this.flushTimer) this.schedule();
  }

  /** A lifecycle event was recorded (after it went into history). */
  lifecycle(e: LifecycleEvent, row: number): void {
    if (!this.attached) return;
    this.pending[this.pending.length] = { e, row };
    if (this.pending.length >= LIMITS.eventsPerBatch) this.flush();
    else if (!this.flushTimer) this.schedule();
  }

  private schedule(): void {
    this.flushTimer = true;
    this.natives.setTimeout(() => {
      this.flushTimer = false;
      try { this.flush(); } catch { this.failed(); }
    }, this.pacing.next(this.natives.now()));
  }

  private command(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const m = raw as Rec;
    if (this.own(m, 'src') !== 'wsi-relay') return;
    if (this.options.onRelayMessage?.(m, (key) => this.own(m, key))) return;
    switch (this.own(m, 'type')) {
      case 'ready': {
        const caps = this.own(m, 'caps');
        if (typeof caps === 'object' && caps !== null) this.options.history.setCaps(this.capsOf(caps as Rec));
        this.options.onReady?.((key) => this.own(m, key));
        const lightweight = this.own(m, 'lightweight');
        if (typeof lightweight === 'boolean' && lightweight !== this.lightweight) {
          this.lightweight = lightweight;
          this.changed();
        }
        return;
      }
      case 'attach': {
        const cursors = this.own(m, 'cursors');
        this.attached = false;
        this.pending = this.natives.list();
        this.backlog(typeof cursors === 'object' && cursors !== null ? cursors as Cursors : {});
        this.attached = true;
        this.awaited = false;
        this.changed();
        return;
      }
      case 'detach': {
        // a restart of the background is not the panel going: keep recording a while for its return
        this.awaited = this.own(m, 'restarting') === true && this.attached;
        this.attached = false;
        this.pending = this.natives.list();
        this.options.onDetach();
        if (this.awaited) {
          const wait = ++this.waits;
          this.natives.setTimeout(() => {
            if (!this.awaited || wait !== this.waits) return;
            this.awaited = false;
            this.changed();
          }, PANEL_RETURN_MS);
        }
        this.changed();
        return;
      }
      case 'fetch-payload': {
        const req = this.own(m, 'req'), c = this.own(m, 'c'), seq = this.own(m, 'seq');
        if (typeof req !== 'number' || typeof c !== 'string' || typeof seq !== 'number') return;
        const conn = this.connNumber(c);
        const found = conn < 0 ? undefined : this.options.history.log.findPayload(conn, seq);
        const reply: HookToRelay = found
          ? envelope('wsi-hook', { type: 'payload' as const, req, c, seq, data: found.data, truncated: found.truncated })
          : envelope('wsi-hook', { type: 'payload' as const, req, c, seq, error: 'no longer in the page history' });
        if (this.port) this.natives.portPostMessage(this.port, reply);
        return;
      }
      case 'command': {
        const req = this.own(m, 'req');
        if (typeof req !== 'number') return;
        const result = this.options.runCommand(this.own(m, 'cmd'));
        if (this.port) this.natives.portPostMessage(this.port, envelope('wsi-hook', { type: 'command-result' as const, req, result }));
        return;
      }
    }
  }

  /** The user's history caps, as numbers the message itself holds. */
  private capsOf(c: Rec): Partial<HistoryCaps> {
    const cap = (key: keyof HistoryCaps): number | undefined => {
      const v = this.own(c, key);
      return typeof v === 'number' && v >= 1 && v <= 1e9 ? v : undefined;
    };
    return { maxFrames: cap('maxFrames'), maxBytes: cap('maxBytes'), maxConnections: cap('maxConnections') };
  }

  /** The number of one of this hook's connection ids (`${hookId}.${n}`), or -1. */
  private connNumber(id: string): number {
    const prefix = `${this.options.hookId}.`;
    if (id.length <= prefix.length || this.natives.strSlice(id, 0, prefix.length) !== prefix) return -1;
    const v = +this.natives.strSlice(id, prefix.length, id.length);
    return v >= 0 && v === (v | 0) ? v : -1;
  }

  private changed(): void {
    this.options.onChange({ attached: this.attached || this.awaited, lightweight: this.lightweight });
  }

  private writerOf(): BatchWriter {
    return this.writer ??= new BatchWriter(this.natives, this.options.history.log, this.options.previewBytes, LIMITS.eventsPerBatch);
  }

  /** Post the rows written and the events recorded since the last post. */
  flush(): void {
    const log = this.options.history.log;
    const from = this.sentRow > log.oldest ? this.sentRow : log.oldest;
    if (from >= log.written && this.pending.length === 0 && !this.errorsUnsent) return;
    const w = this.writerOf();
    const pending = this.pending;
    this.pending = this.natives.list();
    let k = 0;
    for (let row = from; row < log.written; row++) {
      while (k < pending.length && pending[k]!.row <= row) w.addEvent(pending[k++]!.e);
      w.addRow(row);
      if (w.full) this.post(w);
    }
    while (k < pending.length) {
      w.addEvent(pending[k++]!.e);
      if (w.full) this.post(w);
    }
    this.sentRow = log.written;
    this.post(w);
  }

  /** Everything after the panel's cursors: every kept lifecycle event and held row, in their order. */
  private backlog(cursors: Cursors): void {
    const log = this.options.history.log;
    const life = this.options.history.lifecycle;
    const w = this.writerOf();
    // cursors by connection number, for rows: -1 = none
    const byNumber = this.natives.list<number>();
    const after = (id: string) => (this.natives.hasOwn(cursors, id) && typeof cursors[id] === 'number' ? cursors[id]! : -1);
    const cursorOf = (conn: number) => {
      let v = byNumber[conn];
      if (v === undefined) byNumber[conn] = v = after(`${this.options.hookId}.${conn}`);
      return v;
    };
    let k = 0;
    for (let row = log.oldest; row < log.written; row++) {
      while (k < life.length && life[k]!.row <= row) {
        const entry = life[k++]!;
        if (entry.e.seq > after(entry.e.c)) w.addEvent(entry.e);
        if (w.full) this.post(w);
      }
      const i = log.index(row);
      if (log.seq[i]! > cursorOf(log.conn[i]!)) w.addRow(row);
      if (w.full) this.post(w);
    }
    while (k < life.length) {
      const entry = life[k++]!;
      if (entry.e.seq > after(entry.e.c)) w.addEvent(entry.e);
      if (w.full) this.post(w);
    }
    this.sentRow = log.written;
    this.post(w);
  }

  private post(w: BatchWriter): void {
    if (w.items === 0 && !this.errorsUnsent) return;
    this.pacing.posted(w.items, this.natives.now());
    const batch = w.take(this.health());
    if (!this.port) return;
    // the batch's two buffers are the writer's fresh ones: handed to the relay, not copied again (a clone
    // copies them on each side of this same thread; README Performance has the measurement)
    const transfer = this.natives.list<Transferable>();
    transfer[0] = batch.cols;
    transfer[1] = batch.binary;
    this.natives.portPostMessage(this.port, envelope('wsi-hook', { type: 'batch' as const, batch }), itemsOf(transfer) as Transferable[]);
  }
}
