/**
 * One connection's decoding, kept up to date incrementally: its frames are
 * decoded in order, once, by one DecodingSession (stateful decoders such as
 * socket.io attachments and split MQTT packets need the order). What the grid
 * and the filters need of every frame is kept compactly (summary and fields,
 * about 100–200 bytes a frame, counted in `bytes`); the full result with its
 * tree only for the most recent frames, and made again on demand for older
 * ones. Results of frames the memory cap evicted are dropped with them.
 *
 * Only type imports from '../decode': the decoder bundle is passed in (it is
 * loaded lazily, see decoding.ts).
 */
import type * as DecodeApi from '../decode';
import type { Decoded, Decoder, Pair } from '../decode';
import { IdList } from '../store/columns';
import type { ConnFrames } from '../store/conn-frames';
import type { DecodedFacts } from '../store/field-terms';
import type { Frame } from '../store/model';

type Api = typeof DecodeApi;
type Fields = Decoded['fields'];

/** Full results kept per connection (the detail view of recent frames). */
const RECENT = 256;
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
  let n = 48 + summary.length;
  for (const k in fields) {
    const v = fields[k];
    n += 24 + k.length + (typeof v === 'string' ? v.length : 8);
  }
  return n;
}

export class DecodedLog {
  /** ids of the frames decoded and still held, increasing */
  private readonly ids = new IdList();
  /** summaries and fields, parallel to `ids` from position `off` on (the front is dropped lazily) */
  private summaries: string[] = [];
  private fields: Fields[] = [];
  private off = 0;
  private readonly recent = new Map<number, Decoded>();
  private readonly pairs: InstanceType<Api['PairTracker']>;
  private readonly session: InstanceType<Api['DecodingSession']>;
  /** estimated bytes of what is kept for every frame */
  bytes = 0;
  /** the last frame id decoded */
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
    this.session = new api.DecodingSession(decoder, info);
    this.pairs = new api.PairTracker(false);
  }

  /** Everything up to this frame id is decoded. */
  has(id: number): boolean {
    return this.lastId >= id;
  }

  /**
   * Decode the frames held, in order, up to frame id `upTo` (all of them:
   * Infinity), stopping after `deadline` (performance.now()). True when done.
   */
  advance(upTo: number, deadline = Infinity): boolean {
    this.dropEvicted();
    if (this.lastId >= upTo) return true;
    const frames = this.frames;
    let n = 0;
    for (let i = frames.ids.positionOf(this.lastId + 1); i < frames.length; i++) {
      const id = frames.idAt(i);
      if (id > upTo) return true;
      this.lastId = id;
      const f = frames.at(i);
      if (f) this.add(id, f);
      if (++n % CLOCK_EVERY === 0 && performance.now() > deadline) return i + 1 >= frames.length;
    }
    return true;
  }

  private add(id: number, f: Frame): void {
    const d = this.session.decode(this.api.toDecodeFrame(f));
    this.ids.push(id);
    this.summaries.push(d.summary);
    this.fields.push(d.fields);
    this.bytes += estimate(d.summary, d.fields) + 8;
    this.remember(id, d);
    this.pairs.add(id, f.t, d.pairing);
  }

  private remember(id: number, d: Decoded): void {
    this.recent.set(id, d);
    if (this.recent.size > this.keepRecent) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Drop the results of frames the panel no longer holds. */
  dropEvicted(): void {
    const first = this.frames.length ? this.frames.idAt(0) : this.lastId + 1;
    const n = this.ids.dropBelow(first);
    if (n === 0) return;
    for (let k = this.off; k < this.off + n; k++) this.bytes -= estimate(this.summaries[k]!, this.fields[k]!) + 8;
    this.off += n;
    if (this.off > 1024 && this.off * 2 > this.summaries.length) {
      this.summaries = this.summaries.slice(this.off);
      this.fields = this.fields.slice(this.off);
      this.off = 0;
    }
    this.pairs.dropBelow(first);
    for (const k of [...this.recent.keys()]) if (k < first) this.recent.delete(k);
  }

  /** Summary and fields of a decoded frame (undefined: not decoded yet, or gone). */
  facts(id: number): DecodedFacts | undefined {
    this.dropEvicted();
    const p = this.ids.indexOf(id);
    if (p < 0) return undefined;
    return { summary: this.summaries[this.off + p]!, fields: this.fields[this.off + p]! };
  }

  /**
   * The full result of a decoded frame: kept for recent frames; for older ones
   * decoded again, on its own (a stateless decoder gives the same result) or
   * by replaying the connection's frames up to it (a stateful one).
   */
  full(id: number): Decoded | undefined {
    const kept = this.recent.get(id);
    if (kept || !this.has(id)) return kept;
    const at = this.frames.indexOfId(id);
    const frame = this.frames.at(at);
    if (!frame) return undefined;
    const session = new this.api.DecodingSession(this.decoder, this.info);
    if (this.decoder.stateful) for (let i = 0; i < at; i++) { const f = this.frames.at(i); if (f) session.decode(this.api.toDecodeFrame(f)); }
    const d = session.decode(this.api.toDecodeFrame(frame));
    this.remember(id, d);
    return d;
  }

  /** The request/response pair a decoded frame belongs to. */
  pair(id: number): PairView | undefined {
    const p: Pair | undefined = this.pairs.byIndex.get(id);
    if (!p) return undefined;
    return {
      key: p.key, role: p.request === id ? 'request' : 'response', request: p.request, responses: p.responses,
      ...(p.latency !== undefined ? { latency: p.latency } : {}),
    };
  }
}
