import type { ComponentChildren } from 'preact';
import type { Connection, Row } from '../../store/model';
import { Tabs, type Tab } from '../shared/Tabs';
import { readOnlyReason } from '../shared/labels';

/** The side pane's tabs, in order (a new tab is one more entry here and one more case in SidePane's `content`). */
export const SIDE_TABS = [
  { id: 'frame', label: 'Frame' },
  { id: 'connection', label: 'Connection' },
  { id: 'compose', label: 'Compose' },
  { id: 'intercept', label: 'Intercept' },
] as const;

export type SideTab = (typeof SIDE_TABS)[number]['id'];

export interface SidePaneProps {
  tab: SideTab;
  onTab: (tab: SideTab) => void;
  /** the selected row (a frame or a lifecycle event) and connection */
  row: Row | undefined;
  conn: Connection | undefined;
  /** what each tab shows when there is something selected */
  frame: ComponentChildren;
  connection: ComponentChildren;
  compose: ComponentChildren;
  /** breakpoints, held messages and rules: the whole tab, whatever is selected */
  intercept: ComponentChildren;
}

const hint = (text: string) => <p class="empty">{text}</p>;

/**
 * The details of what is selected, organised like DevTools' request view:
 * Frame (the frame's payload, decoded, actions), Connection (decoder, close
 * diagnosis, timeline, charts), Compose (send, inject, replay a sequence,
 * close), Intercept (breakpoints, held messages, rules). Each tab says what to select when it has nothing to show.
 */
export function SidePane({ tab, onTab, row, conn, frame, connection, compose, intercept }: SidePaneProps) {
  const content: Record<SideTab, ComponentChildren> = {
    frame: row ? frame : hint('Select a frame in the list to see its payload, what it decodes to, and replay it.'),
    connection: conn ? connection : hint('Select a connection (or a frame) to see its details: close diagnosis, timeline, rates.'),
    compose: conn
      ? (readOnlyReason(conn) ? <p class="note info">{readOnlyReason(conn)}</p> : compose)
      : hint('Select a connection to send, inject, replay or close on it.'),
    intercept,
  };
  const tabs: Tab[] = SIDE_TABS.map((t) => ({ ...t, content: content[t.id] }));
  return (
    <aside class="side" aria-label="Selection details">
      <Tabs label="Details" tabs={tabs} selected={tab} onSelect={(id) => onTab(id as SideTab)} />
    </aside>
  );
}
