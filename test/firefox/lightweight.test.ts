/**
 * Lightweight mode in real Firefox (the relay reads storage.local and hears storage.onChanged in a
 * Firefox content script; the hook registers its message listener only while a panel is attached):
 * messages while no panel is open are not recorded, the pause and resume are, every message while
 * attached is, and the page sees every message either way.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launchFirefox, newestTabId, openPanel, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: FirefoxBrowser;
let page: Page;

const echoPage = (ws: string) => `<!doctype html><title>lightweight</title><script>
  window.received = 0;
  const sock = new WebSocket(${JSON.stringify(ws)} + '/echo');
  sock.onmessage = () => { window.received++; };
  window.opened = new Promise((r) => { sock.onopen = r; });
  window.talk = async (tag, n) => {
    await window.opened;
    const target = window.received + n;
    for (let i = 0; i < n; i++) sock.send(tag + ' ' + i);
    while (window.received < target) await new Promise((r) => setTimeout(r, 10));
    return window.received;
  };
</script>`;

const talk = (tag: string, n: number) => page.evaluate((t, k) => (window as unknown as { talk: (t: string, n: number) => Promise<number> }).talk(t, k), tag, n);
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
  await page.goto(server.page('/lightweight', echoPage(server.wsOrigin)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: lightweight mode', () => {
  it('records no message while no panel is open; the pause, the resume and every message while attached are recorded', async () => {
    await page.evaluate(() => (window as unknown as { opened: Promise<void> }).opened);
    // the setting reaches a new page a few ms after it starts
    await new Promise((r) => setTimeout(r, 300));
    expect(await talk('before', 4)).toBe(4);
    const panel = await openPanel(browser, await newestTabId(browser));
    await until(async () => ((await conn(panel))?.recording?.length ?? 0) >= 2, 'paused, then resumed as the panel attached');
    const c = (await conn(panel))!;
    expect(c.recording!.map((r) => r.frames)).toEqual([false, true]);
    expect(c.frameCount).toBe(0);
    expect(await talk('during', 2)).toBe(6);
    await until(async () => (await frames(panel)).length === 4, 'the 4 frames while attached');
    const got = await frames(panel);
    expect(got.filter((f) => f.dir === 'out').map((f) => f.text)).toEqual(['during 0', 'during 1']);
    expect(got.filter((f) => f.dir === 'in').map((f) => f.text)).toEqual(['during 0', 'during 1']);
    expect((await conn(panel))!.dropped).toBe(0);
    await panel.close();
  });
});
