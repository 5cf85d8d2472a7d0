import type { InterceptCause, InterceptOutcome } from './intercept';

/**
 * What the page hook records about one WebSocket: the capture events.
 *
 * Every event belongs to one connection (`c`) and carries that connection's
 * sequence number (`seq`, starting at 0 with `created`) and a high-resolution
 * wall-clock time in ms (`t`). Sequence numbers let the panel detect loss:
 * a missing seq is a dropped event, never a silent one.
 *
 * `B` is how binary payloads travel: `ArrayBuffer` between page hook and relay
 * (structured clone), `{ b64 }` (messages.ts Base64) on extension ports (Chrome
 * serialises port messages as JSON). Messages, Blob payloads and samples travel
 * as rows of a column batch (batch.ts); the other events as these objects.
 * Names are the DOM's with "Socket" before them where the DOM has the same
 * one (SocketCloseEvent, SocketErrorEvent): these are records, not DOM events.
 */

/** Connection id: `<hook instance id>.<counter>`, unique per document. */
export type ConnId = string;

/** readyState values, as the WebSocket API numbers them. */
export const ReadyState = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;
export type ReadyStateValue = 0 | 1 | 2 | 3;

/** Which kind of value the page passed to send() (or received), in the page's words. */
export type DataType =
  | 'string' | 'ArrayBuffer' | 'Blob' | 'DataView'
  | 'Int8Array' | 'Uint8Array' | 'Uint8ClampedArray' | 'Int16Array' | 'Uint16Array'
  | 'Int32Array' | 'Uint32Array' | 'Float16Array' | 'Float32Array' | 'Float64Array'
  | 'BigInt64Array' | 'BigUint64Array'
  /** a value send() converted to a string (number, object, null …) */
  | 'coerced';

interface Base {
  /** connection id */
  c: ConnId;
  /** per-connection sequence number */
  seq: number;
  /** epoch milliseconds, sub-ms precision */
  t: number;
}

/**
 * One frame of a call stack, as DevTools' Initiator column shows it: the function, its script, and where
 * in it (1-based line and column; 0 when the engine did not say).
 */
export interface StackFrame { fn: string; url: string; line: number; col: number }

/** Most frames a stack keeps (the innermost ones: who called). */
export const MAX_STACK_FRAMES = 8;

/**
 * What opened a connection, when it is not a `WebSocket` of the window the hook runs in:
 * - `stream`: a `WebSocketStream`;
 * - `worker`: a `WebSocket` in a dedicated or module worker the page created;
 * - `service-worker`: a `WebSocket` in the page's service worker;
 * - `network`: seen only in DevTools' network log, from a context it does not name.
 */
export type SocketSource = 'stream' | 'worker' | 'service-worker' | 'network';
export const SOCKET_SOURCES: readonly SocketSource[] = ['stream', 'worker', 'service-worker', 'network'];

/** `new WebSocket(url, protocols)` returned a socket. */
export interface CreatedEvent extends Base {
  k: 'created';
  /** the url argument as the page gave it (stringified) */
  url: string;
  /** the socket's resolved `url` */
  resolvedUrl: string;
  /** the protocols argument: absent, one string, or a list */
  protocols?: string | string[];
  /** URL of the document (frame) that created the socket */
  frameUrl: string;
  /** the name of the WebSocket subclass the page constructed (absent: WebSocket itself) */
  subclass?: string;
  /** who called the constructor, innermost first (the hook's own frames left out) */
  stack?: StackFrame[];
  /** not a window's WebSocket (absent: one) */
  source?: SocketSource;
  /**
   * the connection was not seen by a page hook but by DevTools' network log (the panel's second source):
   * it knows the frames, not the close code, the states or the page's calls
   */
  network?: true;
}

/** `new WebSocket(...)` threw to the page: the connection never existed. */
export interface ConstructErrorEvent extends Base {
  k: 'construct-error';
  url: string;
  protocols?: string | string[];
  frameUrl: string;
  error: ErrorInfo;
}

export interface ErrorInfo { name: string; message: string }

/** A readyState transition the hook observed, and what revealed it. */
export interface StateEvent extends Base {
  k: 'state';
  state: ReadyStateValue;
  /** what revealed it; 'devtools-close': DevTools (this extension) called close() */
  via: 'open' | 'close-call' | 'devtools-close' | 'close' | 'error';
}

/** The 'open' event: what the server negotiated. */
export interface OpenEvent extends Base {
  k: 'open';
  protocol: string;
  extensions: string;
  /** how binary messages will be delivered to the page ('blob' or 'arraybuffer'), at open */
  binaryType: string;
}

/** One message, either way. */
export interface FrameEvent<B = ArrayBuffer> extends Base {
  k: 'frame';
  dir: 'out' | 'in';
  /** text or binary on the wire */
  kind: 'text' | 'binary';
  /** what JS type carried it (send's argument, or event.data's type) */
  as: DataType;
  /** size on the wire in bytes (UTF-8 for text) */
  size: number;
  /**
   * The payload, possibly only its first bytes (`truncated`). Absent while a
   * Blob is still being read: a `payload` event with the same `of` follows.
   */
  data?: string | B;
  truncated?: boolean;
  /** out: bufferedAmount right after send() returned */
  buffered?: number;
  /** out: send() was called while CLOSING/CLOSED, so nothing went out */
  notSent?: boolean;
  /** this frame was sent or injected by the extension (DevTools, or an interception rule's answer), not by the page */
  by?: 'devtools' | 'rule';
}

/** The bytes of a Blob frame, read asynchronously after the frame event. */
export interface PayloadEvent<B = ArrayBuffer> extends Base {
  k: 'payload';
  /** seq of the frame this payload belongs to */
  of: number;
  data: string | B;
  truncated?: boolean;
}

/** A bufferedAmount sample while the send buffer drains. */
export interface BufferedEvent extends Base {
  k: 'buffered';
  amount: number;
}

/** The page called close(code?, reason?) — or DevTools did (`by`). */
export interface CloseCallEvent extends Base {
  k: 'close-call';
  code?: number;
  reason?: string;
  /** DevTools (this extension) called the native close(), not the page */
  by?: 'devtools';
}

/** What DevTools showed the page instead of the real close event (a simulated close). */
export interface SimulatedClose {
  /** a server close (clean), or a network drop (an 'error' event, then 1006 not clean) */
  as: 'server' | 'network';
  code: number;
  reason: string;
  wasClean: boolean;
}

/** The 'close' event. */
export interface SocketCloseEvent extends Base {
  k: 'close';
  code: number;
  reason: string;
  wasClean: boolean;
  /** who started the closing handshake (or 'network' when there was none) */
  initiator: CloseInitiator;
  /**
   * DevTools simulated this close: the page's listeners did not get this (real)
   * event but a synthetic one with these fields (isTrusted false).
   */
  simulated?: SimulatedClose;
}

export type CloseInitiator = 'page' | 'server' | 'network' | 'devtools';

/** The 'error' event (the API gives no detail). */
export interface SocketErrorEvent extends Base {
  k: 'error';
  state: ReadyStateValue;
}

/** A WebSocket method threw to the page; the same error still reached it. */
export interface ApiErrorEvent extends Base {
  k: 'api-error';
  method: 'send' | 'close';
  error: ErrorInfo;
}

/**
 * Lightweight mode: the hook stopped (`frames: false`) or started recording
 * this socket's messages, because no WebSocket panel is attached to the page
 * (or one attached). Messages in between were not recorded, and not counted.
 */
export interface RecordingEvent extends Base {
  k: 'recording';
  frames: boolean;
}

/**
 * Interception acted on a message (protocol/intercept.ts): it was held, went on (as it was, edited or
 * later), was dropped or answered by a rule, or a rule closed the socket after it. A message can have
 * several (held, then edited by the user).
 */
export interface InterceptEvent<B = ArrayBuffer> extends Base {
  k: 'intercept';
  /** seq of the message */
  of: number;
  dir: 'out' | 'in';
  outcome: InterceptOutcome;
  cause: InterceptCause;
  /** while held: the hold's number (release commands name it) and what the breakpoint matched */
  hold?: number;
  matched?: string;
  /** the rule that acted */
  rule?: { id: string; name: string };
  /** edited: what went instead of the original */
  data?: string | B;
  /** delayed: by how long */
  ms?: number;
  /** closed: the code and reason the rule closed the socket with */
  code?: number;
  reason?: string;
}

/**
 * Opt-in (the user's *send() call sites* setting): the page's send() calls on this connection come from
 * this stack from here on (the next outgoing frames were sent there, until another `send-site`). Recorded
 * only when the call site changes, so a loop sending from one place costs one event.
 */
export interface SendSiteEvent extends Base {
  k: 'send-site';
  stack: StackFrame[];
}

export type CaptureEvent<B = ArrayBuffer> =
  | CreatedEvent | ConstructErrorEvent | StateEvent | OpenEvent | FrameEvent<B>
  | PayloadEvent<B> | BufferedEvent | CloseCallEvent | SocketCloseEvent | SocketErrorEvent | ApiErrorEvent | RecordingEvent
  | InterceptEvent<B> | SendSiteEvent;

export type CaptureKind = CaptureEvent['k'];

/** Events kept for the life of the page; frames may be evicted by the history caps. */
export function isLifecycle(e: { k: CaptureKind }): boolean {
  return e.k !== 'frame' && e.k !== 'payload' && e.k !== 'buffered';
}
