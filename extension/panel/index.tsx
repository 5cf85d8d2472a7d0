/**
 * The DevTools panel page: find the inspected tab, link to it, render.
 * Also works detached in a normal tab as panel.html?tabId=N (&theme=dark|light).
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { LibraryStore } from '../../src/compose/library';
import { interceptionApi } from '../../src/intercept/automation';
import { Interception } from '../../src/intercept/interception';
import { RuleStorage } from '../../src/intercept/rule-storage';
import { NetworkSource, type SourceState } from '../../src/network/network-source';
import { devtoolsPlatform, PANEL_HIDDEN, PANEL_SHOWN } from '../../src/platform/devtools';
import { automationApi } from '../../src/store/automation';
import type { FrameView } from '../../src/store/frame-view';
import { PanelSettings } from '../../src/store/panel-settings';
import { Store } from '../../src/store/store';
import { DATA_PORT } from '../../src/protocol/messages';
import { PanelLink } from '../../src/transport/panel-link';
import type { PortStatus } from '../../src/transport/reconnecting-port';
import { App } from '../../src/ui/shell/App';
import { LayoutSettings } from '../../src/ui/shell/layout-settings';
import { RenderPacing } from '../../src/ui/shell/render-pacing';
import { applyTheme, resolveTheme } from '../../src/ui/shell/theme';
import '../../src/ui/base.css';

const params = new URLSearchParams(location.search);
// Chrome's and Firefox's DevTools APIs, one shape (src/platform/devtools.ts); all null outside DevTools
const devtools = devtoolsPlatform();

function inspectedTabId(): number | null {
  if (devtools.inspectedTabId !== null) return devtools.inspectedTabId;
  const q = Number(params.get('tabId'));
  return params.has('tabId') && params.get('tabId') !== '' && Number.isSafeInteger(q) && q >= 0 ? q : null;
}

const themeQuery = params.get('theme');
applyTheme(document.body, resolveTheme({
  query: themeQuery,
  devtools: devtools.themeName,
  prefersDark: matchMedia('(prefers-color-scheme: dark)').matches,
}));
if (!themeQuery) {
  devtools.onThemeChanged((name) => applyTheme(document.body, resolveTheme({ devtools: name })));
}

const root = document.getElementById('app')!;
const tabId = inspectedTabId();

if (tabId === null) {
  render(
    <p class="fatal">
      No inspected tab. Open this panel from DevTools (the “WebSocket” tab), or open it in a tab with
      {' '}<code>?tabId=N</code> added to its address.
    </p>,
    root,
  );
} else {
  const store = new Store();
  const status = signal<PortStatus>('reconnecting');
  const preserveLog = signal(false);
  const link = new PanelLink({
    tabId,
    store,
    connect: (name) => browser.runtime.connect({ name }),
    onStatus: (s) => { status.value = s; },
    preserveLog: () => preserveLog.value,
    // data ports to the tab's frames where this page has the tabs API (Chrome's DevTools, the panel in a tab);
    // Firefox's DevTools pages have none, and keep the background's path
    ...(browser.tabs?.connect ? { connectFrame: (frameId: number) => browser.tabs.connect(tabId, { name: DATA_PORT, frameId }) } : {}),
  });
  // DevTools' network log as a second source: workers', the service worker's and WebSocketStream sockets
  const networkState = signal<SourceState>({ kind: 'off' });
  const source = new NetworkSource({
    network: devtools.network, store, ownScripts: browser.runtime.getURL(''), pageScripts: devtools.pageScripts ?? undefined,
    onState: (s) => { networkState.value = s; },
  });
  // polled only while the panel is shown: the DevTools page says when (extension/devtools), and the window's visibility
  let shownInDevtools = true;
  const showing = () => source.setShown(shownInDevtools && document.visibilityState === 'visible');
  addEventListener(PANEL_SHOWN, () => { shownInDevtools = true; showing(); });
  addEventListener(PANEL_HIDDEN, () => { shownInDevtools = false; showing(); });
  document.addEventListener('visibilitychange', showing);
  const viewRef: { current: FrameView | null } = { current: null };
  const redraws = new RenderPacing();
  // saved messages, saved rules, saved filters, the memory cap: what the user chose to keep, in storage.local;
  // the composer's send history only in storage.session (memory, until the browser closes). Never synced or sent.
  const areaOf = (a: typeof browser.storage.local) => ({
    get: (key: string) => a.get(key),
    set: (items: Record<string, unknown>) => a.set(items),
    remove: (key: string) => a.remove(key),
  });
  const area = areaOf(browser.storage.local);
  const historyArea = browser.storage.session ? areaOf(browser.storage.session) : area;
  // before the link starts: the first frame hellos must reach it (it sends them their interception settings)
  const interception = new Interception(link, store, new RuleStorage(area));
  link.start();
  // machine access for automation (see README): only this extension page has it
  (globalThis as { wsInspector?: unknown }).wsInspector = {
    ...automationApi(store, () => {
      const v = viewRef.current;
      return v && { matched: v.length, filtering: v.filtering, lastFilterMs: v.lastFilterMs, lastFilterWorkMs: v.lastFilterWorkMs, query: v.spec.query,
        redraws: redraws.count, redrawMs: redraws.totalMs };
    }, () => ({ state: networkState.value, polls: source.polls, busyMs: source.busyMs, lastPollMs: source.lastPollMs })),
    ...interceptionApi(interception, store),
  };
  addEventListener('pagehide', () => { link.stop(); source.stop(); });
  render(
    <App
      store={store} payloads={link} status={status} preserveLog={preserveLog} commands={link}
      library={new LibraryStore(area, historyArea)} settings={new PanelSettings(area)} layout={new LayoutSettings(area)}
      viewRef={viewRef} redraws={redraws} interception={interception}
      openSource={devtools.openSource} network={{ state: networkState, setEnabled: (on) => source.setEnabled(on) }}
    />,
    root,
  );
}
