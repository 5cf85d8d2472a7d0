/**
 * Lightweight mode (README, "Lightweight mode"): with it on, the page hook records messages only while
 * a WebSocket panel is attached; connections, states and closes always. Where messages were not
 * recorded is shown (lifecycle rows, a note), never silent; the page sees exactly what it sees without
 * the extension; turning the mode off applies to live pages at once.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, serviceWorker, until, type Browser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;
let page: Page;
let tabId: number;

/** One echo socket; `talk(tag, n)` sends n messages and resolves when their n echoes came back. */
const echoPage = (ws: string) => `<!doctype html><meta charset="utf-8"><title>lightweight</title><script>
  window.received = 0;
  const sock = new WebSocket(${JSON.stringify(ws)} + '/echo');
  let waiting = null;
  sock.addEventListener('message', () => { window.received++; if (waiting && window.received >= waiting.n) { waiting.resolve(); waiting = null; } });
  window.opened = new Promise((r) => sock.addEventListener('open', r, { once: true }));
  window.talk = async (tag, n) => {
    await window.opened;
    const target = window.received + n;
    const done = new Promise((resolve) => { waiting = { n: target, resolve }; });
    for (let i = 0; i < n; i++) sock.send(tag + ' ' + i);
    await done;
    return window.received;
  };
  /** n messages, one every ms milliseconds; resolves when all their echoes came back */
  window.drip = async (tag, n, ms) => {
    await window.opened;
    const target = window.received + n;
    const done = new Promise((resolve) => { waiting = { n: target, resolve }; });
    for (let i = 0; i < n; i++) { sock.send(tag + ' ' + i); await new Promise((r) => setTimeout(r, ms)); }
    await done;
    return window.received;
  };
</script>`;

const talk = (tag: string, n: number) =>
  page.evaluate(([t, k]) => (window as unknown as { talk: (t: string, n: number) => Promise<number> }).talk(t, k), [tag, n] as const);
const framesIn = async (panel: Page): Promise<FrameSnapshot[]> => panel.evaluate(() => {
  const c = wsInspector.connections()[0];
  return c ? wsInspector.frames(c.key) : [];
});
const texts = (fs: FrameSnapshot[]) => fs.map((f) => `${f.dir} ${f.text}`);
const recording = (panel: Page) => panel.evaluate(() => wsInspector.connections()[0]?.recording ?? []);

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  const sw = await serviceWorker(browser);
  await sw.evaluate(() => chrome.storage.local.set({ captureLightweight: true }));
  page = await browser.context.newPage();
  await page.goto(server.page('/lightweight', echoPage(server.wsOrigin)));
  tabId = await newestTabId(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('lightweight mode', () => {
  it('records no message while no panel is open, and every one while a panel is attached; the page sees them all', async () => {
    expect(await talk('before', 5)).toBe(5);
    const panel = await openPanel(browser, tabId, '&theme=light');
    await until(async () => (await recording(panel)).length >= 2, 'recording paused, then resumed, as the panel attached');
    expect((await recording(panel)).map((r) => r.frames)).toEqual([false, true]);
    // the connection is there, open; of the 10 messages before the panel, none after the hook heard of the
    // mode (the setting reaches a new page a few ms after it starts: until then it records, as by default)
    const conn = (await panel.evaluate(() => wsInspector.connections()))[0]!;
    expect(conn.state).toBe(1);
    const pausedAt = (await recording(panel))[0]!.t;
    expect((await framesIn(panel)).every((f) => f.t <= pausedAt)).toBe(true);
    const early = (await framesIn(panel)).length;
    expect(await panel.getByText(/Lightweight mode: messages of 1 connection were not recorded/).isVisible()).toBe(true);
    expect(await panel.getByRole('checkbox', { name: 'Lightweight' }).isChecked()).toBe(true);

    // while attached: every message, both ways, in order
    expect(await talk('during', 3)).toBe(8);
    await until(async () => (await framesIn(panel)).length >= early + 6, 'the 6 frames while attached');
    const during = (await framesIn(panel)).slice(early);
    expect(during.filter((f) => f.dir === 'out').map((f) => f.text)).toEqual(['during 0', 'during 1', 'during 2']);
    expect(during.filter((f) => f.dir === 'in').map((f) => f.text)).toEqual(['during 0', 'during 1', 'during 2']);

    // the lifecycle rows say where messages were not recorded
    await panel.getByRole('checkbox', { name: 'Lifecycle' }).check();
    await until(() => panel.getByRole('grid', { name: 'Frames' }).getByText(/messages not recorded: no WebSocket panel is open/).count(), 'the paused row');
    expect(await panel.getByRole('grid', { name: 'Frames' }).getByText(/messages recorded again: a WebSocket panel attached/).count()).toBe(1);
    await panel.close();

    // the panel closed: recording stops again (once the detach reached the page); a new panel sees the
    // pause and the resume, not the messages between them
    await page.waitForTimeout(300);
    expect(await talk('after', 2)).toBe(10);
    const again = await openPanel(browser, tabId, '&theme=light');
    await until(async () => (await recording(again)).length >= 4, 'the second pause and resume');
    expect((await recording(again)).map((r) => r.frames)).toEqual([false, true, false, true]);
    // nothing recorded between the pause (the detach reached the page) and the resume
    const [, , paused, resumed] = await recording(again);
    expect((await framesIn(again)).filter((f) => f.t > paused!.t && f.t < resumed!.t)).toEqual([]);
    await again.close();
  });

  it('turned off in the toolbar, live pages record every message again at once', async () => {
    const panel = await openPanel(browser, tabId, '&theme=light');
    const box = panel.getByRole('checkbox', { name: 'Lightweight' });
    await until(() => box.isChecked(), 'the setting read from storage');
    await box.uncheck();
    const sw = await serviceWorker(browser);
    await until(async () => (await sw.evaluate(() => chrome.storage.local.get('captureLightweight'))).captureLightweight === false, 'the setting saved');
    await panel.close();
    // no panel now, but the mode is off: these are recorded (into the page's history)
    expect(await talk('off', 2)).toBe(12);
    const later = await openPanel(browser, tabId, '&theme=light');
    // here a page that already runs hears of the change: strictly nothing is lost from then on
    await until(async () => texts(await framesIn(later)).filter((t) => t.includes('off')).length === 4, 'the messages sent with no panel open');
    expect((await recording(later)).at(-1)?.frames).toBe(true);
    await later.close();
  });

  it('keeps recording through a service-worker restart while the panel is open (it comes back)', async () => {
    const sw = await serviceWorker(browser);
    await sw.evaluate(() => chrome.storage.local.set({ captureLightweight: true }));
    const panel = await openPanel(browser, tabId, '&theme=light');
    await until(async () => (await recording(panel)).at(-1)?.frames === true, 'recording while attached');
    const pausesBefore = (await recording(panel)).filter((r) => !r.frames).length;
    const cdp: CDPSession = await browser.context.newCDPSession(page);
    const dripping = page.evaluate(() => (window as unknown as { drip: (t: string, n: number, ms: number) => Promise<number> }).drip('sw', 60, 15));
    await until(async () => texts(await framesIn(panel)).filter((t) => t.includes('sw ')).length >= 10, 'some frames before the restart');
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    if (!worker) throw new Error('no extension service worker running');
    await cdp.send('Target.closeTarget', { targetId: worker.targetId });
    await dripping;
    // every message both ways, once; no pause was recorded for the restart
    await until(async () => texts(await framesIn(panel)).filter((t) => t.includes('sw ')).length >= 120, 'all 120 frames after the restart');
    const sw120 = (await framesIn(panel)).filter((f) => f.text?.startsWith('sw '));
    expect(sw120.filter((f) => f.dir === 'out').map((f) => f.text)).toEqual(Array.from({ length: 60 }, (_, i) => `sw ${i}`));
    expect(sw120.filter((f) => f.dir === 'in').map((f) => f.text)).toEqual(Array.from({ length: 60 }, (_, i) => `sw ${i}`));
    expect((await recording(panel)).filter((r) => !r.frames).length).toBe(pausesBefore);
    expect((await panel.evaluate(() => wsInspector.connections()))[0]!.dropped).toBe(0);
    await panel.close();
  });
});
