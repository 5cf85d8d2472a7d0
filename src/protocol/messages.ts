/**
 * Every message between the extension's contexts, in one place.
 *
 *   page hook ⇄ relay        a private MessageChannel (structured clone; binary as ArrayBuffer)
 *   relay ⇄ background       runtime.Port named RELAY_PORT (JSON in Chrome; binary as base64)
 *   panel ⇄ background       runtime.Port named PANEL_PORT
 *   panel ← relay            runtime.Port named DATA_PORT (Chrome: the panel opens it to a frame with
 *                            tabs.connect; the relay's batches only, the service worker's hop skipped)
 *
 * Commands (send, inject, close …) travel only panel → background → relay →
 * hook, each with a request id; the answer (`command-result`) goes back the same
 * way. The background adds the tab (from the panel's subscription), the relay
 * is reached by frame id, the hook by its id, the socket by connection id.
 *
 * Each envelope carries the protocol version and a source tag; each channel
 * has its own discriminated union so no context can send what it should not.
 * Runtime guards for the untrusted edges live in ./guards.ts.
 */
import type { PageBatch, WireBatch } from './batch';
import type { CaptureEvent, ConnId, ErrorInfo } from './events';
import type { InterceptCommand } from './intercept';

/** Bounds of the page hook's in-page history (user-configurable). */
export interface HistoryCaps {
  /** frames (and samples) kept, across all connections */
  maxFrames: number;
  /** payload bytes kept, across all connections */
  maxBytes: number;
  /** connections whose lifecycle is kept; the oldest closed ones go first */
  maxConnections: number;
}

export const PROTOCOL_VERSION = 1;
export const RELAY_PORT = 'wsi-relay';
export const PANEL_PORT = 'wsi-panel';
export const DATA_PORT = 'wsi-data';

/** The window message that hands the private MessageChannel port from hook to relay. */
export const HANDSHAKE = 'wsi-handshake';
/** Window message from a relay that started after the hook: "offer the channel again". */
export const RELAY_READY = 'wsi-relay-ready';
/** runtime message from the background to a tab's relays: a panel wants this tab, reconnect if dropped. */
export const PING = 'wsi-ping';
/** runtime message from a relay to the background: the worker hook's code, please (deep capture of workers). */
export const WORKER_HOOK = 'wsi-worker-hook';
/** runtime message from a relay to the background (Firefox): put the worker hook in front of this worker script. */
export const WORKER_SCRIPT = 'wsi-worker-script';

/**
 * What a page hook says before it constructs a worker it wants captured (Firefox): the worker script's
 * absolute URL, the hook's id and the worker's first connection number. The background's webRequest
 * listener then puts the worker hook, with these, in front of that script (src/workers/).
 */
export interface WorkerScriptWord { type: typeof WORKER_SCRIPT; url: string; hook: string; base: number }

/** Binary payloads on extension ports (JSON-safe). */
export interface Base64 { b64: string }
/** A payload on extension ports: text as a string, binary as base64. */
export type WirePayload = string | Base64;
export type WireEvent = CaptureEvent<Base64>;

/** Limits enforced at trust boundaries (a page can post anything to the relay). */
export const LIMITS = {
  eventsPerBatch: 5000,
  /** longest string field (urls, reasons, error messages) */
  stringField: 64 * 1024,
  /** largest payload in one event or one fetched payload */
  payloadBytes: 16 * 1024 * 1024,
  connIdLength: 64,
} as const;

/** Per connection: the highest seq the panel already holds (it wants seq > cursor). */

export type Cursors = Record<ConnId, number>;

interface Envelope<S extends string> { src: S; v: typeof PROTOCOL_VERSION }

// ---------- commands: what DevTools can do to one socket ----------

/**
 * One action on one socket (`c`). `P` is how a payload travels: WirePayload
 * on extension ports, `string | ArrayBuffer` on the hook's private channel.
 * Text payloads are strings, binary ones bytes.
 */
export type Command<P = WirePayload> =
  /** send on the socket (the native send), logged as an outgoing frame by DevTools */
  | { op: 'send'; c: ConnId; data: P }
  /** deliver to the page as if the server had sent it, logged as an incoming frame by DevTools */
  | { op: 'inject'; c: ConnId; data: P }
  /** the real close(code?, reason?), client side */
  | { op: 'close'; c: ConnId; code?: number; reason?: string }
  /** really close the socket, but show the page a clean server close with this code and reason */
  | { op: 'simulate-server-close'; c: ConnId; code: number; reason: string }
  /** really close the socket, but show the page a network drop: 'error', then close 1006 not clean */
  | { op: 'simulate-drop'; c: ConnId }
  /** interception of the page's traffic (protocol/intercept.ts) */
  | InterceptCommand<P>;

export type CommandOp = Command['op'];
export const COMMAND_OPS: readonly CommandOp[] = ['send', 'inject', 'close', 'simulate-server-close', 'simulate-drop', 'intercept', 'release', 'release-all'];

/** The answer to a command: done, or the error the browser (or the hook) raised. */
export type CommandResult = { ok: true } | { ok: false; error: ErrorInfo };

// ---------- page hook ⇄ relay ----------

export type HookToRelay = Envelope<'wsi-hook'> & (
  /** the document created its first socket: the relay may connect to the extension now */
  | { type: 'active' }
  | { type: 'batch'; batch: PageBatch }
  | { type: 'payload'; req: number; c: ConnId; seq: number; data?: string | ArrayBuffer; truncated?: boolean; error?: string }
  | { type: 'command-result'; req: number; result: CommandResult }
  /** deep capture of workers in Firefox: the page is about to load this worker script (WorkerScriptWord) */
  | { type: 'worker-script'; url: string; base: number }
);

export type RelayToHook = Envelope<'wsi-relay'> & (
  /**
   * the relay took the channel (also: history caps from the user's settings,
   * if any, lightweight mode, the capture options — send() call sites, deep capture of workers with the
   * worker hook's code to run first in them (Chrome), or `workerScripts` when the background puts it in
   * front of the worker scripts themselves (Firefox); sent again when the user changes them
   */
  | { type: 'ready'; caps?: Partial<HistoryCaps>; lightweight?: boolean; sendSites?: boolean; workers?: boolean; workerHook?: string; workerScripts?: boolean }
  | { type: 'attach'; cursors: Cursors }
  /** stop streaming; `restarting`: the background is restarting, the panel is probably coming back */
  | { type: 'detach'; restarting?: boolean }
  | { type: 'fetch-payload'; req: number; c: ConnId; seq: number }
  | { type: 'command'; req: number; cmd: Command<string | ArrayBuffer> }
);

/** Data of the handshake window message (the port travels in `ports`). */
export interface Handshake { type: typeof HANDSHAKE; hook: string }

// ---------- relay ⇄ background ----------

export type RelayToBackground = Envelope<'wsi-relay'> & (
  | { type: 'hello'; hook: string; url: string }
  | { type: 'batch'; hook: string; batch: WireBatch }
  | { type: 'payload'; hook: string; req: number; c: ConnId; seq: number; data?: WirePayload; truncated?: boolean; error?: string }
  | { type: 'command-result'; hook: string; req: number; result: CommandResult }
);

export type BackgroundToRelay = Envelope<'wsi-background'> & (
  /**
   * `clone`: an empty ArrayBuffer, which arrives as one only where ports carry structured clones (as `{}`
   * where they serialize to JSON): the relay then puts batches' bytes on ports as they are, not as base64
   */
  | { type: 'attach'; cursors: Cursors; clone?: ArrayBuffer }
  | { type: 'detach' }
  | { type: 'fetch-payload'; req: number; c: ConnId; seq: number }
  /** `req` is the background's own id (it maps answers back to the asking panel) */
  | { type: 'command'; req: number; cmd: Command }
);

// ---------- panel ⇄ background ----------

export type PanelToBackground = Envelope<'wsi-panel'> & (
  /** the panel watches this tab; the background answers with a frame-hello per live frame */
  | { type: 'subscribe'; tabId: number }
  /** start (or resume) streaming from one frame's hook, after the given cursors */
  | { type: 'attach'; frameId: number; hook: string; cursors: Cursors }
  | { type: 'fetch-payload'; frameId: number; hook: string; req: number; c: ConnId; seq: number }
  /** act on a socket of this tab (the tab is the one the panel subscribed to) */
  | { type: 'command'; frameId: number; hook: string; req: number; cmd: Command }
);

export type BackgroundToPanel = Envelope<'wsi-background'> & (
  /** a frame's hook is reachable (new frame, reload, or reconnect after a service worker restart) */
  | { type: 'frame-hello'; frameId: number; hook: string; url: string }
  | { type: 'frame-gone'; frameId: number; hook: string }
  /** batches of the tab's frames, gathered for a few ms so a page with many frames is one message, not one per frame */
  | { type: 'batches'; items: FrameBatch[] }
  | { type: 'payload'; frameId: number; hook: string; req: number; c: ConnId; seq: number; data?: WirePayload; truncated?: boolean; error?: string }
  /** the answer to this panel's command `req` (only the asking panel gets it) */
  | { type: 'command-result'; frameId: number; hook: string; req: number; result: CommandResult }
);

/** One frame's batch, as the background passes it on to panels. */
export interface FrameBatch { frameId: number; hook: string; batch: WireBatch }

/** Build an envelope with the version and source tag filled in. */
export function envelope<S extends string, M extends object>(src: S, msg: M): Envelope<S> & M {
  return { src, v: PROTOCOL_VERSION, ...msg };
}
