import type { ReadonlySignal, Signal } from '@preact/signals';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LibraryStore } from '../compose/library';
import { DEFAULT_FILTER, describeFilter, parseQuery, type FilterSpec } from '../store/filter';
import type { FrameView } from '../store/frame-view';
import { ROW } from '../store/frame-table';
import { isLifecycleRow, type Connection, type Row } from '../store/model';
import { savedSpec, type PanelSettings, type SavedFilter } from '../store/panel-settings';
import type { Store } from '../store/store';
import type { PortStatus } from '../transport/reconnecting-port';
import { createDraft, MESSAGE_INPUT_ID, replayFrame, type Commander } from './acting';
import { CloseControls } from './CloseControls';
import { CloseDetails, hasEnded } from './CloseDetails';
import { Composer } from './Composer';
import { DecodedSection, DecoderPicker } from './Decoded';
import { Decoding } from './decoding';
import { ExportImport } from './ExportImport';
import { ConnectionDetails } from './ConnectionDetails';
import { ConnectionList, isOver } from './ConnectionList';
import { copyText } from './copy';
import { FilterBar } from './FilterBar';
import { formatBytes, formatCount, formatTime } from './format';
import { FrameActions } from './FrameActions';
import { FrameDetail, type PayloadSource } from './FrameDetail';
import { FrameList } from './FrameList';
import { FrameMenu, type MenuItem } from './FrameMenu';
import { plural } from './labels';
import { COPY_FORMATS, COPY_LABELS, convertPayload } from './payload-text';
import { Separator } from './Separator';
import { SequenceReplay } from './SequenceReplay';
import { StatusBar, type Totals } from './StatusBar';
import { Toolbar } from './Toolbar';
import { useFrameView } from './useFrameView';
import { useNow } from './useNow';
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
  /** the memory cap and saved filters (storage.local, when the user sets them) */
  settings?: PanelSettings;
  /** the grid's view, published for automation (wsInspector.view()) */
  viewRef?: { current: FrameView | null };
}

/**
 * The panel: toolbar; connections above, the filter bar, then the frame grid
 * beside the details of the selected frame and connection (both splits
 * resizable); the status bar. Re-renders at most once per animation frame.
 */
export function App({ store, payloads, status, preserveLog, commands, library, settings, viewRef }: AppProps) {
  const storeVersion = useStore(store);
  const [connKey, setConnKey] = useState<string | null>(null);
  const [spec, setSpec] = useState<FilterSpec>(DEFAULT_FILTER);
  const [query, setQuery] = useState('');
  const [queryError, setQueryError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [menu, setMenu] = useState<{ id: number; x: number; y: number } | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [connPct, setConnPct] = useState(26);
  const [gridPct, setGridPct] = useState(58);
  const [saved, setSaved] = useState<SavedFilter[]>([]);
  const [selectedSaved, setSelectedSaved] = useState('');
  const filterInput = useRef<HTMLInputElement>(null);
  const draft = useMemo(createDraft, []);
  const decoding = useMemo(() => new Decoding(), []);
  const marks = useMarks(store);
  const { view, version } = useFrameView(store, spec, storeVersion);
  if (viewRef) viewRef.current = view;
  const now = useNow(store.order.some((c) => !isOver(c)));

  useEffect(() => {
    if (!settings) return;
    settings.memoryCap().then((cap) => { if (cap !== undefined) store.setMemoryCap(cap); }, () => {});
    settings.savedFilters().then(setSaved, () => {});
  }, [settings, store]);

  const conn = connKey !== null ? store.connections.get(connKey) : undefined;
  const row = selectedId !== null ? store.row(selectedId) : undefined;
  const viewConn = spec.conn >= 0 ? store.connAt(spec.conn) : undefined;
  // a filtered connection that was cleared away: back to all
  useEffect(() => {
    if (spec.conn >= 0 && !viewConn) setSpec((s) => ({ ...s, conn: -1 }));
  }, [spec.conn, viewConn]);

  const applyQuery = (q: string): void => {
    setQuery(q);
    const parsed = parseQuery(q);
    if (parsed.kind === 'error') return setQueryError(`Invalid regular expression: ${parsed.message.replace(/^Invalid regular expression: /, '')}`);
    setQueryError(null);
    setSpec((s) => ({ ...s, query: q }));
    setSelectedSaved('');
  };
  const changeSpec = (next: FilterSpec): void => {
    if (next.conn !== spec.conn && next.conn >= 0) {
      const c = store.connAt(next.conn);
      if (c) setConnKey(c.key);
    }
    setSpec(next);
    setSelectedSaved('');
  };
  const selectConn = (key: string): void => {
    const c = store.connections.get(key);
    if (!c) return;
    if (key !== connKey) {
      marks.clear();
      if (row && row.conn.key !== key) setSelectedId(null);
    }
    setConnKey(key);
    setSpec((s) => (s.conn === c.index ? s : { ...s, conn: c.index }));
  };
  const showAll = (): void => setSpec((s) => ({ ...s, conn: -1 }));
  const selectRow = (id: number): void => {
    setSelectedId(id);
    const r = store.row(id);
    if (r && r.conn.key !== connKey) setConnKey(r.conn.key);
  };
  const clear = (): void => {
    store.clear();
    setConnKey(null);
    setSelectedId(null);
    setSpec((s) => ({ ...s, conn: -1 }));
    marks.clear();
  };
  const clearFilter = (): void => {
    setQuery('');
    setQueryError(null);
    setSpec((s) => ({ ...DEFAULT_FILTER, conn: s.conn }));
    setSelectedSaved('');
  };
  const setMemoryCap = (bytes: number): void => {
    store.setMemoryCap(bytes);
    void settings?.setMemoryCap(store.memoryCap);
  };
  const saveFilter = (): void => {
    if (!settings) return;
    const name = describeFilter(spec);
    settings.saveFilter({ name, spec: savedSpec(spec) }).then((list) => { setSaved(list); setSelectedSaved(name); },
      (e: unknown) => setMessage({ text: `Could not save the filter: ${String(e)}`, error: true }));
  };
  const applySaved = (name: string): void => {
    const f = saved.find((x) => x.name === name);
    setSelectedSaved(f ? name : '');
    if (!f) return;
    setQuery(f.spec.query);
    setQueryError(null);
    setSpec((s) => ({ ...s, ...f.spec }));
  };
  const deleteSaved = (name: string): void => {
    settings?.deleteFilter(name).then((list) => { setSaved(list); setSelectedSaved(''); }, () => {});
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

  // keys on the panel's own document: "/" goes to the filter, Escape clears it
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target instanceof HTMLElement ? e.target : null;
      const editable = t?.closest('input, textarea, select, [contenteditable]') ?? null;
      const input = filterInput.current;
      if (e.key === '/' && !editable && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input?.focus();
        input?.select();
      } else if (e.key === 'Escape' && (t === input || !editable) && !e.defaultPrevented) {
        if (query === '' && !queryError) return;
        e.preventDefault();
        applyQuery('');
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const closeMenu = useCallback(() => setMenu(null), []);
  const menuRow = menu ? store.row(menu.id) : undefined;

  const totals = totalsOf(store.order);
  const framesHeld = store.framesHeld;
  const frame = row && !isLifecycleRow(row) ? row : undefined;

  return (
    <div class="app">
      <Toolbar
        status={status.value}
        preserveLog={preserveLog.value}
        onPreserveLog={(on) => { preserveLog.value = on; }}
        onClear={clear}
      >
        <ExportImport store={store} onImported={(keys) => { if (keys[0]) selectConn(keys[0]); }} />
      </Toolbar>
      <div class="panes">
        <div class="top-pane" style={{ height: `${connPct}%` }}>
          <ConnectionList connections={store.order} selectedKey={conn ? conn.key : null} onSelect={selectConn} now={now} />
        </div>
        <Separator orientation="horizontal" label="Resize connections and frames" value={connPct} min={8} max={75} onChange={setConnPct} />
        <div class="bottom-pane">
          <FilterBar
            spec={spec} query={query} queryError={queryError} onQuery={applyQuery} onChange={changeSpec}
            connections={store.order} saved={saved} onSave={saveFilter} onApplySaved={applySaved} onDeleteSaved={deleteSaved}
            selectedSaved={selectedSaved} shown={view.length} total={viewConn ? viewConn.frames.length : framesHeld}
            filtering={view.filtering} inputRef={filterInput}
          />
          <div class="split">
            <section class="frames" style={{ flexBasis: `${gridPct}%` }}>
              <FrameNotes store={store} viewConn={viewConn} />
              <FrameList
                store={store} view={view} version={version} showConnection={spec.conn < 0}
                selectedId={selectedId} onSelect={selectRow}
                marked={marks.ids} onMark={(id, range) => marks.toggle(view, id, range)}
                onMenu={(id, x, y) => setMenu({ id, x, y })}
                resetKey={spec}
              />
              <EmptyFrames store={store} view={view} viewConn={viewConn} spec={spec} onClearFilter={clearFilter} />
            </section>
            <Separator orientation="vertical" label="Resize frames and details" value={gridPct} min={20} max={85} onChange={setGridPct} />
            <div class="side">
              {row && isLifecycleRow(row) && <EventDetail row={row} />}
              {frame && (
                <FrameDetail key={frame.id} conn={frame.conn} frame={frame} payloads={payloads} showConnection={spec.conn < 0}>
                  <DecodedSection decoding={decoding} conn={frame.conn} frame={frame} onSelectFrame={selectRow} seqOf={(id) => store.frame(id)?.seq} />
                  {!frame.conn.imported && (
                    <FrameActions
                      conn={frame.conn} frame={frame} payloads={payloads} commands={commands} onEdit={editInComposer}
                      onFilterConnection={spec.conn !== frame.conn.index ? () => selectConn(frame.conn.key) : undefined}
                    />
                  )}
                </FrameDetail>
              )}
              {conn
                ? (
                  <>
                    <DecoderPicker key={conn.key} decoding={decoding} conn={conn} />
                    {/* a socket that ended: why first; a live one: what you can do with it first */}
                    {hasEnded(conn) && <CloseDetails conn={conn} />}
                    {hasEnded(conn) && <ConnectionDetails conn={conn} now={now} />}
                    {conn.imported
                      ? <p class="note info">{`Imported from ${conn.imported}: an offline copy, nothing on the page to act on.`}</p>
                      : (
                        <>
                          {/* keyed: results and errors belong to one socket; the draft stays when switching */}
                          <Composer key={conn.key} conn={conn} commands={commands} draft={draft} library={library} />
                          <SequenceReplay
                            key={conn.key} conn={conn} marked={marks.ids} frameById={(id) => store.frame(id)} payloads={payloads} commands={commands}
                            onMarkAll={() => marks.all(conn)} onClearMarks={marks.clear}
                          />
                          <CloseControls key={conn.key} conn={conn} commands={commands} />
                        </>
                      )}
                    {!hasEnded(conn) && <ConnectionDetails conn={conn} now={now} />}
                  </>
                )
                : store.order.length > 0 && !row && (
                  <p class="empty">Select a connection (above) or a frame to see its details and act on it.</p>
                )}
            </div>
          </div>
        </div>
      </div>
      <StatusBar
        totals={totals} memoryUsed={store.memoryUsed} memoryCap={store.memoryCap} evicted={store.evictedFrames}
        onMemoryCap={setMemoryCap} message={message}
      />
      {menu && menuRow && (
        <FrameMenu
          x={menu.x} y={menu.y} onClose={closeMenu}
          items={menuItems(menuRow, {
            copy: (text, what) => {
              void copyText(text).then((ok) => setMessage(ok ? { text: `Copied ${what}.`, error: false } : { text: 'The browser did not allow copying.', error: true }));
            },
            fail: (text) => setMessage({ text, error: true }),
            replay: (f) => {
              setMessage({ text: f.dir === 'out' ? 'Replaying…' : 'Re-injecting…', error: false });
              void replayFrame(commands, f.conn, f, payloads).then((r) => setMessage(r.ok ? { text: r.message, error: false } : { text: r.error, error: true }));
            },
            filterConn: (c) => selectConn(c.key),
            showAll: spec.conn >= 0 ? showAll : undefined,
          })}
        />
      )}
    </div>
  );
}

interface MenuActions {
  copy: (text: string, what: string) => void;
  fail: (text: string) => void;
  replay: (f: Extract<Row, { dir: 'out' | 'in' }>) => void;
  filterConn: (c: Connection) => void;
  showAll?: () => void;
}

/** What the row menu offers: copy in each format, replay or re-inject, filter by the row's connection. */
function menuItems(r: Row, a: MenuActions): MenuItem[] {
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
  return items;
}

/** Above the grid: what the panel could not keep, and what to do about it. */
function FrameNotes({ store, viewConn }: { store: Store; viewConn: Connection | undefined }) {
  const conns = viewConn ? [viewConn] : store.order;
  let dropped = 0, evicted = 0, partial = 0;
  for (const c of conns) { dropped += c.dropped; evicted += c.evicted; if (c.partial) partial++; }
  return (
    <>
      {dropped > 0 && (
        <p class="dropped-warning">
          {plural(dropped, 'frame', 'frames')} dropped (page history cap or lost in transit). Reload the page with
          this panel open to capture everything from the start.
        </p>
      )}
      {partial > 0 && (
        <p class="dropped-warning">
          {viewConn ? 'This connection was' : `${plural(partial, 'connection was', 'connections were')}`} opened before the
          page&apos;s capture history reaches back: reload the page to capture sockets opened before the history cap.
        </p>
      )}
      {evicted > 0 && (
        <p class="dropped-warning">
          {`${formatCount(evicted)} older ${evicted === 1 ? 'frame was' : 'frames were'} evicted to stay under the memory cap `
            + `(${formatBytes(store.memoryCap)}). Raise the cap in the status bar to keep more.`}
        </p>
      )}
    </>
  );
}

function EmptyFrames({ store, view, viewConn, spec, onClearFilter }: {
  store: Store; view: FrameView; viewConn: Connection | undefined; spec: FilterSpec; onClearFilter: () => void;
}) {
  if (view.length > 0 || view.filtering) return null;
  const held = viewConn ? viewConn.frames.length : store.framesHeld;
  if (held > 0 || (spec.lifecycle && store.table.rows > 0)) {
    return (
      <p class="empty">
        No frames match the filter.{' '}
        <button type="button" class="inline-button" onClick={onClearFilter}>Clear filter</button>
      </p>
    );
  }
  if (viewConn) return <p class="empty">No frames on this connection yet.</p>;
  if (store.order.length === 0) return null;
  return <p class="empty">No frames captured yet. Frames appear here as the page sends and receives them.</p>;
}

/** A lifecycle row picked in the grid. */
function EventDetail({ row }: { row: Extract<Row, { lifecycle: string }> }) {
  return (
    <section class="detail" aria-label="Event detail">
      <h2 class="detail-title">{row.lifecycle}</h2>
      <dl class="facts">
        <dt>Time</dt><dd>{formatTime(row.t)}</dd>
        <dt>Sequence</dt><dd>{row.seq}</dd>
        <dt>Connection</dt><dd class="wrap-any">{`#${row.conn.index + 1} ${row.conn.url}`}</dd>
      </dl>
      <pre class="code wrap">{row.text}</pre>
    </section>
  );
}

/** Sent frames ticked for sequence replay (by frame id), with shift-click ranges over the grid's rows. */
function useMarks(store: Store) {
  const [ids, setIds] = useState<ReadonlySet<number>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const isOut = (id: number): boolean => {
    const p = store.table.pos(id);
    return p >= 0 && (store.table.flags.data[p]! & (ROW.out | ROW.lifecycle | ROW.removed)) === ROW.out;
  };
  return {
    ids,
    clear: (): void => { setIds(new Set()); setAnchor(null); },
    all: (conn: Connection): void => {
      const next = new Set<number>();
      for (let i = 0; i < conn.frames.length; i++) { const id = conn.frames.idAt(i); if (isOut(id)) next.add(id); }
      setIds(next);
    },
    toggle: (view: FrameView, id: number, range: boolean): void => {
      const next = new Set(ids);
      const at = view.indexOf(id);
      const from = anchor === null ? -1 : view.indexOf(anchor);
      if (range && from >= 0 && at >= 0) {
        const [a, b] = from < at ? [from, at] : [at, from];
        for (let i = a; i <= b; i++) { const x = view.idAt(i); if (isOut(x)) next.add(x); }
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      setIds(next);
      setAnchor(id);
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
