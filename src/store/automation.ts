/**
 * Machine access to what the panel captured, for automation (users asked for
 * it; our e2e tests and the panel benchmark use it too):
 * `wsInspector.connections()`, `wsInspector.frames(key)` and friends on the
 * panel page return plain JSON-able data. It lives only on the extension's own
 * page; a web page cannot reach it.
 */
import type { WireBatch } from '../protocol/batch';
import { fromWireBatch } from '../protocol/batch-codec';
import { isWireBatch } from '../protocol/guards';
import type { IngestSummary } from './ingest-stats';
import type { Connection, Frame } from './model';
import type { Store } from './store';

export interface FrameSnapshot {
  seq: number; t: number; dir: 'out' | 'in'; kind: 'text' | 'binary'; as: string; size: number;
  /** text payload */
  text?: string;
  /** binary payload, base64 */
  base64?: string;
  truncated?: boolean; buffered?: number; notSent?: boolean; by?: 'devtools' | 'rule';
}

/** A connection as JSON: everything but its frames (see `frames(key)`) and internal tables. */
export type ConnectionSnapshot = Omit<Connection, 'frames' | 'hook' | 'rate' | 'index'> & { frameCount: number };

export interface MemorySnapshot {
  /** estimated bytes held by the frame table */
  used: number;
  /** the cap: over it, the oldest frames are evicted */
  cap: number;
  /** frames evicted by the cap since the last Clear */
  evicted: number;
  /** frames held */
  frames: number;
  /** rows held (frames and lifecycle events) */
  rows: number;
}

/** What the frame grid shows right now (the panel sets it; see src/ui/shell/App.tsx). */
export interface ViewSnapshot {
  /** rows matching the current filter */
  matched: number;
  /** a filter is being applied (large tables are filtered in slices) */
  filtering: boolean;
  /** how long the last full filter pass took, in ms (wall time, slices and the pauses between them) */
  lastFilterMs: number;
  /** of which testing rows, in ms */
  lastFilterWorkMs: number;
  /** the filter's text box as applied */
  query: string;
  /** redraws of the panel for traffic since it opened, and the ms they took (the store's change to the DOM, layout included) */
  redraws: number;
  redrawMs: number;
}

export interface Automation {
  version: 1;
  connections(): ConnectionSnapshot[];
  frames(key: string): FrameSnapshot[];
  /** events received, and capture → panel latency over recent events */
  stats(): IngestSummary;
  /** memory used by captured frames, the cap, and how many frames it evicted */
  memory(): MemorySnapshot;
  /** set the memory cap in bytes (as the status bar's Memory cap field does) */
  setMemoryCap(bytes: number): void;
  /** the frame grid's current filter result */
  view(): ViewSnapshot | null;
  /** capture failures counted so far (the status bar's "capture errors: N") */
  captureErrors(): number;
  /**
   * Feed a batch as if it came from a page (checked by the same guard as
   * PanelLink's): for benchmarks and tests of the panel at scale.
   */
  ingestBatch(frameId: number, hook: string, batch: WireBatch): boolean;
  /** DevTools' network log as a second source: its state, and what its polls cost the panel so far */
  networkLog(): NetworkLogSnapshot | null;
}

export interface NetworkLogSnapshot {
  state: unknown;
  polls: number;
  /** ms spent in polls: waiting for getHAR() and merging */
  busyMs: number;
  lastPollMs: number;
}

function frameSnapshot(f: Frame): FrameSnapshot {
  const { conn: _c, id: _i, data, ...rest } = f;
  const payload = data === undefined ? {} : typeof data === 'string' ? { text: data } : { base64: data.b64 };
  return { ...rest, ...payload };
}

function connectionSnapshot(c: Connection): ConnectionSnapshot {
  const { frames, hook: _h, rate: _r, index: _i, ...rest } = c;
  return { ...rest, frameCount: frames.length };
}

export function automationApi(store: Store, view: () => ViewSnapshot | null = () => null,
  networkLog: () => NetworkLogSnapshot | null = () => null): Automation {
  return {
    version: 1,
    connections: () => store.order.map(connectionSnapshot),
    frames: (key) => store.connections.get(key)?.frames.map(frameSnapshot) ?? [],
    stats: () => store.stats.summary(),
    memory: () => ({
      used: store.memoryUsed, cap: store.memoryCap, evicted: store.evictedFrames, frames: store.framesHeld, rows: store.table.rows,
    }),
    setMemoryCap: (bytes) => store.setMemoryCap(bytes),
    view,
    captureErrors: () => store.captureErrors,
    networkLog,
    ingestBatch: (frameId, hook, batch) => {
      // the same way in as the panel link's: a checked wire batch, decoded
      if (!isWireBatch(batch)) return false;
      store.ingestBatch(frameId, hook, fromWireBatch(batch));
      return true;
    },
  };
}
