/**
 * Machine access to what the panel captured, for automation (users asked for
 * it; our e2e tests use it too): `wsInspector.connections()` and
 * `wsInspector.frames(key)` on the panel page return plain JSON-able data.
 * It lives only on the extension's own page; a web page cannot reach it.
 */
import type { IngestSummary } from './ingest-stats';
import type { Connection, Frame } from './model';
import type { Store } from './store';

export interface FrameSnapshot {
  seq: number; t: number; dir: 'out' | 'in'; kind: 'text' | 'binary'; as: string; size: number;
  /** text payload */
  text?: string;
  /** binary payload, base64 */
  base64?: string;
  truncated?: boolean; buffered?: number; notSent?: boolean; by?: 'devtools';
}

export type ConnectionSnapshot = Omit<Connection, 'frames' | 'hook'> & { frameCount: number };

export interface Automation {
  version: 1;
  connections(): ConnectionSnapshot[];
  frames(key: string): FrameSnapshot[];
  /** events received, and capture → panel latency over recent events */
  stats(): IngestSummary;
}

function frameSnapshot(f: Frame): FrameSnapshot {
  const { conn: _c, id: _i, data, ...rest } = f;
  const payload = data === undefined ? {} : typeof data === 'string' ? { text: data } : { base64: data.b64 };
  return { ...rest, ...payload };
}

export function automationApi(store: Store): Automation {
  return {
    version: 1,
    connections: () => store.order.map(({ frames, hook: _h, ...c }) => ({ ...c, frameCount: frames.length })),
    frames: (key) => store.connections.get(key)?.frames.map(frameSnapshot) ?? [],
    stats: () => store.stats.summary(),
  };
}
