/**
 * Protocol decoding for the panel, per connection and incremental: the
 * decoder bundle (src/decode: protobufjs, mqtt-packet, cbor-x, msgpack …) is
 * loaded with a dynamic import the first time something needs it, so it is
 * not on the panel's startup path. Each connection gets the auto-detected
 * decoder (re-detected while it has fewer than DETECT_FRAMES frames) or the
 * user's override, one DecodingSession (stateful decoders see its frames in
 * order, once) and a cache of results by frame id.
 *
 * Only type imports from '../decode' here: a value import would pull the
 * bundle into the panel's entry chunk.
 */
import type * as DecodeApi from '../decode';
import type { Decoded, Decoder, DecoderRegistry, DecodingSession, Pair } from '../decode';
import type { Connection } from '../store/model';

type Api = typeof DecodeApi;

let loading: Promise<Api> | null = null;
/** The decoder bundle, loaded once. */
export const loadDecoders = (): Promise<Api> => (loading ??= import('../decode'));

interface ConnState {
  /** the connection this state was made for (a key can come back with a new document) */
  owner: Connection;
  decoder: Decoder;
  confidence: number;
  overridden: boolean;
  /** frames detection looked at (auto only) */
  detectedWith: number;
  session: DecodingSession;
  cache: Map<number, Decoded>;
  /** the last frame id decoded (frames are decoded in order) */
  lastId: number;
  pairs?: { count: number; byId: Map<number, PairView> };
}

/** A frame's request/response link, with frame ids. */
export interface PairView {
  key: string;
  role: 'request' | 'response';
  request: number;
  responses: number[];
  /** ms from the request to its first response */
  latency?: number;
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
  error: string | null = null;
  version = 0;

  get ready(): boolean {
    return this.api !== null;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
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
    if (st && st.owner !== conn) st = undefined;
    const override = this.overrides.get(conn.key);
    // auto: look again while detection has seen fewer frames than it uses, and the choice may still change
    if (st && !st.overridden && st.detectedWith < api.DETECT_FRAMES && conn.frames.length > st.detectedWith) {
      const again = this.choose(conn, override);
      if (again.decoder.id !== st.decoder.id) st = undefined;
      else { st.detectedWith = Math.min(conn.frames.length, api.DETECT_FRAMES); st.confidence = again.confidence; }
    }
    if (!st) {
      const choice = this.choose(conn, override);
      const info = api.connectionInfo(conn);
      st = {
        owner: conn, decoder: choice.decoder, confidence: choice.confidence, overridden: choice.overridden,
        detectedWith: Math.min(conn.frames.length, api.DETECT_FRAMES),
        session: new api.DecodingSession(choice.decoder, info), cache: new Map(), lastId: -1,
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
    const auto = st.overridden ? this.choose(conn, undefined).decoder : st.decoder;
    return {
      decoder: { id: st.decoder.id, label: st.decoder.label }, confidence: st.confidence, overridden: st.overridden,
      detected: { id: auto.id, label: auto.label },
    };
  }

  /** Decode the connection's frames in order up to `frameId` (or all); cached. */
  private advance(conn: Connection, st: ConnState, upTo: number): void {
    if (st.lastId >= upTo) return;
    const frames = conn.frames;
    let i = st.lastId < 0 ? 0 : frames.indexOfId(st.lastId) + 1;
    if (i === 0 && st.lastId >= 0) while (i < frames.length && frames.idAt(i) <= st.lastId) i++; // evicted meanwhile
    for (; i < frames.length; i++) {
      const id = frames.idAt(i);
      if (id > upTo) break;
      const f = frames.at(i);
      st.lastId = id;
      if (!f) continue;
      st.cache.set(id, st.session.decode(this.api!.toDecodeFrame(f)));
    }
    // frames the memory cap evicted: their results go too
    const first = frames.idAt(0);
    if (first >= 0 && st.cache.size > frames.length) for (const k of st.cache.keys()) { if (k < first) st.cache.delete(k); else break; }
  }

  /** One frame's decoding; undefined until the decoders are loaded (or when the frame is gone). */
  decoded(conn: Connection, frameId: number): Decoded | undefined {
    const st = this.state(conn);
    if (!st) return undefined;
    this.advance(conn, st, frameId);
    return st.cache.get(frameId);
  }

  /** The request/response pair a frame belongs to (the connection decoded to its end). */
  pair(conn: Connection, frameId: number): PairView | undefined {
    const st = this.state(conn);
    if (!st) return undefined;
    this.advance(conn, st, Number.MAX_SAFE_INTEGER);
    if (!st.pairs || st.pairs.count !== st.cache.size) {
      const ids: number[] = [];
      const items: { t: number; decoded: Decoded }[] = [];
      for (const [id, d] of st.cache) {
        const f = conn.frames.at(conn.frames.indexOfId(id));
        if (!f) continue;
        ids.push(id);
        items.push({ t: f.t, decoded: d });
      }
      const byId = new Map<number, PairView>();
      const view = (p: Pair, role: PairView['role']): PairView => ({
        key: p.key, role, request: ids[p.request]!, responses: p.responses.map((r) => ids[r]!),
        ...(p.latency !== undefined ? { latency: p.latency } : {}),
      });
      for (const p of this.api!.pairFrames(items).pairs) {
        byId.set(ids[p.request]!, view(p, 'request'));
        for (const r of p.responses) byId.set(ids[r]!, view(p, 'response'));
      }
      st.pairs = { count: st.cache.size, byId };
    }
    return st.pairs.byId.get(frameId);
  }

  /** Forget a connection's results (Clear, or it went away). */
  forget(key: string): void {
    this.conns.delete(key);
  }
}
