/**
 * The intercept queue as the user reads it: per held message, how many
 * messages of the same socket and direction wait behind it (the later held
 * ones too: nothing passes a held message), and whether the socket's close
 * waits too. The page records every
 * message as it is sent or arrives, held or not, so the panel counts them in
 * its own log; keep-alives pass (unless included), so they are not counted.
 */
import { ROW } from '../store/frame-table';
import type { HeldMessage } from '../store/intercept-fold';
import type { Store } from '../store/store';

/** Rows looked at per held message at most (a flood behind a held message reads "10,000 or more"). */
export const MAX_SCAN = 10_000;

export interface Behind {
  messages: number;
  /** the count stopped at MAX_SCAN */
  more: boolean;
  /** the socket's close (received) or the page's close() (sent) waits behind it */
  close: boolean;
}

/** What waits behind `h`: the later messages of its socket and direction. */
export function waitingBehind(store: Store, h: HeldMessage, keepAlive?: (rowId: number) => boolean): Behind {
  const ids = h.conn.frames;
  const t = store.table;
  let messages = 0, scanned = 0;
  for (let i = ids.length - 1; i >= 0 && scanned < MAX_SCAN; i--, scanned++) {
    const id = ids.idAt(i);
    const p = t.pos(id);
    if (p < 0) break;
    const seq = t.seq.data[p]!;
    if (seq <= h.of) break;
    const out = (t.flags.data[p]! & ROW.out) !== 0;
    if (out !== (h.dir === 'out') || t.flags.data[p]! & (ROW.devtools | ROW.rule)) continue;
    if (keepAlive?.(id)) continue;
    messages++;
  }
  const c = h.conn;
  const close = (h.dir === 'in'
    ? c.close !== undefined && c.close.t >= h.since
    : c.closeRequest !== undefined && c.closeRequest.by === undefined && c.closeRequest.t >= h.since && c.close === undefined);
  return { messages, more: scanned >= MAX_SCAN, close };
}
