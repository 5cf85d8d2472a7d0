/**
 * The decoder contract. A decoder turns one WebSocket message into a one-line
 * summary for the frame grid, flat fields that filters can match, an optional
 * JSON-able tree for the detail view, and an optional request/response pairing
 * key. Decoders run on hostile data: they never throw (the registry wraps them
 * anyway) and report problems in `error`.
 */

/** One message as decoders see it: text as a string, binary as bytes. */
export interface DecodeFrame {
  dir: 'in' | 'out';
  kind: 'text' | 'binary';
  text?: string;
  bytes?: Uint8Array;
  /** true when only a preview of the payload was captured: decoders may say "incomplete" */
  truncated?: boolean;
}

export interface Pairing {
  /**
   * Same key on a request and its response(s). Keys are FIFO per key: a key
   * reused later (MQTT PINGREQ, a recycled JSON-RPC id) pairs with the next request.
   */
  key: string;
  role: 'request' | 'response';
}

/**
 * A filterable value. A list when one message carries several packets (MQTT, NATS, STOMP …):
 * a filter term on the field holds when it holds for any of them.
 */
export type FieldValue = string | number | readonly (string | number)[];

export interface Decoded {
  /** one line for the grid, e.g. 'socket.io EVENT "chat" #12' */
  summary: string;
  /** flat, filterable, e.g. { event: 'chat', namespace: '/', ackId: 12 } */
  fields: Record<string, FieldValue>;
  /** JSON-able structure for a detail tree (bytes appear as { $bytes: base64, size }) */
  tree?: unknown;
  pairing?: Pairing;
  /** the message could not be (fully) decoded as this protocol; summary still says something useful */
  error?: string;
  /**
   * The message is only a protocol keep-alive (engine.io ping/pong, STOMP heart-beat EOL, MQTT
   * PINGREQ/PINGRESP, Phoenix `heartbeat` …): set by the decoders, read through `isHeartbeat()`.
   */
  heartbeat?: boolean;
}

/** What detection looks at: the negotiated subprotocol, the URL and the first frames of a connection. */
export interface DetectContext {
  /** negotiated subprotocol ('' or absent when none) */
  protocol?: string;
  /** the protocols the page asked for */
  requested?: string[];
  /** the connection's resolved URL */
  url?: string;
  /** the first frames (both directions, in order; up to ~16) */
  frames: DecodeFrame[];
}

/**
 * Per-connection scratch space for stateful decoders (socket.io binary
 * attachments, MQTT packets split across messages, the MQTT protocol version).
 * One `DecodeState` per connection, frames decoded in order; a decoder keeps its
 * entries under its own id. Optional: without it a stateful decoder treats every
 * frame on its own.
 */
export type DecodeState = Map<string, unknown>;

export interface Decoder {
  /** stable id, used for the manual override (e.g. 'socketio', 'protobuf-schema:chat.Msg') */
  readonly id: string;
  /** name shown to the user */
  readonly label: string;
  /**
   * a frame's decoding can depend on earlier frames of the connection (kept in
   * DecodeState beyond init): decoding one frame on its own may differ
   */
  readonly stateful?: boolean;
  /** how sure (0 = not this, 1 = certain) that this connection speaks this protocol */
  detect(ctx: DetectContext): number;
  decode(frame: DecodeFrame, state?: DecodeState): Decoded;
  /** set up per-connection state from what is known before the first frame (URL, subprotocol) */
  init?(conn: { url?: string; protocol?: string }, state: DecodeState): void;
}
