/**
 * Decoding one connection: choose a decoder (auto-detected, or the user's
 * override by id), then decode its frames in order with one per-connection
 * state. Also the adapters from the store's model (Connection, Frame).
 */
import { base64ToBytes } from '../protocol/base64';
import type { Connection, Frame } from '../store/model';
import { DecoderRegistry, plainDecoder, safeDecode } from './registry';
import type { DecodeFrame, DecodeState, Decoded, Decoder, DetectContext } from './types';

/** How many of a connection's first frames detection looks at. */
export const DETECT_FRAMES = 16;

export interface ConnectionInfo { url?: string; protocol?: string; requested?: string[] }

export interface Choice {
  decoder: Decoder;
  /** the decoder's confidence (1 for an override) */
  confidence: number;
  /** the user picked it */
  overridden: boolean;
}

/** A store frame as decoders see it (base64 payloads become bytes; undecodable base64 → empty). */
export function toDecodeFrame(f: Pick<Frame, 'dir' | 'kind' | 'data' | 'truncated'>): DecodeFrame {
  const out: DecodeFrame = { dir: f.dir, kind: f.kind, truncated: f.truncated };
  if (typeof f.data === 'string') out.text = f.data;
  else if (f.data) {
    try { out.bytes = base64ToBytes(f.data.b64); } catch { out.bytes = new Uint8Array(0); }
  } else out.bytes = new Uint8Array(0);
  return out;
}

export function connectionInfo(c: Pick<Connection, 'resolvedUrl' | 'protocol' | 'protocols'>): ConnectionInfo {
  const requested = c.protocols === undefined ? undefined : typeof c.protocols === 'string' ? [c.protocols] : c.protocols;
  return { url: c.resolvedUrl, protocol: c.protocol, requested };
}

export function detectContext(info: ConnectionInfo, frames: readonly DecodeFrame[]): DetectContext {
  return { ...info, frames: frames.slice(0, DETECT_FRAMES) };
}

/** Pick the decoder: the override when it names a known decoder, else the best detected one. */
export function chooseDecoder(registry: DecoderRegistry, ctx: DetectContext, override?: string): Choice {
  const picked = override ? registry.get(override) : undefined;
  if (picked) return { decoder: picked, confidence: 1, overridden: true };
  const best = registry.detect(ctx);
  return { decoder: best.decoder, confidence: best.confidence, overridden: false };
}

/** A stateful decoder for one connection: call decode() for its frames, in order. */
export class DecodingSession {
  private readonly state: DecodeState = new Map();
  constructor(readonly decoder: Decoder, info: ConnectionInfo = {}) {
    try { decoder.init?.({ url: info.url, protocol: info.protocol }, this.state); } catch { /* decode still works without */ }
  }
  decode(frame: DecodeFrame): Decoded {
    return safeDecode(this.decoder, frame, this.state);
  }
}

/** Decode a whole connection's frames (detecting the decoder from its first ones unless overridden). */
export function decodeFrames(
  registry: DecoderRegistry, info: ConnectionInfo, frames: readonly DecodeFrame[], override?: string,
): Choice & { decoded: Decoded[] } {
  const choice = chooseDecoder(registry, detectContext(info, frames), override);
  const session = new DecodingSession(choice.decoder ?? plainDecoder, info);
  return { ...choice, decoded: frames.map((f) => session.decode(f)) };
}

/** Convenience for the panel: decode a store Connection. */
export function decodeConnection(registry: DecoderRegistry, conn: Connection, override?: string): Choice & { decoded: Decoded[] } {
  return decodeFrames(registry, connectionInfo(conn), conn.frames.map(toDecodeFrame), override);
}
