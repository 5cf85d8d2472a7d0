/**
 * The memory cap: the oldest rows of the frame table are evicted until the
 * table and the memory counted with it (decoded results) fit under the cap;
 * each connection drops the evicted ids and counts them (`Connection.evicted`).
 */
import { ROW, type FrameTable } from './frame-table';
import type { Connection } from './model';

/** Evict until `table.used + extra()` fits `cap`; returns how many frames (not lifecycle rows) went. */
export function enforceCap(t: FrameTable, conns: readonly (Connection | undefined)[], cap: number, extra: () => number): number {
  // the extra memory of evicted frames goes with them (seen on the next look): evict frames in
  // proportion, look again; the last round evicts for the extra as it is
  const rounds = 4;
  let evicted = 0;
  for (let round = 1; round <= rounds; round++) {
    const used = t.used, more = extra();
    if (used + more <= cap || t.rows === 0) break;
    evicted += evictOldest(t, conns, round < rounds ? Math.floor(used * (cap / (used + more))) : cap - more);
  }
  return evicted;
}

/** Evict the oldest rows until the table holds at most `target` bytes; returns how many frames went. */
function evictOldest(t: FrameTable, conns: readonly (Connection | undefined)[], target: number): number {
  let n = 0;
  while (t.used > target && t.rows > 0) {
    const p = t.firstPos;
    const flags = t.flags.data[p]!;
    const conn = conns[t.conn.data[p]!];
    const id = t.firstId;
    t.evictFirst();
    if (flags & ROW.removed || t.isLifecycle(p) || !conn) continue;
    conn.frames.ids.dropBelow(id + 1);
    conn.evicted++;
    n++;
  }
  return n;
}
