/**
 * The DevTools facts the panel needs, the same way in Chrome and Firefox.
 *
 * - inspected tab: `devtools.inspectedWindow.tabId` in both;
 * - theme name: `devtools.panels.themeName` in both (Chrome says 'default' | 'dark',
 *   Firefox 'light' | 'dark');
 * - theme changes: Chrome has `chrome.devtools.panels.setThemeChangeHandler(fn)`, Firefox the
 *   event `browser.devtools.panels.onThemeChanged`.
 * - a script line in the Sources panel: Chrome's `devtools.panels.openResource(url, line, col)`
 *   (0-based); Firefox has no such call (its bug 1575240), so there the panel shows plain text.
 * Outside DevTools (the panel detached in a normal tab) `devtools` is absent: everything is null
 * and nothing is followed. Only structural types here, so tests can hand in fakes.
 */

interface PanelsApi {
  themeName?: string;
  /** Chrome */
  setThemeChangeHandler?: (fn: (name: string) => void) => void;
  /** Firefox */
  onThemeChanged?: { addListener(fn: (name: string) => void): void };
  /** Chrome: open a script in the Sources panel at a 0-based line and column */
  openResource?: (url: string, line: number, col: number, callback?: () => void) => unknown;
}
interface DevtoolsApi {
  inspectedWindow?: { tabId?: number };
  panels?: PanelsApi;
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
}

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
    openSource: panels?.openResource
      ? (url, line, col) => { panels.openResource!(url, Math.max(0, line - 1), Math.max(0, col - 1), () => {}); }
      : null,
  };
}
