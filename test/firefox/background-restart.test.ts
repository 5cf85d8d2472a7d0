/**
 * Firefox runs the background as an event page, not a service worker. Firefox suspends an event page
 * after `extensions.background.idle.timeout` (30 s) without events; an open runtime.Port does not keep
 * it alive, but every Port.onMessage in an extension context resets that timer (Firefox 153's
 * ExtensionChild/ext-backgroundPage code), so while frames stream to an open panel it is not
 * suspended for idleness. Two cases are tested here, each in its own Firefox:
 *
 * 1. Suspended mid-stream, panel open — the equivalent of the Chromium test that stops the service
 *    worker (test/e2e/streaming.test.ts). Forced through Firefox's own `terminateBackgroundScript`,
 *    what about:debugging's "Terminate background script" does (reached over BiDi's chrome scope); it
 *    suspends the event page whatever ports are open. The panel must say *Reconnecting…*, reconnect
 *    (waking the event page), and keep every frame exactly once.
 * 2. Suspended by Firefox for idleness (the timeout lowered to 1 s) while no panel is open and the page
 *    keeps streaming into its history; the panel opened afterwards wakes the event page and gets the
 *    whole history, then the live frames, exactly once.
 *
 * The page closes its socket itself after `window.limit` frames (set by the test), so how many frames
 * there are does not depend on timing.
 */
import type { Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { GECKO_ID } from '../../src/platform/manifest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { chromeEval } from './devtools';
import { launchFirefox, newestTabId, openPanel, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

interface StreamPage { count: number; limit: number; done?: boolean }
interface Background { state: string; starts: number; suspends: number }

let server: TestServer | undefined;
let browser: FirefoxBrowser | undefined;

afterEach(async () => {
  await browser?.close();
  await server?.close();
  browser = undefined;
  server = undefined;
});

/** A socket receiving a frame every 10 ms until the page has `window.limit` of them, then closed by the page. */
const streamPage = (ws: string) => `<!doctype html><title>stream</title><script>
  window.count = 0;
  window.limit = Infinity;
  const s = new WebSocket(${JSON.stringify(`${ws}/push?n=100000&every=10&size=60`)});
  s.onmessage = () => { if (++window.count >= window.limit && !window.done) { window.done = true; s.close(1000, 'enough'); } };
</script>`;

const pageState = (page: Page) => page.evaluate(() => {
  const w = window as unknown as StreamPage;
  return { count: w.count, done: !!w.done };
});
const stopAfter = (page: Page, more: number) => page.evaluate((m) => {
  const w = window as unknown as StreamPage;
  w.limit = w.count + m;
  return w.limit;
}, more);
const inFrames = (panel: Page) => panel.evaluate(() => {
  const c = wsInspector.connections()[0];
  return c ? wsInspector.frames(c.key).filter((f) => f.dir === 'in') : [];
});
const connection = async (panel: Page): Promise<ConnectionSnapshot> => (await panel.evaluate(() => wsInspector.connections()))[0]!;

/**
 * The event page's state (starting, running, suspending, stopped) and, from the moment this was first
 * called, how often it started and was suspended (Firefox's own events on its Extension object).
 */
async function background(b: FirefoxBrowser): Promise<Background> {
  return JSON.parse(await chromeEval(b, `(async () => {
    const ext = WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension;
    if (!window.__wsiBg) {
      const c = window.__wsiBg = { starts: 0, suspends: 0 };
      ext.on('background-script-started', () => { c.starts++; });
      ext.on('background-script-suspend', () => { c.suspends++; });
    }
    return JSON.stringify({ state: ext.backgroundState, ...window.__wsiBg });
  })()`)) as Background;
}

/** Suspend the event page as about:debugging's "Terminate background script" does; resolves with the state right after. */
async function terminateBackground(b: FirefoxBrowser): Promise<string> {
  return chromeEval(b, `(async () => {
    const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
    await ExtensionParent.DebugUtils.terminateBackgroundScript(${JSON.stringify(GECKO_ID)});
    return WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension.backgroundState;
  })()`);
}

/** Record every text the panel's connection status shows from now on, into `window.__statuses`. */
const watchStatus = (panel: Page) => panel.evaluate(() => {
  const w = window as unknown as { __statuses: string[] };
  const read = () => document.querySelector('[aria-label="Connection status"]')?.textContent ?? '';
  w.__statuses = [read()];
  new MutationObserver(() => {
    const s = read();
    if (s !== w.__statuses.at(-1)) w.__statuses.push(s);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
});
const connected = (panel: Page) => until(() => panel.evaluate(() =>
  document.querySelector('[aria-label="Connection status"]')?.textContent === 'Connected'), 'the panel connected');
const statuses = (panel: Page) => panel.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);

/** Every frame of the stream in the panel exactly once: bodies 0..n-1 in order, seqs contiguous, nothing dropped. */
async function expectComplete(panel: Page, n: number): Promise<FrameSnapshot[]> {
  const frames = await until(async () => {
    const f = await inFrames(panel);
    return f.length >= n && (await connection(panel)).state === 3 ? f : null;
  }, `all ${n} frames and the close in the panel`);
  expect(frames.length).toBe(n);
  expect(frames.map((f) => (JSON.parse(f.text!) as { i: number }).i)).toEqual(Array.from({ length: n }, (_, i) => i));
  const seqs = frames.map((f) => f.seq);
  expect(seqs).toEqual(Array.from({ length: n }, (_, i) => seqs[0]! + i));
  const conn = await connection(panel);
  expect(conn.dropped).toBe(0);
  expect(conn.framesIn).toBe(n);
  return frames;
}

describe('Firefox: the background event page restarted', () => {
  it('keeps every frame exactly once when the event page is terminated mid-stream under an open panel', async () => {
    server = await startTestServer();
    browser = await launchFirefox();
    const page = await browser.browser.newPage();
    await page.goto(server.page('/ff-stream', streamPage(server.wsOrigin)));
    const panel = await openPanel(browser, await newestTabId(browser));
    await connected(panel);
    await watchStatus(panel);
    expect(await background(browser)).toMatchObject({ state: 'running', starts: 0, suspends: 0 });

    // live frames in the panel while the page is receiving
    await until(async () => (await inFrames(panel)).length >= 50, 'live frames in the panel');
    const before = (await inFrames(panel)).length;
    expect((await pageState(page)).done).toBe(false);

    expect(await terminateBackground(browser)).toBe('stopped');
    // the panel noticed, reconnected (which woke the event page), and frames flow again, live
    await until(async () => (await background(browser!)).starts === 1, 'the event page started again');
    const after = await until(async () => {
      const got = (await inFrames(panel)).length;
      return got > before + 50 ? got : 0;
    }, 'live frames after the restart');
    expect((await pageState(page)).done).toBe(false);
    expect(after).toBeGreaterThan(before);

    const n = await stopAfter(page, 30);
    await until(async () => (await pageState(page)).done, 'the page closed its socket');
    await expectComplete(panel, n);
    expect(await background(browser)).toMatchObject({ state: 'running', starts: 1, suspends: 1 });
    // the status went to Reconnecting… and back
    const seen = await statuses(panel);
    expect(seen[0]).toBe('Connected');
    expect(seen).toContain('Reconnecting…');
    expect(seen.at(-1)).toBe('Connected');
  });

  it('gives the whole history, then live frames, when a panel opens after Firefox suspended the idle event page', async () => {
    server = await startTestServer();
    browser = await launchFirefox({ prefs: { 'extensions.background.idle.timeout': 1000 } });
    await background(browser);
    const page = await browser.browser.newPage();
    await page.goto(server.page('/ff-idle', streamPage(server.wsOrigin)));
    const atLoad = (await background(browser)).suspends;
    const tabId = await newestTabId(browser);

    // no panel: the page records into its history, nothing is sent, the event page idles and is suspended
    await until(async () => {
      const bg = await background(browser!);
      return bg.state === 'stopped' && bg.suspends > atLoad;
    }, 'the idle event page suspended while the page streams', 10_000);
    const recorded = (await pageState(page)).count;
    expect((await pageState(page)).done).toBe(false);

    const panel = await openPanel(browser, tabId);
    await until(async () => (await background(browser!)).state === 'running', 'the event page woken by the panel');
    // the history from before the panel, then live frames
    await until(async () => (await inFrames(panel)).length >= recorded + 50, 'history and live frames in the panel');
    expect((await pageState(page)).done).toBe(false);

    const n = await stopAfter(page, 30);
    await until(async () => (await pageState(page)).done, 'the page closed its socket');
    await expectComplete(panel, n);
    expect(n).toBeGreaterThan(recorded);
    await connected(panel);
  });
});
