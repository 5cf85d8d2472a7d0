/**
 * The panel's picture of the inspected tab: connections and their frames,
 * built only from capture events. Names follow what the user sees.
 *
 * Frames are stored in columns (frame-table.ts); a `Frame` is a view of one
 * row, made when something looks at it (Store.frame(id)). Do not keep them:
 * the row may be evicted, and its payload may be filled in later.
 */
import type { CloseInitiator, ConnId, DataType, ErrorInfo, ReadyStateValue, SimulatedClose, SocketSource, StackFrame } from '../protocol/events';
import type { WirePayload } from '../protocol/messages';
import type { ConnFrames } from './conn-frames';
import type { RateSeries } from './rate';

/** A frame as the panel shows it. `data` stays as it arrived (text, or base64) until viewed. */
export interface Frame {
  /** store-wide arrival index (stable key for rows) */
  id: number;
  conn: Connection;
  seq: number;
  t: number;
  dir: 'out' | 'in';
  kind: 'text' | 'binary';
  as: DataType;
  size: number;
  data?: WirePayload;
  truncated?: boolean;
  buffered?: number;
  notSent?: boolean;
  /** sent or injected by DevTools, or a received message an interception rule answered with */
  by?: 'devtools' | 'rule';
}

/** Lifecycle events that can show as rows of the frame grid (when the Lifecycle type is on). */
export const LIFECYCLE_KINDS = ['created', 'construct-error', 'open', 'close-call', 'close', 'error', 'api-error', 'recording'] as const;
export type LifecycleKind = (typeof LIFECYCLE_KINDS)[number];

/** A lifecycle event as a grid row: what happened, in words. */
export interface LifecycleRow {
  id: number;
  conn: Connection;
  seq: number;
  t: number;
  lifecycle: LifecycleKind;
  text: string;
}

/** What one row of the frame grid is. */
export type Row = Frame | LifecycleRow;

export const isLifecycleRow = (r: Row): r is LifecycleRow => 'lifecycle' in r;

/**
 * `seq` on the parts of a connection that came from an event: the event's sequence number, so an export
 * gives back exactly the events the hook recorded (absent: not from an event of its own — a sent frame's
 * bufferedAmount — or imported without one).
 */
export interface StateChange { state: ReadyStateValue; t: number; via: string; seq?: number }
export interface BufferedSample { t: number; amount: number; seq?: number }
export interface Problem { t: number; what: string; error?: ErrorInfo; seq?: number }

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  initiator: CloseInitiator;
  t: number;
  /** what the page (or DevTools: `by`) asked for, when it called close() */
  requested?: CloseRequest;
  /** DevTools simulated this close: the page saw these fields instead of the real ones above */
  simulated?: SimulatedClose;
  seq?: number;
}

export interface SendSite { seq: number; t: number; stack: StackFrame[] }

export interface CloseRequest { code?: number; reason?: string; t: number; by?: 'devtools'; seq?: number }

export interface Connection {
  /** unique in the store: frameId/connId */
  key: string;
  frameId: number;
  hook: string;
  id: ConnId;
  url: string;
  resolvedUrl: string;
  protocols?: string | string[];
  frameUrl: string;
  subclass?: string;
  /** who called the constructor (DevTools' Initiator), innermost first */
  stack?: StackFrame[];
  /** not a WebSocket of a window: a WebSocketStream, a worker's or the service worker's socket, or one only the network log saw */
  source?: SocketSource;
  /** seen only in DevTools' network log (the panel's second source): frames, but no close code, states or the page's calls */
  network?: boolean;
  /** opt-in: where the page's send() calls came from, from each seq on (see SendSiteEvent) */
  sendSites?: SendSite[];
  /** readyState, or 'failed' when the constructor threw */
  state: ReadyStateValue | 'failed';
  createdAt: number;
  openAt?: number;
  openSeq?: number;
  protocol?: string;
  extensions?: string;
  binaryType?: string;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  timeline: StateChange[];
  buffered: BufferedSample[];
  problems: Problem[];
  /** the first close() call: the one that took effect (later calls are no-ops natively) */
  closeRequest?: CloseRequest;
  /** close() calls after the first, kept so nothing recorded is lost (exports round-trip them) */
  laterCloseCalls?: CloseRequest[];
  close?: CloseInfo;
  /** the frames the panel still holds, oldest first (the oldest go when the memory cap is reached) */
  frames: ConnFrames;
  /** position in the store's connection table (the frame table's `conn` column) */
  index: number;
  /** highest seq received; events at or below it are duplicates */
  lastSeq: number;
  /** seq numbers never received (evicted by the page's history cap, or lost) */
  dropped: number;
  /** frames the panel evicted to stay under its memory cap (counted, shown, never silent) */
  evicted: number;
  /** errors the page hook caught in itself while handling this socket: some of its events may be missing (shown, never silent) */
  captureErrors?: number;
  /** true when the connection's first event (its creation) was not received: it was opened before the history reaches back */
  partial?: boolean;
  /** frames per second each way, per second since creation */
  rate: RateSeries;
  /**
   * lightweight mode: when the hook stopped (frames false) and started again
   * recording this socket's messages; messages in between were not recorded
   */
  recording?: { t: number; frames: boolean; seq?: number }[];
  /** a Blob frame's seq → the seq of the event that brought its bytes (exports give it back) */
  payloadSeqs?: Record<number, number>;
  /** read from a file (the file's name), not captured from the page: kept across navigations, never acted on */
  imported?: string;
}
