/**
 * The panel inside real Firefox DevTools (headless): the add-on's devtools page creates the
 * "WebSocket" panel; selected, it takes the inspected tab from `devtools.inspectedWindow.tabId`
 * (its address has no ?tabId), shows the socket the page opened before DevTools was, streams live
 * frames, and follows the DevTools theme (`devtools.panels.themeName` and `onThemeChanged`).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, FrameSnapshot } from '../../src/store/automation';
import { scenarioDone } from '../e2e/harness';
import { startTestServer, type TestServer } from '../fixtures/server';
import { openDevtoolsPanel, panelEval, setStringPref } from './devtools';
import { launchFirefox, until, type FirefoxBrowser } from './harness';

let server: TestServer;
let browser: FirefoxBrowser;
let page: Page;
let url: string;
let panel: string;

const connections = () => panelEval<ConnectionSnapshot[]>(browser, panel, 'win.wsInspector ? win.wsInspector.connections() : []');
const frames = (key: string) => panelEval<FrameSnapshot[]>(browser, panel, `win.wsInspector.frames(${JSON.stringify(key)})`);

beforeAll(async () => {
  server = await startTestServer();
  url = server.page('/devtools', `<!doctype html><title>devtools</title><script>
  window.ws = new WebSocket(${JSON.stringify(server.wsOrigin + '/echo')});
  ws.onopen = () => ws.send('before devtools');
  ws.onmessage = () => { window.done = true; };
</script>`);
  browser = await launchFirefox({ prefs: { 'devtools.theme': 'dark' } });
  page = await browser.browser.newPage();
  await page.goto(url);
  await scenarioDone(page);
  // DevTools opens only now
  panel = await openDevtoolsPanel(browser, url, 'WebSocket');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Firefox: the panel in real DevTools', () => {
  it('takes the inspected tab from DevTools and shows the socket opened before DevTools was', async () => {
    expect(await panelEval<string>(browser, panel, 'win.location.search')).toBe('');
    const [conn] = await until(async () => { const c = await connections(); return c.length ? c : null; }, 'the socket in the DevTools panel');
    expect(conn).toMatchObject({ url: `${server.wsOrigin}/echo`, frameId: 0, state: 1, dropped: 0 });
    expect((await frames(conn!.key)).map((f) => [f.dir, f.text])).toEqual([['out', 'before devtools'], ['in', 'before devtools']]);
  });

  it('says who opened the socket: the page\'s own script first, none of the hook\'s frames (Firefox names them <anonymous code>)', async () => {
    const [conn] = await connections();
    expect(conn!.stack?.length).toBeGreaterThan(0);
    expect(conn!.stack![0]!.url).toBe(url);
    expect(conn!.stack!.filter((f) => f.url === '<anonymous code>' || f.url.startsWith('moz-extension:'))).toEqual([]);
  });

  it('streams frames sent while it is open', async () => {
    await page.evaluate(() => (window as unknown as { ws: WebSocket }).ws.send('after devtools ✓'));
    const [conn] = await connections();
    const live = await until(async () => {
      const f = await frames(conn!.key);
      return f.length === 4 ? f : null;
    }, 'live frames in the DevTools panel');
    expect(live.slice(2).map((f) => [f.dir, f.text, f.size])).toEqual([
      ['out', 'after devtools ✓', Buffer.byteLength('after devtools ✓')], ['in', 'after devtools ✓', Buffer.byteLength('after devtools ✓')]]);
  });

  it('follows the DevTools theme, also when it changes', async () => {
    expect(await panelEval<string>(browser, panel, 'win.document.body.className')).toBe('theme-dark');
    await setStringPref(browser, 'devtools.theme', 'light');
    await until(async () => (await panelEval<string>(browser, panel, 'win.document.body.className')) === 'theme-light', 'light theme');
    await setStringPref(browser, 'devtools.theme', 'dark');
    await until(async () => (await panelEval<string>(browser, panel, 'win.document.body.className')) === 'theme-dark', 'dark theme again');
  });

  it('renders the connection in its list', async () => {
    const text = await panelEval<string>(browser, panel, 'win.document.body.innerText');
    expect(text).toContain(`${server.wsOrigin}/echo`);
  });

  it('loads the decoders in Firefox: a JSON socket gets the Decoded column, and filters match decoded fields', async () => {
    await page.evaluate(() => {
      const ws2 = new WebSocket((window as unknown as { ws: WebSocket }).ws.url);
      ws2.onopen = () => { ws2.send('{"type":"greet","id":7}'); ws2.send('{"type":"bye","id":8}'); };
    });
    await until(async () => (await connections()).some((c) => c.frameCount === 4), 'the JSON socket\'s 4 frames');
    const cells = () => panelEval<string[]>(browser, panel, `(() => {
      const grid = win.document.querySelector('[role=grid][aria-label="Frames"]');
      const heads = [...grid.querySelectorAll('[role=columnheader]')].map((h) => h.textContent);
      const col = heads.indexOf('Decoded');
      if (col < 0) return [];
      return [...grid.querySelectorAll('.grid-body [role=row]')].map((r) => r.querySelectorAll('[role=gridcell]')[col].textContent);
    })()`);
    await until(async () => (await cells()).some((c) => c.startsWith('JSON type="greet"')), 'a decoded JSON summary in the grid');
    await panelEval(browser, panel, `(() => {
      const input = win.document.querySelector('input[aria-label="Filter"]');
      input.value = 'type:"greet"';
      input.dispatchEvent(new win.Event('input', { bubbles: true }));
    })()`);
    await until(async () => {
      const v = await panelEval<{ query: string; filtering: boolean; matched: number } | null>(browser, panel, 'win.wsInspector.view()');
      return v?.query === 'type:"greet"' && !v.filtering ? v : null;
    }, 'the field filter applied');
    expect(await cells()).toEqual(['JSON type="greet" {type, id}', 'JSON type="greet" {type, id}']);
  });

  it('acts through its UI in Firefox DevTools: the composer sends on the page\'s socket, the server gets it, the panel logs it as DevTools', async () => {
    const click = (selector: string) => panelEval(browser, panel, `win.document.querySelector(${JSON.stringify(selector)}).click()`);
    // the first connection (the echo socket from before DevTools), picked in the list
    await click('[role=grid][aria-label="Connections"] .grid-body [role=row]');
    // the composer is on the side pane's Compose tab
    await panelEval(browser, panel, `[...win.document.querySelectorAll('[role=tab]')].find((t) => t.textContent === 'Compose').click()`);
    expect(await panelEval<string>(browser, panel, `win.document.querySelector('[role=tab][aria-selected=true]').textContent`)).toBe('Compose');
    await until(() => panelEval<boolean>(browser, panel, `!!win.document.querySelector('textarea[aria-label="Message"]')`), 'the composer');
    await panelEval(browser, panel, `(() => {
      const box = win.document.querySelector('textarea[aria-label="Message"]');
      // ASCII: the harness's chrome-scope eval does not carry non-Latin-1 source text intact
      box.value = 'from the Firefox composer';
      box.dispatchEvent(new win.Event('input', { bubbles: true }));
    })()`);
    const buttons = await panelEval<string[]>(browser, panel, `[...win.document.querySelectorAll('button')].map((b) => b.textContent)`);
    expect(buttons).toContain('Send');
    await panelEval(browser, panel, `[...win.document.querySelectorAll('button')].find((b) => b.textContent === 'Send').click()`);
    await until(() => server.transcripts.some((t) => t.path === '/echo' && t.entries.some((e) => e.dir === 'in' && e.data.toString('utf8') === 'from the Firefox composer')), 'the server received it');
    const [conn] = await connections();
    const sent = await until(async () => (await frames(conn!.key)).find((f) => f.dir === 'out' && f.text === 'from the Firefox composer'), 'logged in the panel');
    expect(sent.by).toBe('devtools');
    expect(await panelEval<string>(browser, panel, `win.document.querySelector('[aria-label="Composer result"]').textContent`)).toMatch(/Sent/);
  });
});
