import type { ReadonlySignal, Signal } from '@preact/signals';
import { useMemo, useState } from 'preact/hooks';
import type { LibraryStore } from '../compose/library';
import type { Connection } from '../store/model';
import type { Store } from '../store/store';
import type { PortStatus } from '../transport/reconnecting-port';
import { createDraft, MESSAGE_INPUT_ID, type Commander } from './acting';
import { CloseControls } from './CloseControls';
import { CloseDetails } from './CloseDetails';
import { Composer } from './Composer';
import { ConnectionDetails } from './ConnectionDetails';
import { ConnectionList } from './ConnectionList';
import { FrameActions } from './FrameActions';
import { FrameDetail, type PayloadSource } from './FrameDetail';
import { FrameList } from './FrameList';
import { SequenceReplay } from './SequenceReplay';
import { Toolbar, type Totals } from './Toolbar';
import { useStore } from './useStore';

export interface AppProps {
  store: Store;
  payloads: PayloadSource;
  /** the link to the background, as PanelLink reports it */
  status: ReadonlySignal<PortStatus>;
  /** read by PanelLink when a frame navigates */
  preserveLog: Signal<boolean>;
  /** acts on the page's sockets (PanelLink) */
  commands: Commander;
  /** the composer's history and saved messages (storage.local) */
  library: LibraryStore;
}

/** A frame is selected by position (frames only ever append) and checked by id (Clear reuses positions). */
interface FrameSelection { index: number; id: number }

/**
 * The panel: toolbar, connections, and for the selected connection its
 * frames beside the details. Re-renders at most once per animation frame.
 */
export function App({ store, payloads, status, preserveLog, commands, library }: AppProps) {
  useStore(store);
  const [connKey, setConnKey] = useState<string | null>(null);
  const [frameSel, setFrameSel] = useState<FrameSelection | null>(null);
  const draft = useMemo(createDraft, []);
  const marks = useMarks();

  const conn = connKey !== null ? store.connections.get(connKey) : undefined;
  const frameAt = conn && frameSel ? conn.frames.at(frameSel.index) : undefined;
  const frame = frameAt && frameAt.id === frameSel?.id ? frameAt : undefined;

  const selectConn = (key: string): void => {
    if (key === connKey) return;
    setConnKey(key);
    setFrameSel(null);
    marks.clear();
  };
  const selectFrame = (index: number): void => {
    const f = conn?.frames.at(index);
    setFrameSel(f ? { index, id: f.id } : null);
  };
  const clear = (): void => {
    store.clear();
    setConnKey(null);
    setFrameSel(null);
    marks.clear();
  };
  const editInComposer = (d: { format: typeof draft.format.value; text: string }, what: string): void => {
    draft.format.value = d.format;
    draft.text.value = d.text;
    draft.origin.value = what;
    // after the composer re-rendered with the draft
    requestAnimationFrame(() => {
      const box = document.getElementById(MESSAGE_INPUT_ID);
      box?.scrollIntoView({ block: 'nearest' });
      box?.focus();
    });
  };

  return (
    <div class="app">
      <Toolbar
        status={status.value}
        preserveLog={preserveLog.value}
        onPreserveLog={(on) => { preserveLog.value = on; }}
        onClear={clear}
        totals={totalsOf(store.order)}
      />
      <ConnectionList connections={store.order} selectedKey={conn ? conn.key : null} onSelect={selectConn} />
      {conn
        ? (
          <div class="split">
            <FrameList
              conn={conn} selected={frame && frameSel ? frameSel.index : -1} onSelect={selectFrame}
              marked={marks.ids} onMark={(i, range) => marks.toggle(conn, i, range)}
            />
            <div class="side">
              {frame && (
                <FrameDetail key={frame.id} conn={conn} frame={frame} payloads={payloads}>
                  <FrameActions conn={conn} frame={frame} payloads={payloads} commands={commands} onEdit={editInComposer} />
                </FrameDetail>
              )}
              {/* keyed: results and errors belong to one socket; the draft stays when switching */}
              <Composer key={conn.key} conn={conn} commands={commands} draft={draft} library={library} />
              <SequenceReplay
                key={conn.key} conn={conn} marked={marks.ids} payloads={payloads} commands={commands}
                onMarkAll={() => marks.all(conn)} onClearMarks={marks.clear}
              />
              <CloseControls key={conn.key} conn={conn} commands={commands} />
              <CloseDetails conn={conn} />
              <ConnectionDetails conn={conn} />
            </div>
          </div>
        )
        : store.order.length > 0 && <p class="empty">Select a connection to see its frames.</p>}
    </div>
  );
}

/** Sent frames ticked for sequence replay (by frame id), with shift-click ranges. */
function useMarks() {
  const [ids, setIds] = useState<ReadonlySet<number>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  return {
    ids,
    clear: (): void => { setIds(new Set()); setAnchor(null); },
    all: (conn: Connection): void => setIds(new Set(conn.frames.filter((f) => f.dir === 'out').map((f) => f.id))),
    toggle: (conn: Connection, index: number, range: boolean): void => {
      const f = conn.frames.at(index);
      if (!f) return;
      const next = new Set(ids);
      if (range && anchor !== null) {
        const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
        for (let i = a; i <= b; i++) { const g = conn.frames.at(i); if (g?.dir === 'out') next.add(g.id); }
      } else if (next.has(f.id)) next.delete(f.id);
      else next.add(f.id);
      setIds(next);
      setAnchor(index);
    },
  };
}

function totalsOf(conns: readonly Connection[]): Totals {
  const t: Totals = { connections: conns.length, frames: 0, bytes: 0, dropped: 0 };
  for (const c of conns) {
    t.frames += c.framesIn + c.framesOut;
    t.bytes += c.bytesIn + c.bytesOut;
    t.dropped += c.dropped;
  }
  return t;
}
