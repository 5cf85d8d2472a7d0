/**
 * Puppeteer helpers for `npm start`: launch Chromium, install the built extension, open the demo
 * page and learn its tab id (the panel page needs it as ?tabId=N).
 */
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './browser';

const PANEL_PATH = 'extension/panel/panel.html';

interface TabInfo {
  id?: number;
  url?: string;
  pendingUrl?: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function panelUrl(extId: string, tabId?: number): string {
  const base = `chrome-extension://${extId}/${PANEL_PATH}`;
  return tabId === undefined ? base : `${base}?tabId=${tabId}`;
}

export async function launch(executablePath: string, headless: boolean): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless,
    devtools: !headless, // --auto-open-devtools-for-tabs
    pipe: true, // required for installExtension (CDP Extensions.loadUnpacked)
    enableExtensions: true,
    // puppeteer leaves this one out; without it a headful first run asks to become the default browser
    args: [...CHROMIUM_FLAGS, '--no-default-browser-check'],
    defaultViewport: headless ? { width: 1280, height: 800 } : null,
    // main() decides how to shut down (browser first, then the demo server)
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

async function extensionWorker(browser: Browser, extId: string, timeout: number): Promise<WebWorker> {
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extId}/`),
    { timeout },
  );
  const worker = await target.worker();
  if (!worker) throw new Error('service worker target has no worker');
  return worker;
}

/** Installs the extension and waits for its service worker. Returns the extension id. */
export async function installExtension(browser: Browser, dir: string): Promise<string> {
  const extId = await browser.installExtension(dir);
  await extensionWorker(browser, extId, 10_000).catch(() => {
    console.warn('! the extension service worker did not show up within 10 s; continuing');
  });
  return extId;
}

/** All tabs, as the extension sees them: through its service worker, else through one of its pages. */
async function queryTabs(browser: Browser, extId: string): Promise<TabInfo[]> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const worker = await extensionWorker(browser, extId, 5000);
      return await worker.evaluate(() => chrome.tabs.query({}));
    } catch (err) {
      lastError = err; // the worker may have been stopped between lookup and evaluate: retry once
    }
  }
  const page = await browser.newPage();
  try {
    await page.goto(panelUrl(extId), { waitUntil: 'domcontentloaded', timeout: 10_000 });
    return (await page.evaluate('chrome.tabs.query({})')) as TabInfo[];
  } catch (err) {
    throw new Error(`cannot query tabs through the extension: ${String(lastError)}; ${String(err)}`, { cause: err });
  } finally {
    await page.close().catch(() => {});
  }
}

/** The tab id of the demo page: by URL, else the one tab that appeared since `before`. */
async function findDemoTab(
  browser: Browser,
  extId: string,
  demoUrl: string,
  before: Set<number>,
): Promise<{ tabId: number; how: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const tabs = await queryTabs(browser, extId);
    const byUrl = tabs.find((t) => (t.url ?? t.pendingUrl ?? '').startsWith(demoUrl));
    if (byUrl?.id !== undefined) return { tabId: byUrl.id, how: 'matched by URL' };
    // Without the "tabs" permission tab URLs are hidden: take the one tab that appeared since `before`.
    const fresh = tabs.filter(
      (t) => t.id !== undefined && !before.has(t.id) && !(t.url ?? '').startsWith('chrome-extension://'),
    );
    if (fresh.length === 1) return { tabId: fresh[0]!.id!, how: 'the only new tab' };
    if (Date.now() > deadline) {
      throw new Error(`demo tab not found among ${JSON.stringify(tabs.map((t) => ({ id: t.id, url: t.url })))}`);
    }
    await sleep(250);
  }
}

export interface DemoTab {
  extId: string;
  page: Page;
  /** undefined when the tab could not be identified (only the headful mode tolerates that) */
  tabId?: number;
  how: string;
}

/**
 * Installs the extension, then opens the demo in a new tab. The tab must be created after the
 * install: only then do its (auto-opened) DevTools load the extension's DevTools page.
 */
export async function openDemo(browser: Browser, extDir: string, demoUrl: string): Promise<DemoTab> {
  const initialPages = await browser.pages();
  const extId = await installExtension(browser, extDir);
  const tabs = await queryTabs(browser, extId).catch(() => []);
  const before = new Set(tabs.flatMap((t) => (t.id === undefined ? [] : [t.id])));
  const page = await browser.newPage();
  for (const p of initialPages) await p.close().catch(() => {});
  await page.goto(demoUrl, { waitUntil: 'load' });
  try {
    return { extId, page, ...(await findDemoTab(browser, extId, demoUrl, before)) };
  } catch (err) {
    return { extId, page, how: err instanceof Error ? err.message : String(err) };
  }
}
