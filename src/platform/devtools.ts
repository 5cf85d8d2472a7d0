/**
 * The DevTools facts the panel needs, the same way in Chrome and Firefox.
 *
 * - inspected tab: `devtools.inspectedWindow.tabId` in both;
 * - theme name: `devtools.panels.themeName` in both (Chrome says 'default' | 'dark',
 *   Firefox 'light' | 'dark');
 * - theme changes: Chrome has `chrome.devtools.panels.setThemeChangeHandler(fn)`, Firefox the
 *   event `browser.devtools.panels.onThemeChanged`.
 * - the network log as a second source (src/network): Chrome's `devtools.network` (callback form);
 *   Firefox's lists no WebSocket messages in its HAR, so there the source reports it has nothing;
 * - the page's own scripts and service workers, read in the extension's isolated world of the inspected
 *   page (`inspectedWindow.eval` with `useContentScriptContext`: Chrome; never the page's world);
 * - a script line in the Sources panel: Chrome's `devtools.panels.openResource(url, line, col)`
 *   (0-based); Firefox has no such call (its bug 1575240), so there the panel shows plain text.
 * Outside DevTools (the panel detached in a normal tab) `devtools` is absent: everything is null
 * and nothing is followed. Only structural types here, so tests can hand in fakes.
 */
import type { DevtoolsNetwork, PageScripts } from '../network/network-source';

/** Events the DevTools page dispatches on the panel's window when DevTools shows or hides the panel. */
export const PANEL_SHOWN = 'wsi-panel-shown';
export const PANEL_HIDDEN = 'wsi-panel-hidden';

interface PanelsApi {
  themeName?: string;
  /** Chrome */
  setThemeChangeHandler?: (fn: (name: string) => void) => void;
  /** Firefox */
  onThemeChanged?: { addListener(fn: (name: string) => void): void };
  /** Chrome: open a script in the Sources panel at a 0-based line and column */
  openResource?: (url: string, line: number, col: number, callback?: () => void) => unknown;
}
interface InspectedWindowApi {
  tabId?: number;
  eval?: (expr: string, options: { useContentScriptContext?: boolean }, callback: (result: unknown, error: unknown) => void) => unknown;
}
interface DevtoolsApi {
  inspectedWindow?: InspectedWindowApi;
  panels?: PanelsApi;
  network?: DevtoolsNetwork;
}
/** What we read of `globalThis`: Firefox has `browser` natively, Chrome only `chrome`. */
export interface ExtensionGlobals {
  browser?: { devtools?: DevtoolsApi };
  chrome?: { devtools?: DevtoolsApi };
}

export interface DevtoolsPlatform {
  /** the inspected tab, or null outside DevTools */
  inspectedTabId: number | null;
  /** the DevTools theme's name, or null outside DevTools */
  themeName: string | null;
  /** follow DevTools theme changes; false if there is nothing to follow */
  onThemeChanged(fn: (name: string) => void): boolean;
  /** show a script at a 1-based line and column in DevTools' Sources panel; null where that cannot be done */
  openSource: ((url: string, line: number, col: number) => void) | null;
  /** DevTools' network log (Chrome's callback API), or null outside DevTools */
  network: DevtoolsNetwork | null;
  /** the inspected page's service worker scripts and own scripts, or null where they cannot be read */
  pageScripts: (() => Promise<PageScripts>) | null;
}

/**
 * Runs in the extension's isolated world of the inspected page: its service workers' scripts (registrations
 * are asynchronous, so the answer of the previous call is kept there) and the window's own scripts.
 */
const PAGE_SCRIPTS = `(() => {
  const g = globalThis, sw = navigator.serviceWorker;
  if (sw && !g.__wsiSwAsked) {
    g.__wsiSwAsked = true;
    sw.getRegistrations().then((rs) => {
      g.__wsiSw = rs.flatMap((r) => [r.active, r.waiting, r.installing]).filter(Boolean).map((w) => w.scriptURL);
    }, () => {}).finally(() => { g.__wsiSwAsked = false; });
  }
  const scripts = performance.getEntriesByType('resource')
    .filter((e) => e.initiatorType === 'script' || e.initiatorType === 'link').map((e) => e.name);
  return { serviceWorkers: g.__wsiSw || (sw && sw.controller ? [sw.controller.scriptURL] : []), windowScripts: [location.href, ...scripts] };
})()`;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function devtoolsPlatform(g: ExtensionGlobals = globalThis as ExtensionGlobals): DevtoolsPlatform {
  // Firefox's own `browser` first; `chrome` exists in both browsers' extension pages
  const api = g.browser?.devtools ?? g.chrome?.devtools;
  const tabId = api?.inspectedWindow?.tabId;
  const panels = api?.panels;
  return {
    inspectedTabId: typeof tabId === 'number' ? tabId : null,
    themeName: typeof panels?.themeName === 'string' ? panels.themeName : null,
    onThemeChanged(fn) {
      if (panels?.onThemeChanged) { panels.onThemeChanged.addListener(fn); return true; }
      if (panels?.setThemeChangeHandler) { panels.setThemeChangeHandler(fn); return true; }
      return false;
    },
    network: api?.network && typeof api.network.getHAR === 'function' ? networkOf(api.network) : null,
    pageScripts: api?.inspectedWindow?.eval ? () => new Promise<PageScripts>((resolve, reject) => {
      api.inspectedWindow!.eval!(PAGE_SCRIPTS, { useContentScriptContext: true }, (result, error) => {
        if (error || typeof result !== 'object' || result === null) { reject(new Error('the page did not answer')); return; }
        const r = result as Record<string, unknown>;
        resolve({ serviceWorkers: strings(r.serviceWorkers), windowScripts: strings(r.windowScripts) });
      });
    }) : null,
    openSource: panels?.openResource
      ? (url, line, col) => { panels.openResource!(url, Math.max(0, line - 1), Math.max(0, col - 1), () => {}); }
      : null,
  };
}

/** getHAR with a callback that is called once, whether this browser answers by callback (Chrome) or promise (Firefox's `browser`). */
function networkOf(net: DevtoolsNetwork): DevtoolsNetwork {
  return {
    getHAR(callback) {
      let done = false;
      const once = (har: { entries?: unknown[] }) => { if (!done) { done = true; callback(har as never); } };
      const r = (net.getHAR as (cb: typeof once) => unknown)(once);
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<{ entries?: unknown[] }>).then(once, () => once({ entries: [] }));
    },
    onRequestFinished: net.onRequestFinished,
  };
}
