/**
 * The panel's picture of the inspected tab: connections and their frames,
 * built only from capture events. Names follow what the user sees.
 */
import type { CloseInitiator, ConnId, DataType, ErrorInfo, ReadyStateValue, SimulatedClose } from '../protocol/events';
import type { WirePayload } from '../protocol/messages';

/** A frame as the panel keeps it. `data` stays as it arrived (text, or base64) until viewed. */
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
  by?: 'devtools';
}

export interface StateChange { state: ReadyStateValue; t: number; via: string }
export interface BufferedSample { t: number; amount: number }
export interface Problem { t: number; what: string; error?: ErrorInfo }

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
}

export interface CloseRequest { code?: number; reason?: string; t: number; by?: 'devtools' }

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
  /** readyState, or 'failed' when the constructor threw */
  state: ReadyStateValue | 'failed';
  createdAt: number;
  openAt?: number;
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
  closeRequest?: CloseRequest;
  close?: CloseInfo;
  frames: Frame[];
  /** highest seq received; events at or below it are duplicates */
  lastSeq: number;
  /** seq numbers never received (evicted by the page's history cap, or lost) */
  dropped: number;
}
