import { useEffect, useRef } from 'preact/hooks';
import { explainClose } from '../../explain/close-codes';
import type { Connection } from '../../store/model';
import { formatBytes, formatCount, formatDuration, formatRate, formatTime } from '../shared/format';
import { tracksOf, type TrackColumn } from '../shared/grid-tracks';
import { listKeyTarget } from '../shared/keys';
import { frameLabel, SOURCE_BADGES, sourceText, stateName } from '../shared/labels';
import { useSize } from '../shared/useSize';
import '../shared/grid.css';
import './connections.css';

export interface ConnectionListProps {
  connections: readonly Connection[];
  selectedKey: string | null;
  onSelect: (key: string) => void;
  /** wall clock (ms) for durations and rates of live sockets */
  now: number;
  /** a narrow panel: only the columns that tell sockets apart and how they are doing (the rest is in Connection details) */
  compact?: boolean;
  /** capture failures counted so far (Store.captureErrors): an empty list says they may be why */
  captureErrors?: number;
}

/**
 * The columns and their widths (px; `flex`: a share of the room left, at least `width`). `wide`: shown
 * only when the panel is wide enough (compact lists leave it to Connection details); `compact`: the
 * width in a compact list.
 */
interface ConnColumn { name: string; title?: string; wide?: true; width: number; flex?: number; compact?: { width: number; flex?: number } }
const COLUMNS: readonly ConnColumn[] = [
  { name: '#', title: 'Connection number (the frame grid names connections by it)', width: 30, compact: { width: 26 } },
  { name: 'URL', width: 150, flex: 3, compact: { width: 120, flex: 1 } },
  { name: 'Frame', title: 'The document (frame) that opened the socket', wide: true, width: 80, flex: 1.2 },
  { name: 'State', width: 86, compact: { width: 64 } },
  { name: 'Protocol', title: 'Negotiated subprotocol', wide: true, width: 64 },
  { name: 'Extensions', title: 'Negotiated extensions', wide: true, width: 60, flex: 0.8 },
  { name: 'Opened', title: 'When new WebSocket() was called', wide: true, width: 96 },
  { name: 'Duration', title: 'Creation to close (or until now)', wide: true, width: 78 },
  { name: 'Out', title: 'Frames sent', width: 52, compact: { width: 44 } },
  { name: 'In', title: 'Frames received', width: 52, compact: { width: 44 } },
  { name: 'Bytes out', wide: true, width: 66 }, { name: 'Bytes in', wide: true, width: 66 },
  { name: 'Rate', title: 'Frames per second both ways, over the last 10 s (the whole life once closed)', wide: true, width: 68 },
  { name: 'Close code', width: 76, compact: { width: 72 } },
  { name: 'Dropped', title: 'Events the page lost before the panel got them (history cap)', wide: true, width: 62 },
];
const NO_WIDTHS: ReadonlyMap<string, number> = new Map();

/** The columns shown, as tracks to lay out (src/ui/shared/grid-tracks.ts). */
const tracksAt = (compact: boolean | undefined): TrackColumn[] => (compact
  ? COLUMNS.filter((c) => !c.wide).map((c) => ({ id: c.name, width: c.compact?.width ?? c.width, flex: c.compact?.flex }))
  : COLUMNS.map((c) => ({ id: c.name, width: c.width, flex: c.flex })));

const rowId = (i: number): string => `conn-row-${i}`;

/** Whether a socket is over (closed, or never existed). */
export const isOver = (c: Connection): boolean => c.close !== undefined || c.state === 3 || c.state === 'failed';

/** Creation to close, or to now for a live socket. */
export function lifetime(c: Connection, now: number): number {
  return (c.close?.t ?? (isOver(c) ? c.createdAt : now)) - c.createdAt;
}

/** Frames per second: recent for a live socket, over its whole life once it is over. */
export function connectionRate(c: Connection, now: number): number {
  if (!isOver(c)) return c.rate.recent(now, 10);
  const life = lifetime(c, now) / 1000;
  return life > 0 ? (c.framesIn + c.framesOut) / Math.max(1, life) : 0;
}

/**
 * Every socket of the inspected tab, oldest first. The grid itself takes
 * focus and points at the selected row (aria-activedescendant), so arrow
 * keys move the selection without a tab stop per row.
 */
export function ConnectionList({ connections, selectedKey, onSelect, now, compact, captureErrors = 0 }: ConnectionListProps) {
  const selected = connections.findIndex((c) => c.key === selectedKey);
  const body = useRef<HTMLDivElement>(null);
  // pixel tracks for the rows' width (their inner width: without the body's scrollbar), header and rows alike
  const { width } = useSize(body);
  const template = tracksOf(tracksAt(compact), NO_WIDTHS, width);

  useEffect(() => {
    if (selected >= 0) body.current?.querySelector(`#${rowId(selected)}`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const onKeyDown = (e: KeyboardEvent): void => {
    const next = listKeyTarget(e.key, selected, connections.length, 5);
    if (next === null) return;
    e.preventDefault();
    const c = connections[next];
    if (c) onSelect(c.key);
  };

  return (
    <section class="connections">
      <div
        role="grid"
        aria-label="Connections"
        aria-rowcount={connections.length + 1}
        aria-activedescendant={selected >= 0 ? rowId(selected) : undefined}
        tabIndex={0}
        class={compact ? 'grid conn-grid compact' : 'grid conn-grid'}
        style={{ '--conn-cols': template }}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" class="grid-head">
          <div role="row" class="grid-row" aria-rowindex={1}>
            {COLUMNS.filter((c) => !compact || !c.wide).map((c) => <div role="columnheader" key={c.name} class="cell" title={c.title}>{c.name}</div>)}
          </div>
        </div>
        <div role="rowgroup" class="grid-body" ref={body}>
          {connections.map((c, i) => (
            <ConnectionRow key={c.key} conn={c} index={i} selected={i === selected} onSelect={onSelect} now={now} compact={compact} />
          ))}
        </div>
      </div>
      {connections.length === 0 && (
        <p class="empty">
          No WebSocket connections captured yet. Every socket this page (and its frames) opens appears here,
          also those opened before DevTools was. If the page opened its sockets before the extension was
          installed or enabled, reload the page.
          {captureErrors > 0 && (
            <span class="error-text">{` Capture failed ${captureErrors === 1 ? 'once' : `${captureErrors} times`} on this page: sockets may be missing (see the status bar).`}</span>
          )}
        </p>
      )}
    </section>
  );
}

function closeTitle(c: Connection, name: string): string {
  const sim = c.close?.simulated;
  return `${c.close?.code} ${name}` + (sim ? ` (DevTools simulated ${sim.code} for the page)` : '');
}

function ConnectionRow({ conn: c, index, selected, onSelect, now, compact }: {
  conn: Connection; index: number; selected: boolean; onSelect: (key: string) => void; now: number; compact?: boolean;
}) {
  const wide = !compact;
  const state = stateName(c.state);
  const close = c.close ? explainClose(c.close.code) : undefined;
  const cls = ['grid-row', selected ? 'selected' : '', c.state === 'failed' || (c.close && !c.close.wasClean) ? 'bad' : '']
    .filter(Boolean).join(' ');
  const open = c.openAt !== undefined;
  return (
    <div
      role="row"
      id={rowId(index)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      class={cls}
      onClick={() => onSelect(c.key)}
    >
      <div role="gridcell" class="cell num muted">{c.index + 1}</div>
      <div role="gridcell" class="cell url" title={c.imported ? `Imported from ${c.imported}: ${c.resolvedUrl || c.url}` : c.resolvedUrl || c.url}>
        {c.imported && <><span class="badge info">imported</span> </>}
        {(c.source || c.network) && <><SourceBadge conn={c} /> </>}
        {(c.captureErrors ?? 0) > 0 && (
          <><span class="badge error" title="The page hook failed while capturing this socket: some of its frames or events may be missing">
            {`${c.captureErrors} capture ${c.captureErrors === 1 ? 'error' : 'errors'}`}
          </span> </>
        )}
        {c.url}
        {/* compact: no Frame column, so a socket of an iframe says where it lives after its URL */}
        {compact && c.frameId !== 0 && <span class="muted">{` · ${frameLabel(c)}`}</span>}
      </div>
      {wide && <div role="gridcell" class="cell" title={frameLabel(c)}>{frameLabel(c)}</div>}
      <div role="gridcell" class={`cell state state-${state.toLowerCase()}`}>{state}</div>
      {wide && <div role="gridcell" class="cell" title={c.protocol}>{open ? c.protocol || '–' : ''}</div>}
      {wide && <div role="gridcell" class="cell" title={c.extensions}>{open ? c.extensions || '–' : ''}</div>}
      {wide && <div role="gridcell" class="cell num">{formatTime(c.createdAt)}</div>}
      {wide && <div role="gridcell" class="cell num">{c.state === 'failed' ? '' : formatDuration(lifetime(c, now))}</div>}
      <div role="gridcell" class="cell num">{formatCount(c.framesOut)}</div>
      <div role="gridcell" class="cell num">{formatCount(c.framesIn)}</div>
      {wide && <div role="gridcell" class="cell num">{formatBytes(c.bytesOut)}</div>}
      {wide && <div role="gridcell" class="cell num">{formatBytes(c.bytesIn)}</div>}
      {wide && <div role="gridcell" class="cell num">{formatRate(connectionRate(c, now))}</div>}
      <div role="gridcell" class="cell num" title={close ? closeTitle(c, close.name) : undefined}>
        {c.close ? c.close.code : ''}
        {c.close?.simulated && <span class="badge info">sim</span>}
      </div>
      {wide && <div role="gridcell" class={c.dropped > 0 ? 'cell num warn-text' : 'cell num'}>{c.dropped}</div>}
    </div>
  );
}

/** What opened a socket that is not a window's WebSocket; "(log)" when only DevTools' network log saw it. */
function SourceBadge({ conn: c }: { conn: Connection }) {
  const what = c.source && c.source !== 'network' ? SOURCE_BADGES[c.source] : '';
  const text = c.network ? (what ? `${what} (log)` : 'log') : what;
  const title = `${sourceText(c)}${c.network ? ': its frames, not its close code' : ''}`;
  return <span class={c.network ? 'badge warn' : 'badge info'} title={title}>{text}</span>;
}
