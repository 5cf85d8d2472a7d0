/**
 * The frame grid's columns, one descriptor each: header, width and how to
 * draw a row's cell. The grid draws whatever list it is given, so a column
 * (e.g. a "Decoded" summary) is added by adding a descriptor, not by editing
 * the grid. Widths are what the panel starts with; the user resizes them
 * (frames/column-layout.ts). The payload (Data) takes the room that is left,
 * like the Data column of DevTools' own message view.
 */
import type { ComponentChildren } from 'preact';
import type { Mark } from '../../intercept/marks';
import { isLifecycleRow, type Connection, type Frame, type Row } from '../../store/model';
import { formatBytes, formatRelative, formatTime, previewPayload } from '../shared/format';
import { dirArrow, dirWord, frameType } from '../shared/labels';

export interface CellContext {
  /** frames of every connection are shown */
  showConnection: boolean;
  marked: ReadonlySet<number>;
  onMark: (id: number, range: boolean) => void;
  /**
   * the Decoded column (shown when set): a frame's decoded summary; null when
   * its connection has no protocol decoder, undefined while it is being decoded
   */
  decoded?: (f: Frame) => string | null | undefined;
  /** what interception did to a frame (a badge in the Data cell), when anything */
  intercept?: (f: Frame) => Mark | undefined;
}

export interface FrameColumn {
  id: string;
  header: ComponentChildren;
  /** tooltip of the header */
  title?: string;
  /** width in CSS pixels to start with (a flexible column: its smallest width) */
  width: number;
  /** a flexible column: its share of the room left (fr); the user can still give it a fixed width */
  flex?: number;
  /** the user can resize it (drag the header's right edge, or the separator's arrow keys) */
  resizable?: boolean;
  /** when the grid is too narrow for the payload, optional columns are hidden lowest first */
  fitPriority?: number;
  /** extra class of the cells */
  cls?: string;
  /** shown only when this says so (e.g. Connection: only when viewing all) */
  when?: (ctx: CellContext) => boolean;
  /** the user can hide it (the header's Columns menu), under this name */
  optional?: string;
  cell: (r: Row, ctx: CellContext) => ComponentChildren;
}

/** "127.0.0.1:8080/echo?x" for a socket URL (the scheme is the same for all). */
export function shortUrl(c: Connection): string {
  return c.url.replace(/^wss?:\/\//, '');
}

/** "/echo?x" for a socket URL: the part that tells a page's sockets apart (the host is in the tooltip). */
export function urlPath(c: Connection): string {
  try {
    const u = new URL(c.url);
    return u.pathname + u.search || c.url;
  } catch {
    return c.url;
  }
}

/** Time since the socket opened (or was created, before it opened). */
const sinceOpen = (r: Row): string => formatRelative(r.t, r.conn.openAt ?? r.conn.createdAt);

/** The payload's smallest width: about 40 characters of 11 px monospace, padding included. */
export const DATA_MIN = 290;

/** "txt" / "bin": the opcode as a badge; the JS type the page used is in its tooltip and the frame's detail. */
function TypeBadge({ f }: { f: Frame }) {
  const opcode = `opcode ${f.kind === 'text' ? 1 : 2}`;
  return (
    <>
      <span class={`type-badge ${f.kind}`} aria-hidden="true" title={`${frameType(f)} (${opcode})`}>{f.kind === 'text' ? 'txt' : 'bin'}</span>
      <span class="sr-only">{frameType(f)}</span>
    </>
  );
}

/**
 * The payload's first characters, after what the row needs said first: not sent, made by DevTools, or what
 * interception did (a compact badge; the full words in its title and for screen readers).
 */
function DataCell({ f, mark }: { f: Frame; mark: Mark | undefined }) {
  return (
    <>
      {f.notSent && <span class="badge warn" title="Not sent: send() was called on a closing or closed socket">not sent</span>}
      {f.by === 'devtools' && <span class="badge info" title="Sent or injected by DevTools (this extension)">devtools</span>}
      {mark && (
        <>
          <span class={`badge icpt ${mark.badge}`} title={mark.words} aria-hidden="true">{mark.badge}</span>
          <span class="sr-only">{`${mark.words}.`}</span>
        </>
      )}
      <span class={mark?.gone ? 'payload struck' : 'payload'}>{previewPayload(f.data)}</span>
    </>
  );
}

export const FRAME_COLUMNS: readonly FrameColumn[] = [
  {
    id: 'mark', width: 22, cls: 'mark', title: 'Tick sent frames to replay them as a sequence',
    header: <><span aria-hidden="true">⟳</span><span class="sr-only">Replay</span></>,
    cell: (r, ctx) => !isLifecycleRow(r) && r.dir === 'out' && (
      <input
        type="checkbox"
        aria-label={`Tick frame #${r.seq} for replay`}
        checked={ctx.marked.has(r.id)}
        onClick={(e) => { e.stopPropagation(); ctx.onMark(r.id, e.shiftKey); }}
      />
    ),
  },
  {
    id: 'dir', width: 28, cls: 'dir', header: 'Dir', title: 'Direction',
    cell: (r) => isLifecycleRow(r)
      ? <><span aria-hidden="true">•</span><span class="sr-only">lifecycle</span></>
      : <><span aria-hidden="true">{dirArrow(r.dir)}</span><span class="sr-only">{dirWord(r.dir)}</span></>,
  },
  { id: 'time', width: 92, cls: 'num', header: 'Time', title: 'Local time', optional: 'Time', resizable: true, fitPriority: 4, cell: (r) => formatTime(r.t) },
  {
    id: 'since', width: 74, cls: 'num', header: 'Since open', title: 'Time since the socket opened', optional: 'Since open', resizable: true, fitPriority: 1,
    cell: sinceOpen,
  },
  {
    id: 'size', width: 60, cls: 'num', header: 'Size', optional: 'Size', resizable: true, fitPriority: 2,
    cell: (r) => (isLifecycleRow(r) ? '' : formatBytes(r.size)),
  },
  {
    id: 'type', width: 44, cls: 'type', header: 'Type', title: 'Opcode: txt (text) or bin (binary); hover for the JS type the page used',
    optional: 'Type', resizable: true, fitPriority: 6,
    cell: (r) => (isLifecycleRow(r) ? <span class="muted" title={r.lifecycle}>{r.lifecycle}</span> : <TypeBadge f={r} />),
  },
  {
    id: 'conn', width: 130, header: 'Connection', when: (ctx) => ctx.showConnection, optional: 'Connection', resizable: true, fitPriority: 3,
    cell: (r) => <span title={r.conn.url}>{`#${r.conn.index + 1} ${urlPath(r.conn)}`}</span>,
  },
  {
    id: 'decoded', width: 110, flex: 0.5, cls: 'data decoded', header: 'Decoded', optional: 'Decoded', resizable: true, fitPriority: 5,
    title: 'What the connection\'s decoder makes of the frame (filter on its fields: event:chat, topic:x …)',
    when: (ctx) => ctx.decoded !== undefined,
    cell: (r, ctx) => {
      if (isLifecycleRow(r)) return '';
      const s = ctx.decoded!(r);
      if (s === undefined) return <span class="muted" title="Decoding…">…</span>;
      return s === null ? '' : <span title={s}>{s}</span>;
    },
  },
  {
    id: 'data', width: DATA_MIN, flex: 1, cls: 'data', header: 'Data', title: 'The payload (the frame\'s detail shows all of it)',
    cell: (r, ctx) => (isLifecycleRow(r) ? r.text : <DataCell f={r} mark={ctx.intercept?.(r)} />),
  },
];
