/**
 * The frame grid's columns, one descriptor each: header, width (a CSS grid
 * track) and how to draw a row's cell. The grid draws whatever list it is
 * given, so a column (e.g. a "Decoded" summary) is added by adding a
 * descriptor, not by editing the grid.
 */
import type { ComponentChildren } from 'preact';
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
}

export interface FrameColumn {
  id: string;
  header: ComponentChildren;
  /** tooltip of the header */
  title?: string;
  /** CSS grid track, e.g. '64px' or 'minmax(0, 1fr)' */
  width: string;
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

export const FRAME_COLUMNS: readonly FrameColumn[] = [
  {
    id: 'mark', width: '22px', cls: 'mark', title: 'Tick sent frames to replay them as a sequence',
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
    id: 'dir', width: '30px', cls: 'dir', header: 'Dir', title: 'Direction',
    cell: (r) => isLifecycleRow(r)
      ? <><span aria-hidden="true">•</span><span class="sr-only">lifecycle</span></>
      : <><span aria-hidden="true">{dirArrow(r.dir)}</span><span class="sr-only">{dirWord(r.dir)}</span></>,
  },
  { id: 'time', width: '96px', cls: 'num', header: 'Time', title: 'Local time', optional: 'Time', cell: (r) => formatTime(r.t) },
  { id: 'since', width: '76px', cls: 'num', header: 'Since open', title: 'Time since the socket opened', optional: 'Since open', cell: sinceOpen },
  { id: 'size', width: '62px', cls: 'num', header: 'Size', optional: 'Size', cell: (r) => (isLifecycleRow(r) ? '' : formatBytes(r.size)) },
  {
    id: 'type', width: '190px', header: 'Type', title: 'Opcode (text or binary) and the JS type the page used', optional: 'Type',
    cell: (r) => isLifecycleRow(r)
      ? <span class="muted">{r.lifecycle}</span>
      : (
        <>
          <span title={`opcode ${r.kind === 'text' ? 1 : 2}`}>{frameType(r)}</span>
          {r.notSent && <> <span class="badge warn">not sent</span></>}
          {r.by === 'devtools' && <> <span class="badge info">devtools</span></>}
        </>
      ),
  },
  {
    id: 'conn', width: 'minmax(80px, 0.35fr)', header: 'Connection', when: (ctx) => ctx.showConnection, optional: 'Connection',
    cell: (r) => <span title={r.conn.url}>{`#${r.conn.index + 1} ${urlPath(r.conn)}`}</span>,
  },
  {
    id: 'decoded', width: 'minmax(0, 1fr)', cls: 'data decoded', header: 'Decoded', optional: 'Decoded',
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
    id: 'data', width: 'minmax(0, 1fr)', cls: 'data', header: 'Data',
    cell: (r) => (isLifecycleRow(r) ? r.text : previewPayload(r.data)),
  },
];
