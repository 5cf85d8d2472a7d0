import { isLifecycleRow, type Connection, type Row } from '../../store/model';
import type { MenuItem } from '../shared/FrameMenu';
import { COPY_FORMATS, COPY_LABELS, convertPayload } from '../detail/payload-text';

export interface MenuActions {
  copy: (text: string, what: string) => void;
  fail: (text: string) => void;
  replay: (f: Extract<Row, { dir: 'out' | 'in' }>) => void;
  filterConn: (c: Connection) => void;
  showAll?: () => void;
  /** open the Columns menu (which columns the grid shows) */
  columns?: () => void;
}

/** What the row menu offers: copy in each format, replay or re-inject, filter by the row's connection. */
export function menuItems(r: Row, a: MenuActions): MenuItem[] {
  const items: MenuItem[] = [];
  if (isLifecycleRow(r)) {
    items.push({ label: 'Copy as text', run: () => a.copy(r.text, 'the event as text') });
  } else {
    for (const fmt of COPY_FORMATS) {
      items.push({
        label: `Copy as ${COPY_LABELS[fmt]}`,
        disabled: r.data === undefined,
        run: () => {
          if (r.data === undefined) return;
          const c = convertPayload(r.data, fmt);
          if (c.ok) a.copy(c.text, `frame #${r.seq} as ${COPY_LABELS[fmt]}${r.truncated ? ' (the captured preview)' : ''}`);
          else a.fail(`Cannot copy as ${COPY_LABELS[fmt]}: ${c.error}`);
        },
      });
    }
    items.push({ label: r.dir === 'out' ? 'Replay' : 'Re-inject', run: () => a.replay(r) });
  }
  items.push({ label: 'Filter by this connection', run: () => a.filterConn(r.conn) });
  if (a.showAll) items.push({ label: 'Show all connections', run: a.showAll });
  if (a.columns) items.push({ label: 'Columns…', run: a.columns });
  return items;
}

