/**
 * The in-page history: what the hook remembers so a panel opened later sees
 * everything since load, and a panel that reconnects can catch up.
 *
 * Lifecycle events (created, state, open, close …) are kept for every
 * connection, up to `maxConnections`; frames, their Blob payloads and
 * bufferedAmount samples go to a ring bounded by count and bytes. The oldest
 * frames are evicted first; the panel sees the gap in sequence numbers and
 * reports those frames as dropped.
 */
import { isLifecycle, type CaptureEvent, type ConnId } from '../protocol/events';
import type { Cursors, HistoryCaps } from '../protocol/messages';

export const DEFAULT_CAPS: HistoryCaps = { maxFrames: 20_000, maxBytes: 32 * 1024 * 1024, maxConnections: 2_000 };

type Event = CaptureEvent<ArrayBuffer>;

/** Memory a kept event's payload takes (UTF-16 for strings), for the byte cap. */
export function payloadBytes(e: Event): number {
  if (e.k !== 'frame' && e.k !== 'payload') return 0;
  const d = e.data;
  return typeof d === 'string' ? d.length * 2 : d === undefined ? 0 : d.byteLength;
}

export class History {
  /** frames ring: a plain array with a moving head, compacted now and then */
  private frames: Event[] = [];
  private head = 0;
  private bytes = 0;
  private lifecycle = new Map<ConnId, Event[]>();
  /** frames evicted so far (the panel counts each connection's gaps from sequence numbers) */
  evicted = 0;

  constructor(public caps: HistoryCaps = DEFAULT_CAPS) {}

  /** Apply the user's caps (sent by the relay once it has read the settings). */
  setCaps(caps: Partial<HistoryCaps>): void {
    this.caps = { ...this.caps, ...caps };
    this.trim();
  }

  add(e: Event): void {
    if (e.k !== 'frame' && isLifecycle(e)) {
      let list = this.lifecycle.get(e.c);
      if (!list) {
        list = [];
        this.lifecycle.set(e.c, list);
        if (this.lifecycle.size > this.caps.maxConnections) this.evictConnection();
      }
      list.push(e);
      return;
    }
    this.frames.push(e);
    this.bytes += payloadBytes(e);
    this.trim();
  }

  private trim(): void {
    while (this.frames.length - this.head > this.caps.maxFrames || this.bytes > this.caps.maxBytes) {
      if (this.head >= this.frames.length) break;
      this.evictOldestFrame();
    }
    if (this.head > 4096 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }

  /** The bytes kept for a frame (in the frame itself, or in its Blob's payload event). */
  findPayload(c: ConnId, seq: number): { data: string | ArrayBuffer; truncated: boolean } | undefined {
    for (let i = this.frames.length - 1; i >= this.head; i--) {
      const e = this.frames[i]!;
      if (e.c !== c) continue;
      if (e.k === 'payload' && e.of === seq) return { data: e.data, truncated: !!e.truncated };
      if (e.k === 'frame' && e.seq === seq) return e.data === undefined ? undefined : { data: e.data, truncated: !!e.truncated };
    }
    return undefined;
  }

  /** Everything after the cursors, each connection in seq order, connections interleaved by time. */
  since(cursors: Cursors): Event[] {
    const after = (e: Event) => e.seq > (cursors[e.c] ?? -1);
    const life: Event[] = [];
    for (const list of this.lifecycle.values()) for (const e of list) if (after(e)) life.push(e);
    life.sort((a, b) => a.t - b.t || (a.c === b.c ? a.seq - b.seq : 0));
    const frames: Event[] = [];
    for (let i = this.head; i < this.frames.length; i++) if (after(this.frames[i]!)) frames.push(this.frames[i]!);
    return mergeByTime(life, frames);
  }

  get size(): { frames: number; bytes: number; connections: number } {
    return { frames: this.frames.length - this.head, bytes: this.bytes, connections: this.lifecycle.size };
  }

  private evictOldestFrame(): void {
    const e = this.frames[this.head]!;
    this.frames[this.head] = undefined as unknown as Event;
    this.head++;
    this.bytes -= payloadBytes(e);
    if (e.k === 'frame') this.evicted++;
  }

  /** Forget the oldest closed connection's lifecycle (its frames age out of the ring anyway). */
  private evictConnection(): void {
    for (const [c, list] of this.lifecycle) {
      if (list.some((e) => e.k === 'close' || e.k === 'construct-error')) {
        this.lifecycle.delete(c);
        return;
      }
    }
  }
}

/** Merge two time-ordered lists, keeping each connection's seq order. */
function mergeByTime(a: Event[], b: Event[]): Event[] {
  const out: Event[] = new Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!;
    const xFirst = x.t < y.t || (x.t === y.t && (x.c !== y.c || x.seq < y.seq));
    out[k++] = xFirst ? a[i++]! : b[j++]!;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
