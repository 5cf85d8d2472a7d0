/**
 * The in-page history: what the hook remembers so a panel opened later sees
 * everything since load, and a panel that reconnects can catch up.
 *
 * Messages, Blob payloads and bufferedAmount samples are rows of the
 * FrameLog (columns, a ring bounded by count and bytes: the oldest go first,
 * and the panel sees their gap in sequence numbers). Lifecycle events
 * (created, state, open, close …) are kept for every connection, up to
 * `maxConnections` (the oldest closed connection is forgotten first), each
 * with the row number it came at, so rows and events replay in their order.
 * Interception's events can come one per message (a rule acting on every
 * message, with the edited payload): they are bounded like messages, by the
 * caps' count and bytes, the oldest going first (seen as gaps too).
 *
 * Hostile pages: prototype-less lists, index writes, no Map or Array method.
 */
import type { LifecycleEvent } from '../protocol/batch';
import type { ConnId } from '../protocol/events';
import type { HistoryCaps } from '../protocol/messages';
import { FrameLog } from './frame-log';
import type { takeDataNatives } from './natives';

export const DEFAULT_CAPS: HistoryCaps = { maxFrames: 20_000, maxBytes: 32 * 1024 * 1024, maxConnections: 2_000 };

type DataNatives = ReturnType<typeof takeDataNatives>;

/** A lifecycle event and where it stands among the rows. */
export interface LifecycleEntry {
  e: LifecycleEvent;
  /** rows written before it */
  row: number;
}

export class History {
  readonly log: FrameLog;
  /** lifecycle events of every kept connection, in the order they happened */
  private life: LifecycleEntry[];
  /** connections seen (id → true), and those that ended (may be forgotten) */
  private seen: Record<ConnId, true>;
  private ended: Record<ConnId, true>;
  private connections = 0;
  /** intercept events kept, and the bytes of the payloads they carry */
  private intercepts = 0;
  private interceptBytes = 0;

  constructor(private readonly natives: DataNatives, public caps: HistoryCaps = DEFAULT_CAPS) {
    const n = natives;
    this.log = new FrameLog(n, caps.maxFrames, caps.maxBytes);
    this.life = n.list<LifecycleEntry>();
    this.seen = n.dict<true>();
    this.ended = n.dict<true>();
  }

  /** Apply the user's caps (sent by the relay once it has read the settings). */
  setCaps(caps: Partial<HistoryCaps>): void {
    this.caps = {
      maxFrames: caps.maxFrames ?? this.caps.maxFrames,
      maxBytes: caps.maxBytes ?? this.caps.maxBytes,
      maxConnections: caps.maxConnections ?? this.caps.maxConnections,
    };
    this.log.setCaps(this.caps.maxFrames, this.caps.maxBytes);
  }

  addLifecycle(e: LifecycleEvent): LifecycleEntry {
    const entry: LifecycleEntry = { e, row: this.log.written };
    this.life[this.life.length] = entry;
    if (e.k === 'close' || e.k === 'construct-error') this.ended[e.c] = true;
    if (this.seen[e.c] !== true) {
      this.seen[e.c] = true;
      if (++this.connections > this.caps.maxConnections) this.forgetOldestEnded();
    }
    if (e.k === 'intercept') {
      this.intercepts++;
      this.interceptBytes += this.bytesOf(e.data);
      if (this.intercepts > this.caps.maxFrames || this.interceptBytes > this.caps.maxBytes) this.forgetOldIntercepts();
    }
    return entry;
  }

  private bytesOf(data: string | ArrayBuffer | undefined): number {
    if (data === undefined) return 0;
    if (typeof data === 'string') return 2 * data.length;
    try { return this.natives.arrayBufferByteLength(data); } catch { return 0; }
  }

  /** Forget the oldest intercept events until they use half the caps (one pass for many events). */
  private forgetOldIntercepts(): void {
    const kept = this.natives.list<LifecycleEntry>();
    for (let i = 0; i < this.life.length; i++) {
      const entry = this.life[i]!;
      const e = entry.e;
      if (e.k === 'intercept' && (this.intercepts > this.caps.maxFrames / 2 || this.interceptBytes > this.caps.maxBytes / 2)) {
        this.intercepts--;
        this.interceptBytes -= this.bytesOf(e.data);
        continue;
      }
      kept[kept.length] = entry;
    }
    this.life = kept;
  }

  /** Lifecycle events in the order they happened (read-only). */
  get lifecycle(): readonly LifecycleEntry[] {
    return this.life;
  }

  get size(): { frames: number; bytes: number; connections: number } {
    return { frames: this.log.count, bytes: this.log.bytes, connections: this.connections };
  }

  /** Forget the oldest ended connection's lifecycle (its rows age out of the ring anyway). */
  private forgetOldestEnded(): void {
    let gone: ConnId | undefined;
    for (let i = 0; i < this.life.length; i++) {
      const c = this.life[i]!.e.c;
      if (this.ended[c] === true) { gone = c; break; }
    }
    if (gone === undefined) return;
    const kept = this.natives.list<LifecycleEntry>();
    for (let i = 0; i < this.life.length; i++) if (this.life[i]!.e.c !== gone) kept[kept.length] = this.life[i]!;
    this.life = kept;
    delete this.seen[gone];
    delete this.ended[gone];
    this.connections--;
  }
}
