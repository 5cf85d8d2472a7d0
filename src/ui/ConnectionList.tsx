import { useEffect, useRef } from 'preact/hooks';
import type { Connection } from '../store/model';
import { explainClose } from '../explain/close-codes';
import { formatBytes, formatTime } from './format';
import { frameLabel, stateName } from './labels';
import { listKeyTarget } from './keys';

export interface ConnectionListProps {
  connections: readonly Connection[];
  selectedKey: string | null;
  onSelect: (key: string) => void;
}

const COLUMNS = ['URL', 'Frame', 'State', 'Opened', 'Out', 'In', 'Bytes out', 'Bytes in', 'Close code', 'Dropped'];

const rowId = (i: number): string => `conn-row-${i}`;

/**
 * Every socket of the inspected tab, oldest first. The grid itself takes
 * focus and points at the selected row (aria-activedescendant), so arrow
 * keys move the selection without a tab stop per row.
 */
export function ConnectionList({ connections, selectedKey, onSelect }: ConnectionListProps) {
  const selected = connections.findIndex((c) => c.key === selectedKey);
  const body = useRef<HTMLDivElement>(null);

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
        class="grid conn-grid"
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" class="grid-head">
          <div role="row" class="grid-row" aria-rowindex={1}>
            {COLUMNS.map((c) => <div role="columnheader" key={c} class="cell">{c}</div>)}
          </div>
        </div>
        <div role="rowgroup" class="grid-body" ref={body}>
          {connections.map((c, i) => (
            <ConnectionRow key={c.key} conn={c} index={i} selected={i === selected} onSelect={onSelect} />
          ))}
        </div>
      </div>
      {connections.length === 0 && (
        <p class="empty">
          No WebSocket connections captured yet. Sockets opened by this page since it loaded appear here;
          reload the page if it opened them before the extension was installed.
        </p>
      )}
    </section>
  );
}

function closeTitle(c: Connection, name: string): string {
  const sim = c.close?.simulated;
  return `${c.close?.code} ${name}` + (sim ? ` (DevTools simulated ${sim.code} for the page)` : '');
}

function ConnectionRow({ conn: c, index, selected, onSelect }: {
  conn: Connection; index: number; selected: boolean; onSelect: (key: string) => void;
}) {
  const state = stateName(c.state);
  const close = c.close ? explainClose(c.close.code) : undefined;
  const cls = ['grid-row', selected ? 'selected' : '', c.state === 'failed' || (c.close && !c.close.wasClean) ? 'bad' : '']
    .filter(Boolean).join(' ');
  return (
    <div
      role="row"
      id={rowId(index)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      class={cls}
      onClick={() => onSelect(c.key)}
    >
      <div role="gridcell" class="cell url" title={c.resolvedUrl || c.url}>{c.url}</div>
      <div role="gridcell" class="cell" title={frameLabel(c)}>{frameLabel(c)}</div>
      <div role="gridcell" class={`cell state state-${state.toLowerCase()}`}>{state}</div>
      <div role="gridcell" class="cell num">{formatTime(c.createdAt)}</div>
      <div role="gridcell" class="cell num">{c.framesOut}</div>
      <div role="gridcell" class="cell num">{c.framesIn}</div>
      <div role="gridcell" class="cell num">{formatBytes(c.bytesOut)}</div>
      <div role="gridcell" class="cell num">{formatBytes(c.bytesIn)}</div>
      <div role="gridcell" class="cell num" title={close ? closeTitle(c, close.name) : undefined}>
        {c.close ? c.close.code : ''}
        {c.close?.simulated && <span class="badge info">sim</span>}
      </div>
      <div role="gridcell" class={c.dropped > 0 ? 'cell num warn-text' : 'cell num'}>{c.dropped}</div>
    </div>
  );
}
