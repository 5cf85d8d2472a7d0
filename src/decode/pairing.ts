/**
 * Request/response pairing over a connection's decoded frames: a response
 * goes to the oldest request with its key that has no response yet, else to
 * the latest one with that key (streams: GraphQL `next`s, SignalR stream items,
 * socket.io acks are one each). Latency is to the first response.
 */
import type { Decoded, Pairing as PairingKey } from './types';

export interface PairInput { t: number; decoded: Pick<Decoded, 'pairing'> }

export interface Pair {
  key: string;
  /** index of the request in the input */
  request: number;
  /** indexes of its responses, in order */
  responses: number[];
  /** ms from the request to its first response */
  latency?: number;
}

export interface Pairing {
  pairs: Pair[];
  /** frame index → its pair (for requests and responses alike) */
  byIndex: Map<number, Pair>;
  /** responses whose request was not seen (e.g. captured before history began) */
  orphans: number[];
}

/**
 * Pairing fed one frame at a time (the panel decodes a live connection
 * incrementally); `index` is any increasing number (an input position, a frame id).
 */
export class PairTracker {
  readonly pairs: Pair[] = [];
  readonly byIndex = new Map<number, Pair>();
  readonly orphans: number[] = [];
  private readonly open = new Map<string, Pair[]>();
  /** a request's time, by its index, while it may still get its first response */
  private readonly sentAt = new Map<number, number>();

  /** `keepList`: keep `pairs` and `orphans` (a batch pairing); a live one keeps only `byIndex`, trimmed with dropBelow */
  constructor(private readonly keepList = true) {}

  /** Add the next frame; returns its pair (undefined when it has no pairing or is an orphan). */
  add(index: number, t: number, p: PairingKey | undefined): Pair | undefined {
    if (!p || typeof p.key !== 'string') return undefined;
    if (p.role === 'request') {
      const pair: Pair = { key: p.key, request: index, responses: [] };
      if (this.keepList) this.pairs.push(pair);
      this.byIndex.set(index, pair);
      this.sentAt.set(index, t);
      const list = this.open.get(p.key);
      if (list) list.push(pair); else this.open.set(p.key, [pair]);
      return pair;
    }
    const list = this.open.get(p.key);
    if (!list?.length) { if (this.keepList) this.orphans.push(index); return undefined; }
    const waiting = list.findIndex((x) => x.responses.length === 0);
    const pair = waiting >= 0 ? list[waiting]! : list[list.length - 1]!;
    if (pair.responses.length === 0) {
      pair.latency = t - (this.sentAt.get(pair.request) ?? t);
      this.sentAt.delete(pair.request);
    }
    pair.responses.push(index);
    this.byIndex.set(index, pair);
    // answered requests before the first waiting one can no longer be chosen: drop them (bounded memory)
    if (waiting > 0) list.splice(0, waiting);
    return pair;
  }

  /** Forget pairs of frames below `index` (frames evicted from the panel). */
  dropBelow(index: number): void {
    for (const k of this.byIndex.keys()) { if (k >= index) break; this.byIndex.delete(k); }
    for (const k of this.sentAt.keys()) { if (k >= index) break; this.sentAt.delete(k); }
  }
}

export function pairFrames(items: readonly PairInput[]): Pairing {
  const tracker = new PairTracker();
  items.forEach((item, i) => tracker.add(i, item.t, item.decoded.pairing));
  return { pairs: tracker.pairs, byIndex: tracker.byIndex, orphans: tracker.orphans };
}
