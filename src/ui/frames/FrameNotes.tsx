import type { FilterSpec } from '../../store/filter';
import type { FrameView } from '../../store/frame-view';
import type { Connection } from '../../store/model';
import type { Store } from '../../store/store';
import { formatBytes, formatCount } from '../shared/format';
import { plural } from '../shared/labels';
import { CAPTURE_ERRORS_HINT } from '../shell/StatusBar';

/** Above the grid: what the panel could not keep, and what to do about it. */
export function FrameNotes({ store, viewConn }: { store: Store; viewConn: Connection | undefined }) {
  const conns = viewConn ? [viewConn] : store.order;
  let dropped = 0, evicted = 0, partial = 0, unrecorded = 0;
  for (const c of conns) {
    dropped += c.dropped; evicted += c.evicted;
    if (c.partial) partial++;
    if (c.recording?.some((r) => !r.frames)) unrecorded++;
  }
  const failed = viewConn ? viewConn.captureErrors ?? 0 : store.captureErrors;
  return (
    <>
      {failed > 0 && (
        <p class="dropped-warning" role="alert">
          {`${plural(failed, 'capture error', 'capture errors')}${viewConn ? ' on this connection' : ''}: ${CAPTURE_ERRORS_HINT}`}
        </p>
      )}
      {dropped > 0 && (
        <p class="dropped-warning">
          {plural(dropped, 'frame', 'frames')} dropped (page history cap or lost in transit). Reload the page with
          this panel open to capture everything from the start.
        </p>
      )}
      {partial > 0 && (
        <p class="dropped-warning">
          {viewConn ? 'This connection was' : `${plural(partial, 'connection was', 'connections were')}`} opened before the
          page&apos;s capture history reaches back: reload the page to capture sockets opened before the history cap.
        </p>
      )}
      {unrecorded > 0 && (
        <p class="dropped-warning">
          {`Lightweight mode: messages of ${plural(unrecorded, 'connection', 'connections')} were not recorded while no `
            + 'WebSocket panel was open (the lifecycle rows say when). Untick Lightweight in the toolbar to record every message.'}
        </p>
      )}
      {evicted > 0 && (
        <p class="dropped-warning">
          {`${formatCount(evicted)} older ${evicted === 1 ? 'frame was' : 'frames were'} evicted to stay under the memory cap `
            + `(${formatBytes(store.memoryCap)}). Raise the cap in the status bar to keep more.`}
        </p>
      )}
    </>
  );
}

/** Why the grid is empty: nothing matches the filter, or nothing captured yet. */
export function EmptyFrames({ store, view, viewConn, spec, onClearFilter }: {
  store: Store; view: FrameView; viewConn: Connection | undefined; spec: FilterSpec; onClearFilter: () => void;
}) {
  if (view.length > 0 || view.filtering) return null;
  const held = viewConn ? viewConn.frames.length : store.framesHeld;
  if (held > 0 || (spec.lifecycle && store.rowsHeld > 0)) {
    return (
      <p class="empty">
        No frames match the filter.{' '}
        <button type="button" class="inline-button" onClick={onClearFilter}>Clear filter</button>
      </p>
    );
  }
  if (viewConn) return <p class="empty">No frames on this connection yet.</p>;
  if (store.order.length === 0) return null;
  return <p class="empty">No frames captured yet. Frames appear here as the page sends and receives them.</p>;
}

