/**
 * The page can neither read nor bend what DevTools does either: a page that replaces every built-in with a
 * spy that throws unless the page itself is calling (the conformance suite's kit, scenarios/_hostile.js)
 * gets a text and a binary message sent, a text and a binary message injected (binaryType blob) and a server close
 * simulated from the panel. The page sees exactly those, nothing of the extension touches a built-in it
 * patched, and the panel logs each as DevTools'.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, until, type Browser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;
let page: Page;
let panel: Page;
const pageErrors: string[] = [];

/**
 * The page reports in its DOM (read with locators, from Playwright's own isolated world): once armed, an
 * evaluate in the page's world would itself meet the throwing spies.
 */
const hostilePage = (ws: string) => `<!doctype html><html><head><title>hostile page, DevTools acting</title>
<script src="/hostile.js"></script><script>
  const seen = [];
  const show = (id, v) => { document.getElementById(id).textContent = JSON.stringify(v); };
  const ws = new WebSocket(${JSON.stringify(`${ws}/echo?hostile-commands`)});
  ws.binaryType = 'blob';
  // from here on every built-in throws unless the page is calling it
  ws.onopen = () => { hostile.arm({ throwing: true }); hostile.page(() => show('state', 'armed')); };
  ws.onmessage = (e) => hostile.page(() => { seen.push(typeof e.data === 'string' ? e.data : 'blob of ' + e.data.size); show('seen', seen); });
  ws.onclose = (e) => {
    hostile.page(() => { seen.push('close ' + e.code + ' ' + e.reason + ' ' + e.wasClean); show('seen', seen); });
    const calls = hostile.disarm();
    show('calls', calls);
  };
</script></head><body><p id="state"></p><p id="seen">[]</p><p id="calls"></p></body></html>`;

const text = async (l: Locator) => (await l.textContent()) ?? '';
const region = (name: string) => panel.getByRole('region', { name, exact: true });
const composer = () => region('Composer');
const seen = async () => JSON.parse(await text(page.locator('#seen'))) as string[];

async function compose(body: string, button: 'Send' | 'Inject incoming', format: 'Text' | 'Hex' = 'Text'): Promise<void> {
  await composer().getByRole('radio', { name: format, exact: true }).check();
  await composer().getByRole('textbox', { name: 'Message' }).fill(body);
  await composer().getByRole('button', { name: button, exact: true }).click();
}

beforeAll(async () => {
  server = await startTestServer();
  server.file('/hostile.js', readFileSync(resolve(import.meta.dirname, '../conformance/scenarios/_hostile.js')), 'text/javascript');
  browser = await launch();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.page('/hostile-commands', hostilePage(server.wsOrigin)));
  await until(async () => (await text(page.locator('#state'))) === '"armed"', 'the page armed');
  panel = await openPanel(browser, await newestTabId(browser));
  await until(async () => (await panel.evaluate(() => wsInspector.connections())).length === 1, 'the socket in the panel');
  await panel.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: 'hostile-commands' }).click();
  await panel.getByRole('tab', { name: 'Compose', exact: true }).click();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('DevTools acting on a hostile page', () => {
  it('sends, injects text and binary, simulates a server close: the page sees exactly that', async () => {
    await compose('to the server', 'Send');
    await until(async () => (await seen()).includes('to the server'), 'the echo');
    await compose('04 05', 'Send', 'Hex');
    await until(async () => (await seen()).includes('blob of 2'), 'the binary echo');
    await compose('injected', 'Inject incoming');
    await until(async () => (await seen()).includes('injected'), 'the injected text');
    await compose('01 02 03', 'Inject incoming', 'Hex');
    await until(async () => (await seen()).includes('blob of 3'), 'the injected Blob');
    const close = region('Close socket');
    await close.getByRole('spinbutton', { name: 'Close code' }).fill('4001');
    await close.getByRole('textbox', { name: 'Close reason' }).fill('sim');
    await close.getByRole('button', { name: 'Simulate server close' }).click();
    await until(async () => (await text(page.locator('#calls'))) !== '', 'the simulated close');
    expect(await seen()).toEqual(['to the server', 'blob of 2', 'injected', 'blob of 3', 'close 4001 sim true']);
    expect(pageErrors).toEqual([]);
  });

  it('touched none of the built-ins the page patched (every call counted was the page\'s own)', async () => {
    const calls = JSON.parse(await text(page.locator('#calls'))) as Record<string, number>;
    const extensions = Object.keys(calls).filter((k) => k.endsWith('!') || k.includes('wsi-string') || k.includes('(threw)')
      || k.includes('.constructor get') || k.includes('[Symbol.species]') || /^Object\.prototype\.\w+ get on (?!\[object (Object|Array)\])/.test(k));
    expect(extensions).toEqual([]);
    expect(Object.keys(calls).length).toBeGreaterThan(0); // the spies were there: the page's own calls are counted
  });

  it('the panel logged each as DevTools\'', async () => {
    const conn = await until(async () => {
      const [c] = await panel.evaluate(() => wsInspector.connections());
      return c?.close ? c : null;
    }, 'the close in the panel');
    const frames = await panel.evaluate((key) => wsInspector.frames(key), conn!.key);
    expect(frames.filter((f) => f.by === 'devtools').map((f) => `${f.dir} ${f.text ?? f.base64}`)).toEqual(['out to the server', 'out BAU=', 'in injected', 'in AQID']);
    // the echoes too, the binary one read from its Blob
    expect(frames.filter((f) => f.by === undefined).map((f) => `${f.dir} ${f.text ?? f.base64}`)).toEqual(['in to the server', 'in BAU=']);
    expect(conn!.close).toMatchObject({ initiator: 'devtools', simulated: { as: 'server', code: 4001, reason: 'sim', wasClean: true } });
    expect(await text(panel.getByRole('group', { name: 'Totals' }))).not.toContain('capture errors');
  });
});
