import { useRef } from 'preact/hooks';
import type { Connection, Frame } from '../store/model';
import { formatBytes, formatRelative, formatTime, previewPayload } from './format';
import { listKeyTarget } from './keys';
import { dirArrow, dirWord, frameType, plural } from './labels';
import { useVirtualRows } from './useVirtualRows';

export const FRAME_ROW_HEIGHT = 20;

export interface FrameListProps {
  conn: Connection;
  /** index into conn.frames, or -1 */
  selected: number;
  onSelect: (index: number) => void;
  /** ids of sent frames ticked for "Replay selected" */
  marked: ReadonlySet<number>;
  /** tick or untick a sent frame; `range`: shift held, tick everything since the last one ticked */
  onMark: (index: number, range: boolean) => void;
}

const rowId = (f: Frame): string => `frame-row-${f.id}`;

/**
 * The frames of one connection, both ways, as a virtual grid: only the rows
 * in view (plus a margin) exist in the DOM, so a million frames scroll like ten.
 */
export function FrameList({ conn, selected, onSelect, marked, onMark }: FrameListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const frames = conn.frames;
  const v = useVirtualRows(scroller, frames.length, FRAME_ROW_HEIGHT, conn.key);
  const selectedFrame = selected >= 0 ? frames.at(selected) : undefined;

  const onKeyDown = (e: KeyboardEvent): void => {
    const next = listKeyTarget(e.key, selected, frames.length, v.pageRows);
    if (next === null) return;
    e.preventDefault();
    v.reveal(next);
    onSelect(next);
  };

  const rows = [];
  for (let i = v.start; i < v.end; i++) {
    const f = frames.at(i);
    if (f) {
      rows.push(
        <FrameRow key={f.id} frame={f} index={i} top={v.top(i)} selected={i === selected} onSelect={onSelect}
          openedAt={conn.createdAt} marked={marked.has(f.id)} onMark={onMark} />,
      );
    }
  }

  return (
    <section class="frames">
      {conn.dropped > 0 && (
        <p class="dropped-warning">
          {plural(conn.dropped, 'frame', 'frames')} dropped (page history cap or lost in transit)
        </p>
      )}
      <div
        role="grid"
        aria-label="Frames"
        aria-rowcount={frames.length + 1}
        aria-activedescendant={selectedFrame && selected >= v.start && selected < v.end ? rowId(selectedFrame) : undefined}
        tabIndex={0}
        class="grid frame-grid"
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" class="grid-head">
          <div role="row" class="grid-row" aria-rowindex={1}>
            <div role="columnheader" class="cell" title="Tick sent frames to replay them as a sequence">
              <span aria-hidden="true">⟳</span><span class="sr-only">Replay</span>
            </div>
            <div role="columnheader" class="cell" title="Direction">Dir</div>
            <div role="columnheader" class="cell">Time</div>
            <div role="columnheader" class="cell">Size</div>
            <div role="columnheader" class="cell">Type</div>
            <div role="columnheader" class="cell">Data</div>
          </div>
        </div>
        <div role="rowgroup" class="grid-body scroller" ref={scroller} onScroll={v.onScroll} onWheel={v.onWheel}>
          <div class="spacer" style={{ height: `${v.height}px` }}>{rows}</div>
        </div>
      </div>
      {frames.length === 0 && <p class="empty">No frames on this connection yet.</p>}
    </section>
  );
}

function FrameRow({ frame: f, index, top, selected, onSelect, openedAt, marked, onMark }: {
  frame: Frame; index: number; top: number; selected: boolean; onSelect: (i: number) => void; openedAt: number;
  marked: boolean; onMark: (index: number, range: boolean) => void;
}) {
  const cls = `grid-row ${f.dir}${selected ? ' selected' : ''}${f.notSent ? ' not-sent' : ''}`;
  return (
    <div
      role="row"
      id={rowId(f)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      class={cls}
      style={{ top: `${top}px` }}
      onClick={() => onSelect(index)}
    >
      <div role="gridcell" class="cell mark">
        {f.dir === 'out' && (
          <input
            type="checkbox"
            aria-label={`Tick frame #${f.seq} for replay`}
            checked={marked}
            onClick={(e) => { e.stopPropagation(); onMark(index, e.shiftKey); }}
          />
        )}
      </div>
      <div role="gridcell" class="cell dir">
        <span aria-hidden="true">{dirArrow(f.dir)}</span>
        <span class="sr-only">{dirWord(f.dir)}</span>
      </div>
      <div role="gridcell" class="cell num" title={formatRelative(f.t, openedAt)}>{formatTime(f.t)}</div>
      <div role="gridcell" class="cell num">{formatBytes(f.size)}</div>
      <div role="gridcell" class="cell">
        {frameType(f)}
        {f.notSent && <> <span class="badge warn">not sent</span></>}
        {f.by === 'devtools' && <> <span class="badge info">devtools</span></>}
      </div>
      <div role="gridcell" class="cell data">{previewPayload(f.data)}</div>
    </div>
  );
}
