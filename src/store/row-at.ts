/**
 * One row of the frame table as an object (a Frame or a LifecycleRow), made
 * only when something looks at it: the rows in view, the selected one.
 */
import { DATA_TYPES } from '../protocol/batch';
import { AS_LIFECYCLE, NO_BUFFERED, ROW, type FrameTable } from './frame-table';
import { lifecycleKind } from './lifecycle';
import type { Connection, Frame, LifecycleRow, Row } from './model';

/** The row with this id, as a fresh object; undefined when evicted or removed. `conns`: connections by index. */
export function rowAt(t: FrameTable, conns: readonly (Connection | undefined)[], id: number): Row | undefined {
  const p = t.pos(id);
  if (p < 0) return undefined;
  const flags = t.flags.data[p]!;
  const conn = conns[t.conn.data[p]!];
  if (!conn || flags & ROW.removed) return undefined;
  const payload = t.payload[p];
  if (t.isLifecycle(p)) {
    const r: LifecycleRow = { id, conn, seq: t.seq.data[p]!, t: t.t.data[p]!, lifecycle: lifecycleKind(t.as.data[p]! & ~AS_LIFECYCLE), text: payload ?? '' };
    return r;
  }
  const f: Frame = {
    id, conn, seq: t.seq.data[p]!, t: t.t.data[p]!,
    dir: flags & ROW.out ? 'out' : 'in', kind: flags & ROW.binary ? 'binary' : 'text',
    as: DATA_TYPES[t.as.data[p]!] ?? 'coerced', size: t.size.data[p]!,
  };
  if (payload !== undefined && !(flags & ROW.noData)) f.data = flags & ROW.binary ? { b64: payload } : payload;
  if (flags & ROW.truncated) f.truncated = true;
  const buffered = t.buffered.data[p]!;
  if (buffered !== NO_BUFFERED) f.buffered = buffered;
  if (flags & ROW.notSent) f.notSent = true;
  if (flags & ROW.devtools) f.by = 'devtools';
  else if (flags & ROW.rule) f.by = 'rule';
  return f;
}
