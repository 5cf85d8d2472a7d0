/**
 * A batch of capture events as it travels from page hook to panel.
 *
 * Frames are the bulk (thousands a second), so they travel in columns — one
 * array per field, connection ids and data types as small indexes — instead of
 * one object each: cloning to the relay and serialising to the extension port
 * then cost a fraction, and both happen on the page's thread. Text sizes are
 * not sent (the panel measures the text) unless the text was cut. Other events
 * travel as they are, with their position in the batch so order is kept.
 *
 * `B` is the binary payload type: ArrayBuffer from the hook, base64 on ports.
 */
import type { CaptureEvent, ConnId, DataType, FrameEvent } from './events';

export const DATA_TYPES: readonly DataType[] = ['string', 'ArrayBuffer', 'Blob', 'DataView', 'Int8Array', 'Uint8Array',
  'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array',
  'Float64Array', 'BigInt64Array', 'BigUint64Array', 'coerced'];

const DATA_TYPE_INDEX: Readonly<Record<string, number>> = Object.fromEntries(DATA_TYPES.map((d, i) => [d, i]));

/** bits of `FrameColumns.flags` */
export const FLAG = { out: 1, binary: 2, truncated: 4, notSent: 8, devtools: 16, noData: 32 } as const;

export interface FrameColumns<B> {
  /** connection ids used in this batch; `conn` holds indexes into it */
  conns: ConnId[];
  conn: number[];
  seq: number[];
  t: number[];
  flags: number[];
  /** index into DATA_TYPES */
  as: number[];
  /** bytes on the wire; -1: a whole text, the panel measures `data` */
  size: number[];
  /** the payload (or '' with FLAG.noData while a Blob is read) */
  data: (string | B)[];
  /** bufferedAmount right after send(); -1: none */
  buffered: number[];
}

export interface Batch<B> {
  /** non-frame events, in order */
  events: CaptureEvent<B>[];
  /** where each of `events` stands in the whole batch */
  at: number[];
  frames: FrameColumns<B>;
}

export const emptyColumns = <B>(): FrameColumns<B> =>
  ({ conns: [], conn: [], seq: [], t: [], flags: [], as: [], size: [], data: [], buffered: [] });

/**
 * Build a batch. A frame's size of -1 (a whole text the hook did not measure)
 * passes as is: the panel measures it. Runs in the page hook: index writes
 * only, no calls on arrays a page could have patched.
 */
export function toBatch<B>(events: readonly CaptureEvent<B>[]): Batch<B> {
  const out: Batch<B> = { events: [], at: [], frames: emptyColumns<B>() };
  const f = out.frames;
  const connIndex = new Map<ConnId, number>();
  // consecutive frames mostly share a connection: skip the map then
  let lastConn = '', lastIndex = 0;
  let ne = 0, nf = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.k !== 'frame') {
      out.events[ne] = e;
      out.at[ne++] = i;
      continue;
    }
    let ci = e.c === lastConn ? lastIndex : connIndex.get(e.c);
    if (ci === undefined) { ci = f.conns.length; f.conns[ci] = e.c; connIndex.set(e.c, ci); }
    lastConn = e.c;
    lastIndex = ci;
    f.conn[nf] = ci;
    f.seq[nf] = e.seq;
    f.t[nf] = e.t;
    f.flags[nf] = (e.dir === 'out' ? FLAG.out : 0) | (e.kind === 'binary' ? FLAG.binary : 0) | (e.truncated ? FLAG.truncated : 0)
      | (e.notSent ? FLAG.notSent : 0) | (e.by ? FLAG.devtools : 0) | (e.data === undefined ? FLAG.noData : 0);
    f.as[nf] = DATA_TYPE_INDEX[e.as] ?? DATA_TYPES.length - 1;
    f.size[nf] = e.size;
    f.data[nf] = e.data ?? '';
    f.buffered[nf] = e.buffered ?? -1;
    nf++;
  }
  return out;
}

/** Turn a (validated) batch back into events, in their original order. */
export function fromBatch<B>(b: Batch<B>, measureText: (s: string) => number): CaptureEvent<B>[] {
  const f = b.frames;
  const out: CaptureEvent<B>[] = new Array(b.events.length + f.seq.length);
  for (let i = 0; i < b.events.length; i++) out[b.at[i]!] = b.events[i]!;
  let j = 0;
  for (let i = 0; i < f.seq.length; i++) {
    while (out[j] !== undefined) j++;
    const flags = f.flags[i]!;
    const data = flags & FLAG.noData ? undefined : f.data[i];
    const frame: FrameEvent<B> = {
      k: 'frame', c: f.conns[f.conn[i]!]!, seq: f.seq[i]!, t: f.t[i]!,
      dir: flags & FLAG.out ? 'out' : 'in', kind: flags & FLAG.binary ? 'binary' : 'text', as: DATA_TYPES[f.as[i]!]!,
      size: f.size[i]! >= 0 ? f.size[i]! : measureText(typeof data === 'string' ? data : ''),
    };
    if (data !== undefined) frame.data = data;
    if (flags & FLAG.truncated) frame.truncated = true;
    if (flags & FLAG.notSent) frame.notSent = true;
    if (flags & FLAG.devtools) frame.by = 'devtools';
    if (f.buffered[i]! >= 0) frame.buffered = f.buffered[i]!;
    out[j++] = frame;
  }
  return out;
}
