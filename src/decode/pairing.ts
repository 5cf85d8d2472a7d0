/**
 * Request/response pairing over a connection's decoded frames: a response
 * goes to the oldest request with its key that has no response yet, else to
 * the latest one with that key (streams: GraphQL `next`s, SignalR stream items,
 * socket.io acks are one each). Latency is to the first response.
 */
import type { Decoded } from './types';

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

export function pairFrames(items: readonly PairInput[]): Pairing {
  const pairs: Pair[] = [];
  const byIndex = new Map<number, Pair>();
  const orphans: number[] = [];
  const open = new Map<string, Pair[]>();
  items.forEach((item, i) => {
    const p = item.decoded.pairing;
    if (!p || typeof p.key !== 'string') return;
    if (p.role === 'request') {
      const pair: Pair = { key: p.key, request: i, responses: [] };
      pairs.push(pair);
      byIndex.set(i, pair);
      const list = open.get(p.key);
      if (list) list.push(pair); else open.set(p.key, [pair]);
      return;
    }
    const list = open.get(p.key);
    if (!list?.length) { orphans.push(i); return; }
    const waiting = list.findIndex((x) => x.responses.length === 0);
    const pair = waiting >= 0 ? list[waiting]! : list[list.length - 1]!;
    if (pair.responses.length === 0) pair.latency = item.t - items[pair.request]!.t;
    pair.responses.push(i);
    byIndex.set(i, pair);
    // answered requests before the first waiting one can no longer be chosen: drop them (bounded memory)
    if (waiting > 0) list.splice(0, waiting);
  });
  return { pairs, byIndex, orphans };
}
