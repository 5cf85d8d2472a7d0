/**
 * One connection's decoding. Stateful decoders (socket.io binary attachments,
 * MQTT packets split across messages) must see the frames in order, once: for
 * them every frame's summary and fields are kept compactly (about 100–250
 * bytes a frame, counted in `bytes`), decoded as far as asked (`advance`, in
 * slices). Stateless decoders (all the others) decode any frame on its own, so
 * nothing is kept per frame: a small cache holds the rows looked at lately
 * (the grid's), and a filter decodes as it scans. Either way the full result
 * with its tree is kept only for recent frames and made again on demand, and
 * request/response pairing is built incrementally over the frames in order.
 * Results of frames the memory cap evicted go with them.
 *
 * Only type imports from '../index': the decoder bundle is passed in (it is
 * loaded lazily, see decoding.ts).
 */
import type * as DecodeApi from '../index';
import type { Decoded, Decoder, Pair } from '../index';
import { IdList } from '../../store/columns';
import type { ConnFrames } from '../../store/conn-frames';
import type { DecodedFacts } from '../../store/field-terms';
import type { Frame } from '../../store/model';

type Api = typeof DecodeApi;
type Fields = Decoded['fields'];

/** Full results kept per connection (the detail view of recent frames). */
const RECENT = 256;
/** Summaries kept for a stateless decoder's rows looked at lately (the grid's rows in view, and more). */
const LATELY = 2048;
/** How many frames are decoded between two looks at the clock. */
const CLOCK_EVERY = 64;

/** A frame's request/response link, with frame ids. */
export interface PairView {
  key: string;
  role: 'request' | 'response';
  request: number;
  responses: number[];
  /** ms from the request to its first response */
  latency?: number;
}

/** Estimated heap bytes of a kept summary and its fields (V8 one-byte strings, small objects). */
function estimate(summary: string, fields: Fields): number {
  let n = 56 + summary.length;
  for (const k in fields) {
    const v = fields[k]!;
    n += 24 + k.length + (typeof v === 'string' ? v.length : typeof v === 'number' ? 8 : v.reduce<number>((a, x) => a + 16 + String(x).length, 16));
  }
  return n;
}

export class DecodedLog {
  /** decoded in order, every frame's facts kept (a stateful decoder); else each frame on its own */
  readonly inOrder: boolean;
  /** in order: ids of the frames decoded and still held, increasing */
  private readonly ids = new IdList();
  /** in order: summaries and fields, parallel to `ids` from position `off` on (the front is dropped lazily) */
  private summaries: string[] = [];
  private fields: Fields[] = [];
  private off = 0;
  private keptBytes = 0;
  /** on its own: facts of the frames looked at lately, least recent first */
  private readonly lately = new Map<number, DecodedFacts>();
  private latelyBytes = 0;
  private readonly recent = new Map<number, Decoded>();
  private readonly pairs: InstanceType<Api['PairTracker']>;
  /** the last frame id the pairing has seen */
  private pairedTo = -1;
  /** in order: the session all frames go through; on its own: one that decodes any frame (state from init only) */
  private readonly session: InstanceType<Api['DecodingSession']>;
  /** the first frame id still held, when last looked at */
  private firstSeen = -1;
  /** in order: the last frame id decoded */
  lastId = -1;

  constructor(
    private readonly api: Api,
    /** the connection's frames this log follows (a Clear gives the connection new ones) */
    readonly frames: ConnFrames,
    readonly decoder: Decoder,
    private readonly info: DecodeApi.ConnectionInfo,
    /** how many full results to keep (the most recent frames') */
    private readonly keepRecent = RECENT,
  ) {
    this.inOrder = decoder.stateful === true;
    this.session = new api.DecodingSession(decoder, info);
    this.pairs = new api.PairTracker(false);
  }

  /** Estimated bytes kept for this connection (what the memory cap counts). */
  get bytes(): number {
    return this.keptBytes + this.latelyBytes;
  }

  /** A frame's facts can be had now (on its own: always; in order: once decoded up to it). */
  has(id: number): boolean {
    return !this.inOrder || this.lastId >= id;
  }

  /**
   * In order: decode the frames held up to frame id `upTo` (all of them:
   * Infinity), stopping after `deadline` (performance.now()). True when done.
   */
  advance(upTo: number, deadline = Infinity): boolean {
    if (!this.inOrder) return true;
    this.dropEvicted();
    if (this.lastId >= upTo) return true;
    return this.walk(this.lastId, upTo, deadline, (id, f) => {
      this.lastId = id;
      if (f) this.keep(id, f);
    });
  }

  /** Request/response pairing up to frame id `upTo`, in slices like `advance`. True when done. */
  advancePairs(upTo: number, deadline = Infinity): boolean {
    if (this.inOrder) return this.advance(upTo, deadline);
    this.dropEvicted();
    if (this.pairedTo >= upTo) return true;
    return this.walk(this.pairedTo, upTo, deadline, (id, f) => {
      this.pairedTo = id;
      if (f) this.pairs.add(id, f.t, this.session.decode(this.api.toDecodeFrame(f)).pairing);
    });
  }

  /** Call `fn` on the frames held after id `after` up to `upTo`, in order, until `deadline`. True when done. */
  private walk(after: number, upTo: number, deadline: number, fn: (id: number, f: Frame | undefined) => void): boolean {
    const frames = this.frames;
    let n = 0;
    for (let i = frames.ids.positionOf(after + 1); i < frames.length; i++) {
      const id = frames.idAt(i);
      if (id > upTo) return true;
      fn(id, frames.at(i));
      if (++n % CLOCK_EVERY === 0 && performance.now() > deadline) return i + 1 >= frames.length;
    }
    return true;
  }

  private keep(id: number, f: Frame): void {
    const d = this.session.decode(this.api.toDecodeFrame(f));
    this.ids.push(id);
    this.summaries.push(d.summary);
    this.fields.push(d.fields);
    this.keptBytes += estimate(d.summary, d.fields) + 8;
    this.remember(id, d);
    this.pairs.add(id, f.t, d.pairing);
    this.pairedTo = id;
  }

  private remember(id: number, d: Decoded): void {
    this.recent.set(id, d);
    if (this.recent.size > this.keepRecent) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Drop the results of frames the panel no longer holds. */
  dropEvicted(): void {
    const first = this.frames.length ? this.frames.idAt(0) : Math.max(this.lastId, this.pairedTo) + 1;
    if (first <= this.firstSeen) return;
    this.firstSeen = first;
    const n = this.ids.dropBelow(first);
    if (n > 0) {
      for (let k = this.off; k < this.off + n; k++) this.keptBytes -= estimate(this.summaries[k]!, this.fields[k]!) + 8;
      this.off += n;
      if (this.off > 1024 && this.off * 2 > this.summaries.length) {
        this.summaries = this.summaries.slice(this.off);
        this.fields = this.fields.slice(this.off);
        this.off = 0;
      }
    }
    this.pairs.dropBelow(first);
    for (const k of [...this.recent.keys()]) if (k < first) this.recent.delete(k);
    for (const [k, f] of this.lately) if (k < first) { this.lately.delete(k); this.latelyBytes -= estimate(f.summary, f.fields); }
  }

  /**
   * Summary and fields of a frame (undefined: in order and not decoded yet,
   * or gone). On its own, the frame is decoded now and, with `remember`,
   * cached (the grid's rows; a filter's scan does not fill the cache).
   */
  facts(id: number, remember = true): DecodedFacts | undefined {
    this.dropEvicted();
    if (this.inOrder) {
      const p = this.ids.indexOf(id);
      if (p < 0) return undefined;
      return { summary: this.summaries[this.off + p]!, fields: this.fields[this.off + p]! };
    }
    const hit = this.lately.get(id);
    if (hit) {
      this.lately.delete(id);
      this.lately.set(id, hit);
      return hit;
    }
    const frame = this.frames.at(this.frames.indexOfId(id));
    if (!frame) return undefined;
    const d = this.session.decode(this.api.toDecodeFrame(frame));
    const facts = { summary: d.summary, fields: d.fields };
    if (remember) {
      this.remember(id, d);
      this.lately.set(id, facts);
      this.latelyBytes += estimate(d.summary, d.fields);
      if (this.lately.size > LATELY) {
        const [k, old] = this.lately.entries().next().value!;
        this.lately.delete(k);
        this.latelyBytes -= estimate(old.summary, old.fields);
      }
    }
    return facts;
  }

  /** Stateless decoders: the facts of a frame given as it is (a filter's scan reads it from the table). */
  factsOfFrame(frame: Pick<Frame, 'dir' | 'kind' | 'data' | 'truncated'>): DecodedFacts {
    const d = this.session.decode(this.api.toDecodeFrame(frame));
    return { summary: d.summary, fields: d.fields };
  }

  /**
   * The full result of a frame: kept for recent frames; else decoded again,
   * on its own (a stateless decoder gives the same result) or by replaying the
   * connection's frames up to it (a stateful one).
   */
  full(id: number): Decoded | undefined {
    const kept = this.recent.get(id);
    if (kept || !this.has(id)) return kept;
    const at = this.frames.indexOfId(id);
    const frame = this.frames.at(at);
    if (!frame) return undefined;
    const session = new this.api.DecodingSession(this.decoder, this.info);
    if (this.inOrder) for (let i = 0; i < at; i++) { const f = this.frames.at(i); if (f) session.decode(this.api.toDecodeFrame(f)); }
    const d = session.decode(this.api.toDecodeFrame(frame));
    this.remember(id, d);
    return d;
  }

  /** Pairing has seen the frames up to this id. */
  paired(id: number): boolean {
    return this.pairedTo >= id;
  }

  /** The request/response pair a frame belongs to, as far as pairing has seen. */
  pair(id: number): PairView | undefined {
    const p: Pair | undefined = this.pairs.byIndex.get(id);
    if (!p) return undefined;
    return {
      key: p.key, role: p.request === id ? 'request' : 'response', request: p.request, responses: p.responses,
      ...(p.latency !== undefined ? { latency: p.latency } : {}),
    };
  }
}
