/**
 * The set of decoders the panel can choose from, ranked per connection by
 * their own confidence. Protocol-specific decoders return high confidence on
 * clear signals (subprotocol, URL shape, handshake frame); generic ones (JSON,
 * MessagePack, CBOR, protobuf) low, so they only win when nothing else fits.
 */
import { actionCableDecoder } from './actioncable';
import { cborDecoder, msgpackDecoder } from './binary';
import { graphqlDecoder } from './graphql';
import { jsonDecoder } from './json';
import { jsonRpcDecoder } from './jsonrpc';
import { mqttDecoder } from './mqtt';
import { natsDecoder } from './nats';
import { phoenixDecoder } from './phoenix';
import { protobufRawDecoder } from './protobuf-wire';
import { pusherDecoder } from './pusher';
import { signalrDecoder } from './signalr';
import { socketIoDecoder } from './socketio';
import { sockJsDecoder } from './sockjs';
import { stompDecoder } from './stomp';
import type { DecodeFrame, DecodeState, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, errorText, short, sizeLabel, textOf } from './util';
import { wampDecoder } from './wamp';
import { hocuspocusDecoder, yjsDecoder } from './yjs';
import { zlibStreamDecoder } from './zlib-stream';

/** No protocol: the text itself, or the size of the bytes. Used when nothing is detected. */
export const plainDecoder: Decoder = {
  id: 'plain',
  label: 'None (raw)',
  detect: () => 0.05,
  decode(f: DecodeFrame): Decoded {
    const text = f.kind === 'text' ? textOf(f) : undefined;
    if (text !== undefined) return { summary: short(text, 80), fields: {} };
    return { summary: `binary ${sizeLabel(bytesOf(f).length)}`, fields: {} };
  },
};

export const BUILTIN_DECODERS: readonly Decoder[] = [
  socketIoDecoder, graphqlDecoder, stompDecoder, sockJsDecoder, signalrDecoder, phoenixDecoder,
  actionCableDecoder, wampDecoder, mqttDecoder, hocuspocusDecoder, yjsDecoder, natsDecoder, pusherDecoder,
  zlibStreamDecoder, jsonRpcDecoder, msgpackDecoder, cborDecoder, protobufRawDecoder, jsonDecoder, plainDecoder,
];

export interface Ranked { decoder: Decoder; confidence: number }

export class DecoderRegistry {
  private readonly decoders = new Map<string, Decoder>();

  constructor(decoders: readonly Decoder[] = BUILTIN_DECODERS) {
    for (const d of decoders) this.add(d);
  }

  /** Add or replace (same id) a decoder, e.g. one made by protobufSchemaDecoder(). */
  add(decoder: Decoder): void {
    this.decoders.set(decoder.id, decoder);
  }

  remove(id: string): void {
    this.decoders.delete(id);
  }

  get(id: string): Decoder | undefined {
    return this.decoders.get(id);
  }

  list(): Decoder[] {
    return [...this.decoders.values()];
  }

  /** Every decoder with its confidence for this connection, best first (ties: registration order). */
  rank(ctx: DetectContext): Ranked[] {
    const out = this.list().map((decoder) => {
      let confidence = 0;
      try { confidence = Math.max(0, Math.min(1, Number(decoder.detect(ctx)) || 0)); } catch { /* hostile input: not this one */ }
      return { decoder, confidence };
    });
    return out.sort((a, b) => b.confidence - a.confidence);
  }

  /** The best decoder for this connection (the plain one when nothing fits). */
  detect(ctx: DetectContext): Ranked {
    return this.rank(ctx).find((r) => r.confidence > 0) ?? { decoder: plainDecoder, confidence: 0 };
  }
}

/**
 * Is this frame only a protocol keep-alive of the decoder's protocol (engine.io ping/pong, STOMP
 * heart-beat, MQTT PINGREQ/PINGRESP, Phoenix `heartbeat`, GraphQL ping/pong/ka, SignalR Ping, NATS
 * PING/PONG, Pusher pusher:ping/pong, SockJS `h`, Action Cable ping, tRPC PING/PONG)? The frame is
 * decoded on its own: every built-in protocol's keep-alives are recognisable without earlier frames.
 * Never throws.
 */
export function isHeartbeat(decoder: Decoder, frame: DecodeFrame): boolean {
  return safeDecode(decoder, frame).heartbeat === true;
}

/** Decode one frame; never throws (a throwing decoder becomes an `error`). */
export function safeDecode(decoder: Decoder, frame: DecodeFrame, state?: DecodeState): Decoded {
  try {
    const d = decoder.decode(frame, state);
    if (typeof d?.summary === 'string' && typeof d.fields === 'object') return d;
    return { summary: `${decoder.label}: no result`, fields: {}, error: 'decoder returned nothing' };
  } catch (e) {
    return { summary: `${decoder.label}: ${errorText(e)}`, fields: {}, error: errorText(e) };
  }
}
