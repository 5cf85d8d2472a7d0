import type { ReadonlySignal, Signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import type { Connection } from '../store/model';
import type { Store } from '../store/store';
import type { PortStatus } from '../transport/reconnecting-port';
import { CloseDetails } from './CloseDetails';
import { ConnectionDetails } from './ConnectionDetails';
import { ConnectionList } from './ConnectionList';
import { FrameDetail, type PayloadSource } from './FrameDetail';
import { FrameList } from './FrameList';
import { Toolbar, type Totals } from './Toolbar';
import { useStore } from './useStore';

export interface AppProps {
  store: Store;
  payloads: PayloadSource;
  /** the link to the background, as PanelLink reports it */
  status: ReadonlySignal<PortStatus>;
  /** read by PanelLink when a frame navigates */
  preserveLog: Signal<boolean>;
}

/** A frame is selected by position (frames only ever append) and checked by id (Clear reuses positions). */
interface FrameSelection { index: number; id: number }

/**
 * The panel: toolbar, connections, and for the selected connection its
 * frames beside the details. Re-renders at most once per animation frame.
 */
export function App({ store, payloads, status, preserveLog }: AppProps) {
  useStore(store);
  const [connKey, setConnKey] = useState<string | null>(null);
  const [frameSel, setFrameSel] = useState<FrameSelection | null>(null);

  const conn = connKey !== null ? store.connections.get(connKey) : undefined;
  const frameAt = conn && frameSel ? conn.frames[frameSel.index] : undefined;
  const frame = frameAt && frameAt.id === frameSel?.id ? frameAt : undefined;

  const selectConn = (key: string): void => {
    if (key === connKey) return;
    setConnKey(key);
    setFrameSel(null);
  };
  const selectFrame = (index: number): void => {
    const f = conn?.frames[index];
    setFrameSel(f ? { index, id: f.id } : null);
  };
  const clear = (): void => {
    store.clear();
    setConnKey(null);
    setFrameSel(null);
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
            <FrameList conn={conn} selected={frame && frameSel ? frameSel.index : -1} onSelect={selectFrame} />
            <div class="side">
              {frame && <FrameDetail key={frame.id} conn={conn} frame={frame} payloads={payloads} />}
              <CloseDetails conn={conn} />
              <ConnectionDetails conn={conn} />
            </div>
          </div>
        )
        : store.order.length > 0 && <p class="empty">Select a connection to see its frames.</p>}
    </div>
  );
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
