/**
 * Lightweight mode in real Firefox (the relay reads storage.local and hears storage.onChanged in a
 * Firefox content script; the hook registers its message listener only while a panel is attached):
 * messages while no panel is open are not recorded, the pause and resume are, every message while
 * attached is, and the page sees every message either way.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { talkPage } from '../e2e/pages';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchFirefox, newestTabId, openPanel, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: FirefoxBrowser;
let page: Page;

interface TalkWindow {
  talk(tag: string, n: number): Promise<number>;
  drip(tag: string, ms: number): Promise<number>;
  stopDrip(): void;
  sent: { text: string; t: number }[];
}
const drip = (tag: string, ms: number) => page.evaluate((t, m) => (window as unknown as TalkWindow).drip(t, m), tag, ms);
const stopDrip = () => page.evaluate(() => (window as unknown as TalkWindow).stopDrip());
const talk = (tag: string, n: number) => page.evaluate((t, k) => (window as unknown as TalkWindow).talk(t, k), tag, n);
const sentTimes = () => page.evaluate(() => (window as unknown as TalkWindow).sent.map((s) => s.t));
const conn = (panel: Page) => panel.evaluate(() => wsInspector.connections()[0] as ConnectionSnapshot | undefined);
const frames = (panel: Page) => panel.evaluate(() => { const c = wsInspector.connections()[0]; return c ? wsInspector.frames(c.key) as FrameSnapshot[] : []; });

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchFirefox();
  // the setting, from an extension page (as the toolbar's checkbox does)
  const blank = await browser.browser.newPage();
  await blank.goto(server.page('/blank', '<!doctype html><title>blank</title>'));
  const settings = await openPanel(browser, await newestTabId(browser));
  await settings.evaluate(() => (globalThis as unknown as { browser: { storage: { local: { set(v: object): Promise<void> } } } })
    .browser.storage.local.set({ captureLightweight: true }));
  await settings.close();
  page = await browser.browser.newPage();
  await page.goto(server.page('/lightweight', talkPage(server.wsOrigin)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: lightweight mode', () => {
  it('records no message while no panel is open; the pause, the resume and every message while attached are recorded', async () => {
    // the page talks from its start until a panel attached: through the pause (the setting reaches a
    // new page a few ms after it starts; until then it records, as by default) and up to the resume
    const before = drip('before', 5);
    const panel = await openPanel(browser, await newestTabId(browser));
    await until(async () => ((await conn(panel))?.recording?.length ?? 0) >= 2, 'paused, then resumed as the panel attached');
    await stopDrip();
    await before;
    const c = (await conn(panel))!;
    expect(c.recording!.map((r) => r.frames)).toEqual([false, true]);
    const [paused, resumed] = c.recording!;
    const sentWhilePaused = (await sentTimes()).filter((t) => t > paused!.t && t < resumed!.t);
    expect(sentWhilePaused.length).toBeGreaterThan(0);
    expect((await frames(panel)).filter((f) => f.t > paused!.t && f.t < resumed!.t)).toEqual([]);

    expect(await talk('during', 2)).toBe(2); // the page sees every echo
    await until(async () => (await frames(panel)).filter((f) => f.text?.startsWith('during')).length === 4, 'the 4 frames while attached');
    const got = (await frames(panel)).filter((f) => f.text?.startsWith('during'));
    expect(got.filter((f) => f.dir === 'out').map((f) => f.text)).toEqual(['during 0', 'during 1']);
    expect(got.filter((f) => f.dir === 'in').map((f) => f.text)).toEqual(['during 0', 'during 1']);
    expect((await conn(panel))!.dropped).toBe(0);
    await panel.close();
  });
});
