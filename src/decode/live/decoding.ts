/**
 * Protocol decoding for the panel, per connection and incremental: the
 * decoder bundle (src/decode: protobufjs, mqtt-packet, cbor-x, msgpack …) is
 * loaded with a dynamic import once the panel has traffic (or something asks),
 * so it is not on the panel's startup path. Each connection gets the
 * auto-detected decoder (re-detected while it has fewer than DETECT_FRAMES
 * frames) or the user's override, and a DecodedLog that decodes its frames in
 * order, once.
 *
 * Three users: the Decoded section (one frame, now), the grid's Decoded column
 * (the rows in view: decoded within a small budget per render, the rest in
 * background slices, with `progress` telling the grid to draw again), and
 * filters on decoded fields (`factsOf`, decoding as the filter scans).
 *
 * Only type imports from '../index' here: a value import would pull the
 * bundle into the panel's entry chunk.
 */
import type * as DecodeApi from '../index';
import type { Decoded, Decoder, DecoderRegistry } from '../index';
import type { FactsOf } from '../../store/filter';
import { ROW } from '../../store/frame-table';
import type { Connection } from '../../store/model';
import type { Store } from '../../store/store';
import { DecodeSlices } from './decode-slices';
import { DecodedLog, type PairView } from './decoded-log';

export type { PairView } from './decoded-log';

type Api = typeof DecodeApi;

let loading: Promise<Api> | null = null;
/** The decoder bundle, loaded once. */
export const loadDecoders = (): Promise<Api> => (loading ??= import('../index'));

interface ConnState {
  /** the connection this state was made for (a key can come back with a new document) */
  owner: Connection;
  confidence: number;
  overridden: boolean;
  /** frames detection looked at (auto only) */
  detectedWith: number;
  log: DecodedLog;
  /** what background slices still have to do: decode up to this frame id, and pair too */
  want?: { upTo: number; pairs: boolean };
}

export interface DecoderChoice {
  decoder: { id: string; label: string };
  confidence: number;
  overridden: boolean;
  /** what auto-detection picks (shown as "Auto (…)" even when overridden) */
  detected: { id: string; label: string } | null;
}

export class Decoding {
  private api: Api | null = null;
  private registry: DecoderRegistry | null = null;
  private readonly conns = new Map<string, ConnState>();
  private readonly overrides = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private readonly slices = new DecodeSlices<ConnState>();
  error: string | null = null;
  /** bumped when decoders load or a connection's decoder changes (filters on fields apply again) */
  version = 0;
  /** bumped when background decoding made more rows' summaries available */
  get progress(): number {
    return this.slices.progress;
  }

  get ready(): boolean {
    return this.api !== null;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onProgress(fn: () => void): () => void {
    return this.slices.onProgress(fn);
  }

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /** Start loading the decoders (idempotent); listeners hear when they are in. */
  load(): void {
    if (this.api || this.error) return;
    loadDecoders().then((api) => {
      if (this.api) return;
      this.api = api;
      this.registry = new api.DecoderRegistry();
      this.changed();
    }, (e: unknown) => {
      this.error = `The decoders could not be loaded: ${String(e)}`;
      this.changed();
    });
  }

  /** Every decoder the user can pick ([] until loaded). */
  decoders(): { id: string; label: string }[] {
    return this.registry?.list().map((d) => ({ id: d.id, label: d.label })) ?? [];
  }

  override(key: string): string {
    return this.overrides.get(key) ?? '';
  }

  /** Pick a decoder for a connection ('' = auto): its frames are decoded again. */
  setOverride(key: string, id: string): void {
    if (id) this.overrides.set(key, id); else this.overrides.delete(key);
    this.conns.delete(key);
    this.changed();
  }

  /** Add a protobuf decoder from the user's .proto and pick it for the connection. */
  useProto(key: string, proto: string, typeName: string): { ok: true } | { ok: false; error: string } {
    if (!this.api || !this.registry) return { ok: false, error: 'the decoders are still loading' };
    const name = typeName.trim().replace(/^\./, '');
    if (!name) return { ok: false, error: 'name the message type (e.g. chat.Msg)' };
    const r = this.api.protobufSchemaDecoder(proto, name);
    if (!r.ok) return r;
    this.registry.add(r.decoder);
    // other connections using an older decoder of the same id decode again too
    for (const [k, id] of this.overrides) if (id === r.decoder.id) this.conns.delete(k);
    this.setOverride(key, r.decoder.id);
    return { ok: true };
  }

  private state(conn: Connection): ConnState | null {
    const api = this.api, registry = this.registry;
    if (!api || !registry) return null;
    let st = this.conns.get(conn.key);
    // another connection under the key, or a Clear gave it new frames: start over
    if (st && (st.owner !== conn || st.log.frames !== conn.frames)) st = undefined;
    const override = this.overrides.get(conn.key);
    // auto: look again while detection has seen fewer frames than it uses, and the choice may still change
    if (st && !st.overridden && st.detectedWith < api.DETECT_FRAMES && conn.frames.length > st.detectedWith) {
      const again = this.choose(conn, override);
      if (again.decoder.id !== st.log.decoder.id) {
        st = undefined;
        // results change: filters on fields apply again (not from inside a render)
        queueMicrotask(() => this.changed());
      } else { st.detectedWith = Math.min(conn.frames.length, api.DETECT_FRAMES); st.confidence = again.confidence; }
    }
    if (!st) {
      const choice = this.choose(conn, override);
      st = {
        owner: conn, confidence: choice.confidence, overridden: choice.overridden,
        detectedWith: Math.min(conn.frames.length, api.DETECT_FRAMES),
        log: new DecodedLog(api, conn.frames, choice.decoder, api.connectionInfo(conn)),
      };
      this.conns.set(conn.key, st);
    }
    return st;
  }

  private choose(conn: Connection, override: string | undefined) {
    const api = this.api!;
    const first = conn.frames.slice(0, api.DETECT_FRAMES).map(api.toDecodeFrame);
    return api.chooseDecoder(this.registry!, api.detectContext(api.connectionInfo(conn), first), override);
  }

  /** The decoder in use for a connection, and what auto-detection would pick; null until loaded. */
  choice(conn: Connection): DecoderChoice | null {
    const st = this.state(conn);
    if (!st) return null;
    const d: Decoder = st.log.decoder;
    const auto = st.overridden ? this.choose(conn, undefined).decoder : d;
    return {
      decoder: { id: d.id, label: d.label }, confidence: st.confidence, overridden: st.overridden,
      detected: { id: auto.id, label: auto.label },
    };
  }

  /** The connection has a protocol decoder (not "None (raw)"); false until loaded. */
  decodes(conn: Connection): boolean {
    const st = this.state(conn);
    return st !== null && st.log.decoder.id !== 'plain';
  }

  /** One frame's full decoding, now; undefined until the decoders are loaded (or when the frame is gone). */
  decoded(conn: Connection, frameId: number): Decoded | undefined {
    const st = this.state(conn);
    if (!st) return undefined;
    st.log.advance(frameId);
    return st.log.full(frameId);
  }

  /**
   * A frame's one-line summary for the grid: null when the connection has no
   * protocol decoder; undefined while it is still being decoded (in the
   * background: `onProgress` listeners hear when more is ready).
   */
  summary(conn: Connection, frameId: number): string | null | undefined {
    const st = this.state(conn);
    if (!st) return undefined;
    if (st.log.decoder.id === 'plain') return null;
    if (!st.log.has(frameId)) {
      this.slices.growSoon();
      if (!st.log.advance(frameId, this.slices.renderDeadline())) {
        this.later(st, frameId, false);
        return undefined;
      }
    }
    return st.log.facts(frameId)?.summary ?? '';
  }

  /** Go on decoding (or pairing) a connection in background slices. */
  private later(st: ConnState, upTo: number, pairs: boolean): void {
    st.want = { upTo: Math.max(st.want?.upTo ?? -1, upTo), pairs: pairs || (st.want?.pairs ?? false) };
    const want = st.want;
    this.slices.run(st, (deadline) => this.conns.get(st.owner.key) !== st
      || (st.log.advance(want.upTo, deadline) && (!want.pairs || st.log.advancePairs(want.upTo, deadline))));
  }

  /**
   * What the decoders made of a row, by row id, for filters on decoded fields:
   * each connection is decoded up to the row first (in the filter's slices).
   * Undefined for lifecycle rows and until the decoders are loaded.
   */
  factsOf(store: Store): FactsOf {
    let last: { conn: Connection; st: ConnState } | null = null;
    return (id) => {
      const t = store.table;
      const p = t.pos(id);
      const flags = p < 0 ? ROW.removed : t.flags.data[p]!;
      if (flags & ROW.removed || t.isLifecycle(p)) return undefined;
      const conn = store.connAt(t.conn.data[p]!);
      if (!conn) return undefined;
      const st = last?.conn === conn && this.conns.get(conn.key) === last.st ? last.st : this.state(conn);
      if (!st) return undefined;
      last = { conn, st };
      if (st.log.inOrder) {
        if (!st.log.has(id)) { this.slices.growSoon(); st.log.advance(id); }
        return st.log.facts(id, false);
      }
      // on its own, straight from the table's columns (no Frame object per row)
      const binary = (flags & ROW.binary) !== 0;
      const payload = flags & ROW.noData ? undefined : t.payload[p];
      return st.log.factsOfFrame({
        dir: flags & ROW.out ? 'out' : 'in', kind: binary ? 'binary' : 'text', truncated: (flags & ROW.truncated) !== 0,
        data: payload === undefined ? undefined : binary ? { b64: payload } : payload,
      });
    };
  }

  /**
   * The request/response pair a frame belongs to; 'pending' while pairing
   * still has to look at the connection's frames (a slice now, the rest in
   * the background: `onProgress` listeners hear when it is done).
   */
  pair(conn: Connection, frameId: number): PairView | 'pending' | undefined {
    const st = this.state(conn);
    if (!st) return undefined;
    const last = conn.frames.idAt(conn.frames.length - 1);
    if (!st.log.paired(last) && !st.log.advancePairs(last, this.slices.renderDeadline())) {
      this.slices.growSoon();
      this.later(st, last, true);
      // a request's response may come later; a response's request is before it
      return st.log.paired(frameId) && st.log.pair(frameId)?.role === 'response' ? st.log.pair(frameId) : 'pending';
    }
    return st.log.pair(frameId);
  }

  /** Estimated bytes of the decoded summaries and fields kept (what `attach` counts against the memory cap). */
  get memoryUsed(): number {
    let n = 0;
    for (const st of this.conns.values()) n += st.log.bytes;
    return n;
  }

  /**
   * Count the decoded results against the store's memory cap: results of
   * connections and frames the store no longer holds are dropped first, and
   * the cap is enforced again after background decoding grew them.
   */
  attach(store: Store): () => void {
    store.extraMemory = () => {
      for (const [key, st] of this.conns) {
        if (store.connections.get(key) !== st.owner || st.log.frames !== st.owner.frames) this.conns.delete(key);
        else st.log.dropEvicted();
      }
      return this.memoryUsed;
    };
    this.slices.grew = () => store.fitCap();
    return () => { store.extraMemory = () => 0; this.slices.grew = null; };
  }

  /** Forget a connection's results (Clear, or it went away). */
  forget(key: string): void {
    this.conns.delete(key);
  }
}
