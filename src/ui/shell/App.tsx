import type { ReadonlySignal, Signal } from '@preact/signals';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LibraryStore } from '../../compose/library';
import type { Interception } from '../../intercept/interception';
import { markOf } from '../../intercept/marks';
import { hasTerms, parseQuery, type FilterSpec } from '../../store/filter';
import type { FrameView } from '../../store/frame-view';
import { isLifecycleRow } from '../../store/model';
import type { PanelSettings } from '../../store/panel-settings';
import type { Store } from '../../store/store';
import type { PortStatus } from '../../transport/reconnecting-port';
import { createDraft, MESSAGE_INPUT_ID, replayFrame, type Commander } from '../acting/acting';
import { CloseControls } from '../acting/CloseControls';
import { CloseDetails, hasEnded } from '../connections/CloseDetails';
import { Composer } from '../acting/Composer';
import { DecodedSection, DecoderPicker, useDecoding, useDecodingProgress } from '../decoded/Decoded';
import { Decoding } from '../../decode/live/decoding';
import { EventDetail } from '../detail/EventDetail';
import { useExportImport } from '../export/ExportImport';
import { ConnectionDetails } from '../connections/ConnectionDetails';
import { ConnectionList, isOver } from '../connections/ConnectionList';
import type { OpenSource } from '../shared/CallStack';
import { copyText } from '../shared/copy';
import { readOnlyReason } from '../shared/labels';
import { FilterBar } from '../frames/FilterBar';
import { FrameActions } from '../acting/FrameActions';
import { FrameDetail, type PayloadSource } from '../detail/FrameDetail';
import { FrameList } from '../frames/FrameList';
import { FrameMenu } from '../shared/FrameMenu';
import { InterceptBanner } from '../intercept/InterceptBanner';
import { InterceptDetail } from '../intercept/InterceptDetail';
import { InterceptTab } from '../intercept/InterceptTab';
import { useInterception } from '../intercept/useInterception';
import { menuItems } from '../frames/frame-menu-items';
import { EmptyFrames, FrameNotes } from '../frames/FrameNotes';
import { Separator } from './Separator';
import { SequenceReplay } from '../acting/SequenceReplay';
import { StatusBar, totalsOf } from './StatusBar';
import { keysHint, panelTools, Toolbar } from './Toolbar';
import type { LayoutSettings } from './layout-settings';
import { useCaptureTools } from './captureTools';
import { NetworkLogStatus } from './NetworkLogStatus';
import { SidePane, type SideTab } from './SidePane';
import type { SourceState } from '../../network/network-source';
import { usePanes } from './usePanes';
import { useColumns } from '../frames/useColumns';
import { useFilters } from '../frames/useFilters';
import { useFrameView } from '../frames/useFrameView';
import { useMarks } from '../frames/useMarks';
import { useNow } from '../shared/useNow';
import { useStore } from './useStore';
import { RenderPacing } from './render-pacing';
import './shell.css';

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
  /** column widths and pane sizes (storage.local, when the user changes them) */
  layout?: LayoutSettings;
  /** the grid's view, published for automation (wsInspector.view()) */
  viewRef?: { current: FrameView | null };
  /** how often the panel redraws for traffic, and what that costs (also published by wsInspector.view()) */
  redraws?: RenderPacing;
  /** breakpoints and rules, sent to the page's hooks (src/intercept/interception.ts) */
  interception: Interception;
  /** opens a script line in DevTools' Sources panel (Chrome, inside DevTools); null elsewhere */
  openSource?: OpenSource;
  /** DevTools' network log as a second source (src/network): its state, and the user's switch */
  network?: { state: ReadonlySignal<SourceState>; setEnabled(on: boolean): void };
}

/**
 * The panel: toolbar (its overflow in a » menu); connections above (as tall
 * as their rows, resizable, collapsible), the filter bar, then the frame grid
 * beside the side pane's tabs — or above them when the panel is narrow; the
 * status bar. Re-renders at most once per animation frame.
 */
export function App({
  store, payloads, status, preserveLog, commands, library, settings, layout, viewRef, redraws, interception, openSource = null, network,
}: AppProps) {
  const pacing = useMemo(() => redraws ?? new RenderPacing(), [redraws]);
  const storeVersion = useStore(store, pacing);
  const [connKey, setConnKey] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [tab, setTab] = useState<SideTab>('frame');
  const [menu, setMenu] = useState<{ id: number; x: number; y: number } | null>(null);
  const [columnsMenu, setColumnsMenu] = useState<{ x: number; y: number; squeezed: string[] } | null>(null);
  const columns = useColumns(settings, layout);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [lightweight, setLightweight] = useState<boolean | undefined>(undefined);
  const [networkLog, setNetworkLog] = useState<boolean | undefined>(undefined);
  const filterInput = useRef<HTMLInputElement>(null);
  const filters = useFilters(settings, (text) => setMessage({ text, error: true }), filterInput);
  const { spec, setSpec } = filters;
  const draft = useMemo(createDraft, []);
  const decoding = useMemo(() => new Decoding(), []);
  const decodingVersion = useDecoding(decoding);
  useDecodingProgress(decoding);
  const marks = useMarks(store);
  const panes = usePanes(layout, store.order.length);
  // terms on decoded fields (`event:chat`) need the decoders: the filter applies again when they load or change
  const fieldTerms = hasTerms(parseQuery(spec.query));
  // a new decodingVersion (decoders loaded or changed) must give new facts, so the filter applies again
  // eslint-disable-next-line react-hooks/exhaustive-deps -- decodingVersion is the reason to recompute, not an input
  const facts = useMemo(() => (fieldTerms ? decoding.factsOf(store) : undefined), [fieldTerms, decodingVersion, decoding, store]);
  const { view, version } = useFrameView(store, spec, storeVersion, facts);
  if (viewRef) viewRef.current = view;
  const interceptVersion = useInterception(interception);
  const heldCount = store.intercepts.held.length;
  const now = useNow(store.order.some((c) => !isOver(c)) || heldCount > 0);
  const hasTraffic = store.order.length > 0;

  useEffect(() => {
    const on = (v: boolean) => { setNetworkLog(v); network?.setEnabled(v); };
    if (!settings) on(true);
    else settings.networkLog().then(on, () => on(true));
  }, [settings, network]);
  useEffect(() => {
    if (!settings) return;
    settings.memoryCap().then((cap) => { if (cap !== undefined) store.setMemoryCap(cap); }, () => {});
    settings.lightweight().then(setLightweight, () => setLightweight(false));
  }, [settings, store]);
  // decoded summaries count against the memory cap
  useEffect(() => decoding.attach(store), [store, decoding]);
  // keep-alives pass interception by the protocol the decoders detected on each connection
  useEffect(() => {
    interception.protocolOf = (c) => (decoding.ready && !c.imported ? decoding.choice(c)?.decoder.id : undefined);
  }, [interception, decoding]);
  // the page hooks get the settings again when what they depend on changed (connections, detected protocols)
  useEffect(() => interception.sync(), [interception, storeVersion, decodingVersion, interceptVersion]);
  // something was held: show it (like a debugger stopping)
  const heldBefore = useRef(0);
  useEffect(() => {
    if (heldCount > 0 && heldBefore.current === 0) setTab('intercept');
    heldBefore.current = heldCount;
  }, [heldCount]);
  // the decoder bundle: once there is traffic to decode (the Decoded column), or a filter needs it
  useEffect(() => { if (hasTraffic || fieldTerms) decoding.load(); }, [decoding, hasTraffic, fieldTerms]);

  const conn = connKey !== null ? store.connections.get(connKey) : undefined;
  const row = selectedId !== null ? store.row(selectedId) : undefined;
  const viewConn = spec.conn >= 0 ? store.connAt(spec.conn) : undefined;
  // a filtered connection that was cleared away: back to all
  useEffect(() => {
    if (spec.conn >= 0 && !viewConn) setSpec((s) => ({ ...s, conn: -1 }));
  }, [spec.conn, viewConn, setSpec]);
  // the Decoded column: when a connection in view has a protocol decoder
  const showDecoded = decoding.ready && (viewConn ? decoding.decodes(viewConn) : store.order.some((c) => decoding.decodes(c)));

  const changeSpec = (next: FilterSpec): void => {
    if (next.conn !== spec.conn && next.conn >= 0) {
      const c = store.connAt(next.conn);
      if (c) setConnKey(c.key);
    }
    filters.changeSpec(next);
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
    setTab('frame');
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
  const setMemoryCap = (bytes: number): void => {
    store.setMemoryCap(bytes);
    void settings?.setMemoryCap(store.memoryCap);
  };
  const editInComposer = (d: { format: typeof draft.format.value; text: string }, what: string): void => {
    draft.format.value = d.format;
    draft.text.value = d.text;
    draft.origin.value = what;
    setTab('compose');
    // after the composer re-rendered with the draft
    requestAnimationFrame(() => {
      const box = document.getElementById(MESSAGE_INPUT_ID);
      box?.scrollIntoView({ block: 'nearest' });
      box?.focus();
    });
  };
  const changeLightweight = (on: boolean): void => {
    setLightweight(on);
    settings?.setLightweight(on).then(
      () => setMessage({ text: on ? 'Lightweight: pages record messages only while a WebSocket panel is open.' : 'Pages record every message again.', error: false }),
      (e: unknown) => setMessage({ text: `Could not change lightweight mode: ${String(e)}`, error: true }));
  };
  const showDecoderChoice = (): void => {
    setTab('connection');
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#tabpanel-connection select[aria-label=Decoder]')?.focus());
  };
  const exportImport = useExportImport(store, (keys) => { if (keys[0]) selectConn(keys[0]); });
  const captureTools = useCaptureTools(settings, (text, error) => setMessage({ text, error }));

  /** a row the connection's decoder calls a keep-alive (they pass held messages, so the queue does not count them) */
  const keepAliveRow = (id: number): boolean => {
    const f = store.frame(id);
    return f !== undefined && decoding.decoded(f.conn, id)?.heartbeat === true;
  };

  const closeMenu = useCallback(() => setMenu(null), []);
  const closeColumnsMenu = useCallback(() => setColumnsMenu(null), []);
  const menuRow = menu ? store.row(menu.id) : undefined;

  const totals = totalsOf(store.order);
  const framesHeld = store.framesHeld;
  const frame = row && !isLifecycleRow(row) ? row : undefined;
  const connsShown = !panes.panes.connCollapsed;

  return (
    <div class={panes.stacked ? 'app stacked' : 'app'} ref={panes.app}>
      <Toolbar
        status={status.value}
        items={[
          ...panelTools({
            onClear: clear, connectionsShown: connsShown, onConnectionsShown: (on) => panes.change({ connCollapsed: !on }),
            preserveLog: preserveLog.value, onPreserveLog: (on) => { preserveLog.value = on; },
            lightweight, onLightweight: changeLightweight,
            ...(network ? {
              networkLog, onNetworkLog: (on: boolean) => { setNetworkLog(on); network.setEnabled(on); void settings?.setNetworkLog(on); },
            } : {}),
          }),
          ...captureTools,
          ...exportImport.items,
          keysHint,
        ]}
      >
        {exportImport.input}
        {exportImport.options}
      </Toolbar>
      <div class="panes" ref={panes.panesEl}>
        {connsShown && (
          <>
            <div class="top-pane" id="connections-pane" style={{ height: `${panes.connHeight}px` }}>
              <ConnectionList
                connections={store.order} selectedKey={conn ? conn.key : null} now={now} compact={panes.compactConnections} captureErrors={store.captureErrors}
                onSelect={(key) => { selectConn(key); if (tab === 'frame') setTab('connection'); }}
              />
            </div>
            <Separator orientation="horizontal" label="Resize connections and frames" value={panes.connPct} min={5} max={70} onChange={panes.setConnPct} />
          </>
        )}
        <div class="bottom-pane">
          <FilterBar
            spec={spec} query={filters.query} queryError={filters.queryError} onQuery={filters.applyQuery} onChange={changeSpec}
            connections={store.order} saved={filters.saved} onSave={filters.saveFilter} onApplySaved={filters.applySaved}
            onDeleteSaved={filters.deleteSaved} selectedSaved={filters.selectedSaved} shown={view.length} total={viewConn ? viewConn.frames.length : framesHeld}
            filtering={view.filtering} inputRef={filterInput}
          />
          <div class={panes.stacked ? 'split stacked' : 'split'}>
            <section class="frames" aria-label="Frame list" style={{ flexBasis: `${panes.splitPct}%` }}>
              <InterceptBanner interception={interception} store={store} onShow={() => setTab('intercept')} version={`${storeVersion}/${interceptVersion}`} />
              <FrameNotes store={store} viewConn={viewConn} />
              <FrameList
                store={store} view={view} version={version} showConnection={spec.conn < 0}
                selectedId={selectedId} onSelect={selectRow}
                marked={marks.ids} onMark={(id, range) => marks.toggle(view, id, range)}
                onMenu={(id, x, y) => setMenu({ id, x, y })}
                resetKey={spec}
                decoded={showDecoded ? (f) => decoding.summary(f.conn, f.id) : undefined}
                intercept={(f) => markOf(store.intercepts.recordsOf(f.conn, f.seq), f.by === 'rule')}
                hidden={columns.hidden} widths={columns.widths} onResize={columns.resize}
                onColumnsMenu={(x, y, squeezed) => setColumnsMenu({ x, y, squeezed })}
              />
              <EmptyFrames store={store} view={view} viewConn={viewConn} spec={spec} onClearFilter={filters.clearFilter} />
            </section>
            <Separator
              orientation={panes.stacked ? 'horizontal' : 'vertical'} label="Resize frames and details"
              value={panes.splitPct} min={15} max={85} onChange={panes.setSplitPct}
            />
            <SidePane
              tab={tab} onTab={setTab} row={row} conn={conn}
              frame={(
                <>
                  {row && isLifecycleRow(row) && <EventDetail row={row} />}
                  {frame && (
                    <FrameDetail key={frame.id} conn={frame.conn} frame={frame} payloads={payloads} showConnection={spec.conn < 0} openSource={openSource}>
                      <InterceptDetail
                        frame={frame} records={store.intercepts.recordsOf(frame.conn, frame.seq)}
                        count={store.intercepts.recordsOf(frame.conn, frame.seq)?.length ?? 0}
                      />
                      <DecodedSection
                        decoding={decoding} conn={frame.conn} frame={frame} onSelectFrame={selectRow} seqOf={(id) => store.frame(id)?.seq}
                        onFilter={filters.addTerm} onChangeDecoder={showDecoderChoice}
                      />
                      {!readOnlyReason(frame.conn) && (
                        <FrameActions
                          conn={frame.conn} frame={frame} payloads={payloads} commands={commands} onEdit={editInComposer}
                          onFilterConnection={spec.conn !== frame.conn.index ? () => selectConn(frame.conn.key) : undefined}
                        />
                      )}
                    </FrameDetail>
                  )}
                </>
              )}
              connection={conn && (
                <>
                  {/* a socket that ended: why first */}
                  {hasEnded(conn) && <CloseDetails conn={conn} />}
                  <DecoderPicker key={conn.key} decoding={decoding} conn={conn} />
                  {conn.imported && <p class="note info">{readOnlyReason(conn)}</p>}
                  <ConnectionDetails conn={conn} now={now} openSource={openSource} />
                </>
              )}
              compose={conn && (
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
              intercept={(
                <InterceptTab
                  interception={interception} store={store} conn={conn && !conn.imported ? conn : undefined} payloads={payloads} now={now}
                  version={storeVersion}
                  keepAlive={interception.breakpoints.heartbeats ? undefined : (id) => keepAliveRow(id)}
                />
              )}
            />
          </div>
        </div>
      </div>
      <StatusBar
        totals={totals} memoryUsed={store.memoryUsed} memoryCap={store.memoryCap} evicted={store.evictedFrames} captureErrors={store.captureErrors}
        onMemoryCap={setMemoryCap} message={message}
      >
        {exportImport.result}
        {network && <NetworkLogStatus state={network.state} />}
      </StatusBar>
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
              void replayFrame(commands, f.conn, f, payloads)
                .then((r) => setMessage(r.ok ? { text: r.message, error: false } : { text: r.error, error: true }));
            },
            filterConn: (c) => selectConn(c.key),
            columns: () => setColumnsMenu({ x: menu.x, y: menu.y, squeezed: [] }),
            showAll: spec.conn >= 0 ? showAll : undefined,
          })}
        />
      )}
      {columnsMenu && (
        <FrameMenu label="Columns" x={columnsMenu.x} y={columnsMenu.y} onClose={closeColumnsMenu} items={columns.items(columnsMenu.squeezed)} />
      )}
    </div>
  );
}
