import { useEffect, useRef } from 'preact/hooks';
import type { FrameView } from '../../store/frame-view';
import { isLifecycleRow, type Frame, type Row } from '../../store/model';
import type { Store } from '../../store/store';
import { tracksOf } from '../shared/grid-tracks';
import { listKeyTarget } from '../shared/keys';
import { useSize } from '../shared/useSize';
import { fitColumns, maxWidthOf, MIN_COLUMN } from './column-layout';
import { ColumnResizer } from './ColumnResizer';
import { FRAME_COLUMNS, type CellContext, type FrameColumn } from './frame-columns';
import { useVirtualRows } from './useVirtualRows';
import '../shared/grid.css';
import './frames.css';

export const FRAME_ROW_HEIGHT = 20;

export interface FrameListProps {
  store: Store;
  /** the rows to show (the filter's result) */
  view: FrameView;
  /** bumped when the view changed (the grid re-renders on it) */
  version: number;
  showConnection: boolean;
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** ids of sent frames ticked for "Replay selected" */
  marked: ReadonlySet<number>;
  /** tick or untick a sent frame; `range`: shift held, tick everything since the last one ticked */
  onMark: (id: number, range: boolean) => void;
  /** open the row's context menu at a point */
  onMenu: (id: number, x: number, y: number) => void;
  /** a new value (another filter) re-engages sticking to the newest row */
  resetKey: unknown;
  columns?: readonly FrameColumn[];
  /** a frame's decoded summary (the Decoded column, shown when given; see CellContext.decoded) */
  decoded?: (f: Frame) => string | null | undefined;
  /** what interception did to a frame (CellContext.intercept) */
  intercept?: CellContext['intercept'];
  /** ids of optional columns the user hid */
  hidden?: ReadonlySet<string>;
  /** column widths the user set (px) */
  widths?: ReadonlyMap<string, number>;
  /** a column resized (undefined: back to its own width) */
  onResize?: (id: string, width: number | undefined) => void;
  /** open the Columns menu at a point (right click on the header); `squeezed`: columns hidden for want of room */
  onColumnsMenu?: (x: number, y: number, squeezed: string[]) => void;
}

const NO_WIDTHS: ReadonlyMap<string, number> = new Map();

const rowId = (id: number): string => `frame-row-${id}`;

/**
 * The frame grid: the filter's rows as a virtual grid — only the rows in view
 * (plus a margin) exist in the DOM, so a million frames scroll like ten. It
 * follows the newest row unless the user scrolled away.
 */
export function FrameList(props: FrameListProps) {
  const { store, view, showConnection, selectedId, onSelect, marked, onMark, onMenu, resetKey } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const { width: available } = useSize(scroller);
  const count = view.length;
  const v = useVirtualRows(scroller, count, FRAME_ROW_HEIGHT, resetKey, 10, view.shifted);
  const selected = selectedId === null ? -1 : view.indexOf(selectedId);
  const ctx: CellContext = { showConnection, marked, onMark, decoded: props.decoded, intercept: props.intercept };
  const hidden = props.hidden;
  const widths = props.widths ?? NO_WIDTHS;
  const wanted = (props.columns ?? FRAME_COLUMNS).filter((c) => (!c.when || c.when(ctx)) && !(c.optional && hidden?.has(c.id)));
  // the payload keeps its minimum: columns that do not fit beside it are left out until there is room
  const { shown: columns, squeezed, template } = fitColumns(wanted, widths, available);
  // a drag shows each width through the grid's CSS variable: no render of the rows per pixel
  const preview = (id: string, w: number): void => {
    const next = new Map(widths).set(id, w);
    grid.current?.style.setProperty('--frame-cols', tracksOf(columns, next, available));
  };

  // a filter change keeps the selected row in view when it is still there
  useEffect(() => {
    if (selected >= 0) v.reveal(selected);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a filter change (resetKey) reveals; moving the selection must not scroll
  }, [resetKey]);

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      if (selectedId === null) return;
      e.preventDefault();
      const el = scroller.current?.querySelector(`#${rowId(selectedId)}`)?.getBoundingClientRect();
      const box = scroller.current?.getBoundingClientRect();
      onMenu(selectedId, el?.left ?? box?.left ?? 0, el?.bottom ?? box?.top ?? 0);
      return;
    }
    const next = listKeyTarget(e.key, selected, count, v.pageRows);
    if (next === null) return;
    e.preventDefault();
    v.reveal(next);
    const id = view.idAt(next);
    if (id >= 0) onSelect(id);
  };

  const rows = [];
  for (let i = v.start; i < v.end; i++) {
    const id = view.idAt(i);
    const r = id >= 0 ? store.row(id) : undefined;
    if (r) {
      rows.push(
        // while following a flood, keyed by place (negative numbers: never a frame's id), so Preact rewrites
        // the rows' text in the elements it has instead of making new ones: no new layout objects per draw
        <FrameRow key={v.flood ? -1 - (i - v.start) : id} row={r} index={i} top={v.top(i)} selected={id === selectedId} columns={columns} ctx={ctx}
          onSelect={onSelect} onMenu={onMenu} />,
      );
    }
  }

  return (
    <div
      role="grid"
      aria-label="Frames"
      aria-rowcount={count + 1}
      aria-activedescendant={selectedId !== null && selected >= v.start && selected < v.end ? rowId(selectedId) : undefined}
      tabIndex={0}
      ref={grid}
      class="grid frame-grid"
      style={{ '--frame-cols': template }}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" class="grid-head">
        <div
          role="row" class="grid-row" aria-rowindex={1}
          onContextMenu={(e) => { if (props.onColumnsMenu) { e.preventDefault(); props.onColumnsMenu(e.clientX, e.clientY, squeezed); } }}
        >
          {columns.map((c) => (
            <div
              key={c.id} role="columnheader" class="cell" aria-labelledby={`frame-col-${c.id}`}
              title={`${c.title ? `${c.title}. ` : ''}Right click: choose the columns`}
            >
              {/* the header's name is its label, not its resize handle's */}
              <span id={`frame-col-${c.id}`}>{c.header}</span>
              {c.resizable && props.onResize && (
                <ColumnResizer
                  name={typeof c.header === 'string' ? c.header : c.id} width={widths.get(c.id) ?? c.width}
                  min={MIN_COLUMN} max={maxWidthOf(c.id, columns, widths, available)}
                  onPreview={(w) => preview(c.id, w)} onCommit={(w) => props.onResize!(c.id, w)}
                />
              )}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" class="grid-body scroller" ref={scroller} onScroll={v.onScroll} onWheel={v.onWheel}>
        <div class="spacer" style={{ height: `${v.height}px` }}>{rows}</div>
      </div>
    </div>
  );
}

function FrameRow({ row: r, index, top, selected, columns, ctx, onSelect, onMenu }: {
  row: Row; index: number; top: number; selected: boolean; columns: readonly FrameColumn[]; ctx: CellContext;
  onSelect: (id: number) => void; onMenu: (id: number, x: number, y: number) => void;
}) {
  const kind = isLifecycleRow(r) ? 'lifecycle' : `${r.dir}${r.notSent ? ' not-sent' : ''}`;
  return (
    <div
      role="row"
      id={rowId(r.id)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      class={`grid-row ${kind}${selected ? ' selected' : ''}`}
      style={{ top: `${top}px` }}
      onClick={() => onSelect(r.id)}
      onContextMenu={(e) => {
        e.preventDefault();
        onSelect(r.id);
        onMenu(r.id, e.clientX, e.clientY);
      }}
    >
      {columns.map((c) => (
        <div key={c.id} role="gridcell" class={c.cls ? `cell ${c.cls}` : 'cell'}>{c.cell(r, ctx)}</div>
      ))}
    </div>
  );
}
