/**
 * Who opened it, and (opt-in) who sent it: the creation stack of every socket in its Connection details,
 * and with *Call sites* on (the toolbar) the send() call site of each sent frame in its detail — recorded
 * only when the site changes — as the user reads them in the panel (detached: its links are plain text
 * there, DevTools opens them: test/e2e/devtools-sources.test.ts). Off, the frame detail says how to turn it on.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { automationIn, launch, newestTabId, openPanel, scenarioDone, serviceWorker, unnamedControls, until, type Browser } from './harness';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const page = '<!doctype html><title>call sites</title><script src="/app.js"></script>';
const app = (ws: string) => `function connectChat() {
  return new WebSocket(${JSON.stringify(`${ws}/echo?chat`)});
}
function sendHello(s) {
  for (let i = 0; i < 5; i++) s.send('hello ' + i);
}
function sendBye(s) {
  s.send('bye');
}
const chat = connectChat();
let echoes = 0;
chat.onmessage = () => { if (++echoes === 11) window.done = true; };
// the test calls go() once the panel is attached
window.go = function sendAll() { sendHello(chat); sendBye(chat); sendHello(chat); };
window.opened = new Promise((r) => chat.addEventListener('open', r));
`;

async function setCallSites(on: boolean): Promise<void> {
  await (await serviceWorker(browser)).evaluate((v) => chrome.storage.local.set({ captureSendSites: v }), on);
}

async function openChat(): Promise<Page> {
  server.page('/calls', page);
  server.file('/app.js', app(server.wsOrigin), 'text/javascript');
  const tab = await browser.context.newPage();
  await tab.goto(`${server.origin}/calls`);
  // the user's settings reach a page a few ms after it starts; its relay hands them to the hook before a
  // panel can attach, so once the panel lists the socket, the hook has them
  const panel = await openPanel(browser, await newestTabId(browser));
  await until(async () => (await automationIn(panel).connections()).length > 0, 'the socket in the panel');
  await tab.evaluate('window.opened.then(() => go())');
  await scenarioDone(tab);
  return panel;
}

const frameRow = (panel: Page, text: string) =>
  panel.getByRole('grid', { name: 'Frames' }).getByRole('row').filter({ hasText: text }).first();

describe('who opened a socket, and who sent each frame', () => {
  it('shows the creation stack in the Connection details; sends are not traced by default, and the frame says how to', async () => {
    await setCallSites(false);
    const panel = await openChat();
    const auto = automationIn(panel);
    const conn = await until(async () => (await auto.connections()).find((c) => c.framesOut === 11), 'the chat socket');
    expect(conn.stack?.[0]).toMatchObject({ fn: 'connectChat', url: `${server.origin}/app.js`, line: 2 });
    expect(conn.sendSites).toBeUndefined();
    await panel.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/echo?chat' }).click();
    await panel.getByRole('tab', { name: 'Connection' }).click();
    const initiator = panel.getByRole('list', { name: 'Initiator: where the socket was created' });
    expect(await initiator.getByRole('listitem').first().textContent()).toBe('connectChat @ app.js:2:10');
    await frameRow(panel, 'bye').click();
    expect(await panel.getByRole('region', { name: 'Frame detail' }).textContent()).toContain('Where send() was called is recorded when Call sites is on');
    expect(await unnamedControls(panel)).toEqual([]);
    await panel.close();
  });

  it('with Call sites on, each sent frame says where send() was called, one record per change of site', async () => {
    await setCallSites(true);
    const panel = await openChat();
    const auto = automationIn(panel);
    const conn = await until(async () => (await auto.connections()).find((c) => c.framesOut === 11 && c.url.includes('chat')), 'the chat socket');
    // 5 sends from sendHello, 1 from sendBye, 5 from sendHello again: three sites recorded, not eleven
    expect(conn.sendSites?.map((s) => s.stack[0]?.fn)).toEqual(['sendHello', 'sendBye', 'sendHello']);
    expect(conn.sendSites?.[0]?.stack.slice(0, 2)).toMatchObject([
      { fn: 'sendHello', url: `${server.origin}/app.js`, line: 5 }, { fn: 'sendAll', url: `${server.origin}/app.js`, line: 14 },
    ]);
    await frameRow(panel, 'bye').click();
    const sent = panel.getByRole('list', { name: 'Sent from: where send() was called' });
    expect(await sent.getByRole('listitem').first().textContent()).toBe('sendBye @ app.js:8:5');
    await frameRow(panel, 'hello 3').click();
    expect(await sent.getByRole('listitem').first().textContent()).toBe('sendHello @ app.js:5:33');
    // received frames have no call site
    await panel.getByRole('grid', { name: 'Frames' }).getByRole('row').filter({ hasText: 'hello 0' }).last().click();
    expect(await sent.count()).toBe(0);
    await panel.close();
    await setCallSites(false);
  });
});
