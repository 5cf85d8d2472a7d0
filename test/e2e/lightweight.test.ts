/**
 * Lightweight mode (README, "Lightweight mode"): with it on, the page hook records messages only while
 * a WebSocket panel is attached; connections, states and closes always. Where messages were not
 * recorded is shown (lifecycle rows, a note), never silent; the page sees exactly what it sees without
 * the extension; turning the mode off applies to live pages at once.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, serviceWorker, setLightweight, stopServiceWorker, until, type Browser } from './harness';
import { talkPage } from './pages';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;
let page: Page;
let tabId: number;

interface TalkWindow {
  talk(tag: string, n: number): Promise<number>;
  drip(tag: string, ms: number, n?: number): Promise<number>;
  stopDrip(): void;
  sent: { text: string; t: number }[];
}
const talk = (tag: string, n: number) => page.evaluate(([t, k]) => (window as unknown as TalkWindow).talk(t, k), [tag, n] as const);
/** The page sends a message every `ms` ms (`n` of them, or until `stopDrip`); resolves when all their echoes came back. */
const drip = (tag: string, ms: number, n?: number) =>
  page.evaluate(([t, m, k]) => (window as unknown as TalkWindow).drip(t, m, k ?? undefined), [tag, ms, n ?? null] as const);
const stopDrip = () => page.evaluate(() => (window as unknown as TalkWindow).stopDrip());
const sentTimes = (prefix: string) => page.evaluate((p) => (window as unknown as TalkWindow).sent.filter((s) => s.text.startsWith(p)).map((s) => s.t), prefix);
const framesIn = async (panel: Page): Promise<FrameSnapshot[]> => panel.evaluate(() => {
  const c = wsInspector.connections()[0];
  return c ? wsInspector.frames(c.key) : [];
});
const texts = (fs: FrameSnapshot[]) => fs.map((f) => `${f.dir} ${f.text}`);
const recording = (panel: Page) => panel.evaluate(() => wsInspector.connections()[0]?.recording ?? []);

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  await setLightweight(browser, true);
  page = await browser.context.newPage();
  await page.goto(server.page('/lightweight', talkPage(server.wsOrigin)));
  tabId = await newestTabId(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('lightweight mode', () => {
  it('records no message while no panel is open, and every one while a panel is attached; the page sees them all', async () => {
    expect(await talk('before', 5)).toBe(5); // the page sees every echo
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
    expect(await talk('during', 3)).toBe(3);
    await until(async () => (await framesIn(panel)).length >= early + 6, 'the 6 frames while attached');
    const during = (await framesIn(panel)).slice(early);
    expect(during.filter((f) => f.dir === 'out').map((f) => f.text)).toEqual(['during 0', 'during 1', 'during 2']);
    expect(during.filter((f) => f.dir === 'in').map((f) => f.text)).toEqual(['during 0', 'during 1', 'during 2']);

    // the lifecycle rows say where messages were not recorded
    await panel.getByRole('checkbox', { name: 'Lifecycle' }).check();
    await until(() => panel.getByRole('grid', { name: 'Frames' }).getByText(/messages not recorded: no WebSocket panel is open/).count(), 'the paused row');
    expect(await panel.getByRole('grid', { name: 'Frames' }).getByText(/messages recorded again: a WebSocket panel attached/).count()).toBe(1);
    await panel.close();

    // the panel closed: recording stops again once the detach reaches the page. The page talks on from
    // now until a new panel attached, so it talks through the whole pause, whenever the pause comes
    const after = drip('after', 5);
    const again = await openPanel(browser, tabId, '&theme=light');
    await until(async () => (await recording(again)).length >= 4, 'the second pause and resume');
    await stopDrip();
    await after;
    expect((await recording(again)).map((r) => r.frames)).toEqual([false, true, false, true]);
    // nothing recorded between the pause and the resume, though the page sent messages then
    const [, , paused, resumed] = await recording(again);
    expect((await sentTimes('after')).filter((t) => t > paused!.t && t < resumed!.t).length).toBeGreaterThan(0);
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
    expect(await talk('off', 2)).toBe(2);
    const later = await openPanel(browser, tabId, '&theme=light');
    // here a page that already runs hears of the change: strictly nothing is lost from then on
    await until(async () => texts(await framesIn(later)).filter((t) => t.includes('off')).length === 4, 'the messages sent with no panel open');
    expect((await recording(later)).at(-1)?.frames).toBe(true);
    await later.close();
  });

  it('keeps recording through a service-worker restart while the panel is open (it comes back)', async () => {
    await setLightweight(browser, true);
    const panel = await openPanel(browser, tabId, '&theme=light');
    await until(async () => (await recording(panel)).at(-1)?.frames === true, 'recording while attached');
    const pausesBefore = (await recording(panel)).filter((r) => !r.frames).length;
    const dripping = drip('sw', 15, 60);
    await until(async () => texts(await framesIn(panel)).filter((t) => t.includes('sw ')).length >= 10, 'some frames before the restart');
    await stopServiceWorker(browser, page);
    expect(await dripping).toBe(60);
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
