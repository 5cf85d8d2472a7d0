/**
 * Every socket of the tab, in real Chrome DevTools: with the WebSocket panel open, a page starts sockets
 * in a dedicated worker, a module worker, its service worker and a WebSocketStream, and one window
 * WebSocket. The panel lists each once, with its frames both ways and what opened it — the worker ones
 * from DevTools' network log (the second source), the window's from the page hook (never twice) — and
 * who created each (the Initiator), whose links open the Sources panel. A detached panel says the
 * network log is not there.
 */
import type { Browser, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { openDevTools, showPanel, showWebSocketPanel, shownPanel } from './devtools-panel';
import { automationIn, launch, launchWithDevtools, newestTabId, openPanel, scenarioDone, unnamedControls, until } from './harness';
import { serveSourcePages } from './source-pages';
import { shotPath } from './shots';

let server: TestServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  server = await startTestServer();
  url = serveSourcePages(server);
  browser = await launchWithDevtools();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const FROM = ['page', 'worker', 'module-worker', 'service-worker', 'stream'] as const;
const fromOf = (c: ConnectionSnapshot) => new URL(c.url).searchParams.get('from') ?? '';

describe('inside Chrome DevTools, with the network log as a second source', () => {
  let page: Page;
  let devtools: Page;
  let panel: Frame;
  let conns: ConnectionSnapshot[];

  beforeAll(async () => {
    page = await browser.newPage();
    await page.goto(url);
    devtools = await openDevTools(page);
    panel = await showWebSocketPanel(devtools);
    await page.evaluate('go()');
    await scenarioDone(page);
    const auto = automationIn(panel);
    let last: ConnectionSnapshot[] = [];
    // every socket with both of its frames each way (the dedicated worker's closed too)
    conns = await until(async () => {
      const all = await auto.connections();
      const ready = FROM.every((f) => all.some((c) => fromOf(c) === f && c.framesOut >= (f === 'page' ? 1 : 2) && c.framesIn >= (f === 'page' ? 1 : 2)));
      const closed = all.some((c) => fromOf(c) === 'worker' && c.state === 3);
      last = all;
      return ready && closed ? all : null;
    }, 'every socket of the tab in the panel', 30_000).catch(async (e: unknown) => {
      const log = await panel.evaluate('wsInspector.networkLog()');
      throw new Error(`${String(e)}: ${JSON.stringify(last.map((c) => [c.url, c.network, c.source, c.state, c.framesOut, c.framesIn]))} ${JSON.stringify(log)}`);
    });
  }, 90_000);

  it('lists each socket once: the window\'s from the hook, the others from the network log, marked with what opened them', () => {
    const byFrom = Object.fromEntries(FROM.map((f) => [f, conns.filter((c) => fromOf(c) === f)]));
    for (const f of FROM) expect(byFrom[f], f).toHaveLength(1);
    const one = (f: (typeof FROM)[number]) => byFrom[f]![0]!;
    expect(one('page')).toMatchObject({ frameId: 0 });
    expect(one('page').network).toBeUndefined();
    expect(one('page').source).toBeUndefined();
    expect(one('worker')).toMatchObject({ network: true, source: 'worker', frameUrl: `${server.origin}/src/worker.js` });
    expect(one('module-worker')).toMatchObject({ network: true, source: 'worker', frameUrl: `${server.origin}/src/module-worker.js` });
    expect(one('service-worker')).toMatchObject({ network: true, source: 'service-worker', frameUrl: `${server.origin}/src/sw.js` });
    expect(one('stream')).toMatchObject({ source: 'stream' });
    // the dedicated worker closed its socket: DevTools said it finished (no close code in its log)
    expect(one('worker')).toMatchObject({ state: 3 });
    expect(one('worker').close).toBeUndefined();
  });

  it('has every frame both ways, text and binary, as the server saw them', async () => {
    const auto = automationIn(panel);
    for (const f of ['worker', 'module-worker', 'service-worker', 'stream'] as const) {
      const c = conns.find((x) => fromOf(x) === f)!;
      const frames = await auto.frames(c.key);
      const out = frames.filter((x) => x.dir === 'out'), inn = frames.filter((x) => x.dir === 'in');
      expect(out.map((x) => x.text ?? x.base64), f).toEqual([`${f === 'stream' ? 'stream' : f} says hi`, 'AQID']);
      expect(inn.map((x) => x.text ?? x.base64), f).toEqual([`${f === 'stream' ? 'stream' : f} says hi`, 'AQID']);
      expect(out.map((x) => x.kind)).toEqual(['text', 'binary']);
    }
    const seen = server.transcripts.filter((t) => t.path.includes('from=worker'));
    expect(seen.flatMap((t) => t.entries.map((e) => (e.binary ? e.data.toString('base64') : e.data.toString())))).toEqual(
      ['worker says hi', 'worker says hi', 'AQID', 'AQID']);
  });

  it('says who opened each (the Initiator), from the page hook and from the network log', () => {
    const page1 = conns.find((c) => fromOf(c) === 'page')!;
    expect(page1.stack?.[0]).toMatchObject({ url: url, fn: 'window.go' });
    expect(page1.stack?.[0]?.line).toBeGreaterThan(0);
    expect(page1.stack?.some((f) => f.url.startsWith('chrome-extension://'))).toBe(false);
    const worker = conns.find((c) => fromOf(c) === 'worker')!;
    expect(worker.stack?.[0]).toMatchObject({ url: `${server.origin}/src/worker.js`, line: 2 });
  });

  it('shows the sources in the list and the details, and a script link opens the Sources panel', async () => {
    const rows = await panel.$$eval('[role=grid][aria-label=Connections] [role=row]', (r) => r.map((x) => x.textContent ?? ''));
    expect(rows.some((r) => r.includes('from=worker') && r.includes('worker (log)'))).toBe(true);
    expect(rows.some((r) => r.includes('from=service-worker') && r.includes('service worker'))).toBe(true);
    expect(rows.some((r) => r.includes('from=stream') && r.includes('stream'))).toBe(true);
    const status = await panel.$eval('[role=status][aria-label="Network log"]', (e) => e.textContent ?? '');
    expect(status).toMatch(/^Network log: on since .*sockets opened before DevTools was opened are not in it/);

    // the worker's connection: what opened it, and the Initiator as a link
    await panel.evaluate(() => {
      const row = [...document.querySelectorAll('[role=grid][aria-label=Connections] [role=row]')].find((r) => r.textContent?.includes('from=module-worker'));
      (row as HTMLElement).click();
    });
    await panel.evaluate(() => (document.querySelector('[role=tab]#tab-connection') as HTMLElement | null)?.click());
    const details = await until(() => panel.evaluate(() => document.querySelector('[aria-label="Connection details"]')?.textContent ?? null), 'connection details');
    expect(details).toContain("a WebSocket in a worker, seen in DevTools' network log");
    expect(details).toContain('module-worker.js');
    expect(await unnamedControls(panel as unknown as Parameters<typeof unnamedControls>[0])).toEqual([]);
    await devtools.screenshot({ path: shotPath('devtools-sources.png', { readme: false }) });
    const link = await panel.$('[aria-label="Initiator: where the socket was created"] button');
    expect(link).not.toBeNull();
    await link!.evaluate((b) => (b as HTMLElement).click());
    await until(async () => (await shownPanel(devtools)) === 'sources', 'the Sources panel shown');
    await showPanel(devtools, 'WebSocket');
  });
});

/** Switch the toolbar's Network log (in the bar, or in the » menu when the bar is narrow). */
async function setNetworkLog(panel: Frame, on: boolean): Promise<void> {
  const inBar = await panel.evaluate((want: boolean) => {
    const box = [...document.querySelectorAll<HTMLLabelElement>('[role=toolbar] label')].find((l) => l.textContent?.trim() === 'Network log')
      ?.querySelector('input');
    if (!box) return false;
    if (box.checked !== want) box.click();
    return true;
  }, on);
  if (!inBar) {
    await panel.evaluate(() => document.querySelector<HTMLElement>('[aria-label="More tools"]')?.click());
    await until(() => panel.evaluate(() => [...document.querySelectorAll('[role=menuitemcheckbox]')].some((i) => i.textContent?.includes('Network log'))),
      'Network log in the » menu');
    await panel.evaluate((want: boolean) => {
      const item = [...document.querySelectorAll<HTMLElement>('[role=menuitemcheckbox]')].find((i) => i.textContent?.includes('Network log'))!;
      if ((item.getAttribute('aria-checked') === 'true') !== want) item.click();
    }, on);
  }
  await until(async () => {
    const log = await panel.evaluate('wsInspector.networkLog()') as { state: { kind: string } } | null;
    return (log?.state.kind === 'off') === !on;
  }, `the network log ${on ? 'on' : 'off'}`);
}

describe('a socket that closed while the panel did not listen to DevTools', () => {
  it('is closed in the panel: DevTools said so once (onRequestFinished) while the network log was off; the log entry says it too', async () => {
    const JS = 'text/javascript; charset=utf-8';
    server.file('/src/short-worker.js', `const s = new WebSocket(${JSON.stringify(`${server.wsOrigin}/echo?from=short-worker`)});
s.onopen = () => s.send('short');
s.onmessage = () => s.close(1000, 'done');
s.onclose = () => postMessage('closed');`, JS);
    const short = server.page('/src/short', `<!doctype html><title>short</title><script>
window.go = () => new Promise((r) => { const w = new Worker('/src/short-worker.js'); w.onmessage = (e) => r(e.data); });
</script>`);
    const page = await browser.newPage();
    try {
      await page.goto(short);
      const devtools = await openDevTools(page);
      // our panel shown first: DevTools is set up and records the workers it attaches to
      const panel = await showWebSocketPanel(devtools);
      const auto = automationIn(panel);
      await until(async () => ((await panel.evaluate('wsInspector.networkLog()')) as { state: { kind: string } } | null)?.state.kind === 'watching', 'the network log watching');
      // off: the panel no longer hears onRequestFinished, the one event DevTools gives for a socket's close
      await setNetworkLog(panel, false);
      expect(await page.evaluate('go()')).toBe('closed');
      await setNetworkLog(panel, true);
      const conn = await until(async () => (await auto.connections()).find((c) => fromOf(c) === 'short-worker' && c.framesIn === 1 && c.state === 3),
        'the short-lived worker socket, closed', 30_000).catch(async (e: unknown) => {
        const all = await auto.connections();
        throw new Error(`${String(e)}: ${JSON.stringify(all.map((c) => [c.url, c.network, c.source, c.state, c.framesOut, c.framesIn]))} ${JSON.stringify(await panel.evaluate('wsInspector.networkLog()'))}`);
      });
      expect(conn).toMatchObject({ network: true, source: 'worker', framesOut: 1 });
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('a detached panel (a tab, outside DevTools)', () => {
  it('says the network log is not available there', async () => {
    const b = await launch();
    try {
      const page = await b.context.newPage();
      await page.goto(url);
      const panel = await openPanel(b, await newestTabId(b));
      const status = panel.getByRole('status', { name: 'Network log' });
      await until(async () => (await status.textContent())?.startsWith('Network log unavailable'), 'the network log status');
      expect(await status.textContent()).toContain('not inside DevTools');
    } finally {
      await b.close();
    }
  });
});
