/**
 * Real headless Firefox (Debian's firefox-esr) with the built add-on (dist/firefox), for e2e tests.
 *
 * puppeteer-core drives it over WebDriver BiDi; the add-on is installed as a temporary add-on,
 * under a fixed moz-extension UUID (pref `extensions.webextensions.uuids`) so tests know the
 * panel's address. `--remote-allow-system-access` lets automation open moz-extension:// pages;
 * `goto()` never resolves for those, so navigation is started and then polled.
 */
import { existsSync, mkdtempSync, rmSync, statSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import puppeteer, { type Browser as PBrowser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../src/platform/manifest';
import type { ScenarioHost } from '../conformance/runner';
import { scenarioDone, until } from '../e2e/harness';

export { until };

/** The built Firefox add-on under test; WSI_FIREFOX_DIR lets parallel work build elsewhere. */
export const FIREFOX_EXTENSION_DIR = resolve(process.env.WSI_FIREFOX_DIR ?? resolve(import.meta.dirname, '../../dist/firefox'));

/** The moz-extension:// host the add-on gets in test profiles. */
export const EXTENSION_UUID = '5b6f1c2e-7a3d-4e8b-9c41-0d2f6a8e3b57';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

const NAMES = ['firefox-esr', 'firefox'];

/** FIREFOX_PATH, else firefox-esr or firefox on PATH. Throws if none. */
export function firefoxPath(): string {
  const ok = (p: string) => { try { accessSync(p, constants.X_OK); return statSync(p).isFile(); } catch { return false; } };
  const fromEnv = process.env['FIREFOX_PATH'];
  if (fromEnv) {
    if (!ok(fromEnv)) throw new Error(`FIREFOX_PATH=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  for (const name of NAMES) {
    for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
      if (ok(join(dir, name))) return join(dir, name);
    }
  }
  throw new Error(`No Firefox found (looked for ${NAMES.join(', ')} on PATH). Debian: apt-get install -y firefox-esr, or set FIREFOX_PATH.`);
}

export interface FirefoxBrowser {
  browser: PBrowser;
  close(): Promise<void>;
}

/** `extension: false` runs Firefox without the add-on; `extensionDir` installs another one (a test fixture). */
export async function launchFirefox(opts: { extension?: boolean; extensionDir?: string; prefs?: Record<string, unknown> } = {}): Promise<FirefoxBrowser> {
  const withExtension = opts.extension ?? true;
  const dir = opts.extensionDir ?? FIREFOX_EXTENSION_DIR;
  if (withExtension && !existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`Build first (npm run build): ${dir} has no manifest.json`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'wsi-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    userDataDir: profile,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      ...opts.prefs,
    },
  });
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  if (withExtension) {
    try {
      const id = await browser.installExtension(dir);
      if (!opts.extensionDir && id !== GECKO_ID) throw new Error(`installed add-on has id ${id}, expected ${GECKO_ID}`);
    } catch (e) {
      await close();
      throw e;
    }
  }
  return { browser, close };
}

/**
 * Navigate a page to an extension page and wait until `ready` (an expression) is truthy there:
 * BiDi's navigate never resolves for moz-extension:// documents.
 */
export async function gotoExtensionPage(page: Page, path: string, ready = 'document.readyState === "complete"'): Promise<void> {
  const url = `${EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`;
  void page.goto(url, { timeout: 0 }).catch(() => { /* never resolves; polled below */ });
  // page.url() keeps saying about:blank: ask the document itself
  await until(() => page.evaluate(`location.href === ${JSON.stringify(url)} && !!(${ready})`), `extension page ${path}`);
}

/**
 * Tab ids of every open tab, asked from an extension page (tab URLs are hidden without the
 * "tabs" permission, which we do not ask users for): tests open their page, then take the newest.
 */
export async function tabIds(b: FirefoxBrowser): Promise<number[]> {
  const helper = await b.browser.newPage();
  try {
    await gotoExtensionPage(helper, 'extension/panel/panel.html');
    // every tab but this helper's own
    return await helper.evaluate(`Promise.all([browser.tabs.query({}), browser.tabs.getCurrent()])
      .then(([tabs, self]) => tabs.map((t) => t.id).filter((id) => id !== self.id))`) as number[];
  } finally {
    await helper.close();
  }
}

/** The tab id of the page opened last (ids grow). Call before opening anything else. */
export async function newestTabId(b: FirefoxBrowser): Promise<number> {
  return Math.max(...(await tabIds(b)));
}

/** The user's *Capture workers* (storage.local, as the toolbar's checkbox sets it), from an extension page. */
export async function setCaptureWorkers(b: FirefoxBrowser, on: boolean): Promise<void> {
  const helper = await b.browser.newPage();
  try {
    await gotoExtensionPage(helper, 'extension/panel/panel.html');
    await helper.evaluate(`browser.storage.local.set({ captureWorkers: ${on} })`);
  } finally {
    await helper.close();
  }
}

/** Open `url` in a new tab and wait for its scenario (test/e2e/pages.ts) to finish. */
export async function openTestPage(b: FirefoxBrowser, url: string): Promise<Page> {
  const page = await b.browser.newPage();
  await page.goto(url);
  await scenarioDone(page);
  return page;
}

/** Open the panel as a page for a tab (the detached-panel form); resolves once `wsInspector` exists. */
export async function openPanel(b: FirefoxBrowser, tabId: number, query = ''): Promise<Page> {
  const panel = await b.browser.newPage();
  await gotoExtensionPage(panel, `extension/panel/panel.html?tabId=${tabId}${query}`, 'typeof wsInspector !== "undefined"');
  return panel;
}

/**
 * Firefox's own console notes about a socket's network failure ("connectionFailure" and "netInterrupt"
 * of appstrings.properties). WebDriver BiDi reports them like uncaught errors, but they are not: the
 * page cannot observe them, and whether one arrives before the tab closes is a race with the network
 * (the same scenario gave 0 or 6 of them in runs a second apart, with and without the add-on alike).
 */
const NETWORK_NOTES = [
  /^Firefox can’t establish a connection to the server at wss?:\/\/\S+\.$/,
  /^The connection to wss?:\/\/\S+ was interrupted while the page was loading\.$/,
];
export const isNetworkNote = (message: string): boolean => NETWORK_NOTES.some((re) => re.test(message));

/**
 * Firefox (Puppeteer) as a host for the conformance runner (test/conformance/runner.ts). `pageErrors`
 * are the page's uncaught errors, as Playwright reports them in Chromium: network notes left out.
 */
export function firefoxHost(b: FirefoxBrowser): ScenarioHost<Page> {
  return {
    async newTab() {
      const page = await b.browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        if (!isNetworkNote(message)) pageErrors.push(message);
      });
      return {
        page, pageErrors,
        goto: async (url) => { await page.goto(url); },
        evaluate: (expression) => page.evaluate(expression),
        close: () => page.close(),
      };
    },
  };
}
