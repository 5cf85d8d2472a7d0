/**
 * Real headless Chromium (Debian's) with the built extension, for e2e tests: the one Chromium setup of
 * the suites (e2e, conformance; Firefox's is test/firefox/harness.ts), and their shared helpers.
 *
 * Playwright's defaults include --disable-extensions, so it is removed; the
 * extension id is read from its service worker's URL. The panel is opened as
 * a page (panel.html?tabId=N), which is also how users get a detached panel.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser } from 'puppeteer-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../src/demo/browser';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';

export { chromiumPath };

/** The built extension under test; WSI_EXTENSION_DIR lets parallel work build elsewhere. */
export const EXTENSION_DIR = resolve(process.env.WSI_EXTENSION_DIR ?? resolve(import.meta.dirname, '../../dist/chrome'));

export interface Browser {
  context: BrowserContext;
  /** set when launched with the extension */
  extensionId?: string;
  worker?: Worker;
  close(): Promise<void>;
}

/**
 * `extension: false` runs the browser without any extension; `extensionDir` loads another one (a test
 * fixture), and `serviceWorker: false` when that one has no background.
 */
export async function launch(opts: {
  extension?: boolean; extensionDir?: string; serviceWorker?: boolean;
  /** keep the back/forward cache on (automation launches turn it off) */
  backForwardCache?: boolean;
} = {}): Promise<Browser> {
  const withExtension = opts.extension ?? true;
  const dir = opts.extensionDir ?? EXTENSION_DIR;
  if (withExtension && !existsSync(join(dir, 'manifest.json'))) throw new Error(`Build first: ${dir} has no manifest.json`);
  const profile = mkdtempSync(join(tmpdir(), 'wsi-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions', ...(opts.backForwardCache ? ['--disable-back-forward-cache'] : [])],
    args: [
      ...CHROMIUM_FLAGS,
      ...(withExtension ? [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`] : []),
    ],
  });
  const browser: Browser = {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
  if (withExtension && opts.serviceWorker !== false) {
    browser.worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    browser.extensionId = new URL(browser.worker.url()).host;
  }
  return browser;
}

/**
 * The same Chromium and extension driven by Puppeteer instead, for what only it can do: open the real
 * DevTools of a page (`page.openDevTools()`).
 */
export function launchWithDevtools(): Promise<PuppeteerBrowser> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`Build first: ${EXTENSION_DIR} has no manifest.json`);
  return puppeteer.launch({ executablePath: chromiumPath(), headless: true, pipe: true, enableExtensions: [EXTENSION_DIR], args: CHROMIUM_FLAGS });
}

/** The current service worker (it changes after a restart). */
export async function serviceWorker(b: Browser): Promise<Worker> {
  const live = b.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${b.extensionId}/`));
  return live ?? (await b.context.waitForEvent('serviceworker'));
}

/**
 * The browser's tab id of the page opened last. Without the "tabs" permission
 * (which we do not ask users for) tab URLs are hidden, so tests open their page
 * and ask for the newest tab before opening anything else.
 */
export async function newestTabId(b: Browser): Promise<number> {
  const sw = await serviceWorker(b);
  const ids = await sw.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id ?? -1));
  return Math.max(...ids);
}

/** Set the user's lightweight mode, as the panel's toolbar checkbox does (storage.local). */
export async function setLightweight(b: Browser, on: boolean): Promise<void> {
  await (await serviceWorker(b)).evaluate((v) => chrome.storage.local.set({ captureLightweight: v }), on);
}

/** The user's Capture workers setting (deep capture of dedicated and module workers), for pages loaded after. */
export async function setCaptureWorkers(b: Browser, on: boolean): Promise<void> {
  await (await serviceWorker(b)).evaluate((v) => chrome.storage.local.set({ captureWorkers: v }), on);
}

/** Stop the extension's service worker, as Chrome does when it is idle (over CDP, from any page). */
export async function stopServiceWorker(b: Browser, from: Page): Promise<void> {
  const cdp = await b.context.newCDPSession(from);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${b.extensionId}/`));
  if (!sw) throw new Error('no extension service worker running');
  await cdp.send('Target.closeTarget', { targetId: sw.targetId });
  await cdp.detach();
}

/** Open the panel as a page for a tab (the detached-panel form). */
export async function openPanel(b: Browser, tabId: number, query = ''): Promise<Page> {
  const panel = await b.context.newPage();
  await panel.goto(`chrome-extension://${b.extensionId}/extension/panel/panel.html?tabId=${tabId}${query}`);
  return panel;
}

/** Poll until fn returns a truthy value (browser timing is not ours to assert on). The one poll of every suite. */
export async function until<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Playwright and Puppeteer pages both can do this much. */
export interface Evaluates { evaluate<T>(fn: () => T): Promise<T> }

/** Wait for a test page's scenario (pages.ts) to finish; fail with the step it reached. */
export async function scenarioDone(page: Evaluates, timeoutMs = 20_000): Promise<void> {
  type Progress = { done?: boolean; failed?: string; step?: string };
  const read = () => page.evaluate((): Progress => {
    const w = window as unknown as Progress;
    return { done: w.done, failed: w.failed, step: w.step };
  });
  await until(async () => { const p = await read(); return p.done || p.failed; }, 'page scenario', timeoutMs)
    .catch(async (e) => { throw new Error(`${String(e)} (page step: ${(await read()).step})`); });
  const { failed } = await read();
  if (failed) throw new Error(`page scenario failed: ${failed}`);
}

/** Open `url` in a new tab and wait for its scenario (pages.ts) to finish. */
export async function openTestPage(b: Browser, url: string): Promise<Page> {
  const page = await b.context.newPage();
  await page.goto(url);
  await scenarioDone(page);
  return page;
}

/**
 * Resolves once the page has drawn its current state and Preact has run the effects of that render
 * (they run in a task queued after the next frame): what the UI does on its own has been done.
 */
export async function rendered(page: Evaluates): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** Elements that are (or act as) controls, regions or live areas: each must have an accessible name. */
const NAMED = ['button', 'input', 'select', 'textarea', '[role=button]', '[role=checkbox]', '[role=tab]', '[role=grid]', '[role=menu]',
  '[role=menuitem]', '[role=radiogroup]', '[role=separator]', '[role=meter]', '[role=img]', '[role=search]', '[role=group]', '[role=list]',
  '[role=region]', '[role=status]'].join(', ');

/**
 * The controls on the page without an accessible name (aria-label, aria-labelledby, a <label>, their
 * text or title), as the start of their HTML: every control must have one (tests and screen readers
 * find them by role and name).
 */
export function unnamedControls(page: { evaluate<T, A>(fn: (arg: A) => T, arg: A): Promise<T> }): Promise<string[]> {
  return page.evaluate((selector) => {
    const nameOf = (el: Element) => {
      const label = el.getAttribute('aria-label') ?? '';
      const by = (el.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join('');
      const labels = (el as HTMLInputElement).labels ? [...(el as HTMLInputElement).labels!].map((l) => l.textContent).join('') : '';
      return (label + by + labels + (el.textContent ?? '') + (el.getAttribute('title') ?? '')).trim();
    };
    return [...document.querySelectorAll(selector)].filter((el) => !nameOf(el)).map((el) => el.outerHTML.slice(0, 120));
  }, NAMED);
}

/**
 * The panel's automation surface (src/store/automation.ts), read from outside by expression, which
 * Playwright and Puppeteer pages both evaluate: before the panel's script ran, no connections.
 */
export const automationIn = (panel: { evaluate(expression: string): Promise<unknown> }) => ({
  connections: () => panel.evaluate('typeof wsInspector === "undefined" ? [] : wsInspector.connections()') as Promise<ConnectionSnapshot[]>,
  frames: (key: string) => panel.evaluate(`wsInspector.frames(${JSON.stringify(key)})`) as Promise<FrameSnapshot[]>,
});
