/**
 * Deep capture of workers in real Firefox (the user's *Capture workers*, off by default): the background
 * puts the worker hook in front of the worker scripts the page hook names, as they load
 * (webRequest.filterResponseData, src/workers/). A classic and a module worker's sockets reach the panel
 * as a worker's, with their frames both ways, while each worker still runs from its own URL (location,
 * import.meta.url), in strict mode where its script says "use strict", with its line numbers; a worker's
 * own imports and its nested worker are left as they came. Off, nothing of the page hook is in the workers.
 * That the page and its workers notice nothing else is the conformance suite's `workers-*` scenarios
 * (test/firefox/conformance.test.ts runs them with the setting on).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { expectNoWorkerSockets, expectWorkerSockets, workerSocket } from '../e2e/worker-checks';
import { launchFirefox, newestTabId, openPanel, setCaptureWorkers, until, type FirefoxBrowser } from './harness';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
/** resolves to 127.0.0.1, but is not a secure origin (Firefox sends Sec-Fetch-* only to those) */
const PLAIN_HOST = 'wsi.test';
let browser: FirefoxBrowser;

const JS = 'text/javascript; charset=utf-8';
const SOCKET = (from: string) => workerSocket(from, `postMessage({ from: '${from}', ...facts() })`);
// what the worker itself observes: its URL, strictness, a line number, what its imports saw
const FACTS = (url: string) => `function facts() {
  let line; try { null.x; } catch (e) { line = e.lineNumber; }
  return { href: location.href, url: ${url}, strict: (function () { return this === undefined; })(), line, lib: self.lib, nested: self.nested };
}`;

beforeAll(async () => {
  server = await startTestServer();
  // line 1: the directive; the hook goes right after it, on the same line
  server.file('/fw/classic.js', `"use strict";\nimportScripts('lib.js');\n${FACTS('location.href')}\n${SOCKET('classic')}`, JS);
  server.file('/fw/lib.js', "self.lib = typeof __wsiWorker === 'undefined' ? 'plain' : 'leaked';", JS);
  server.file('/fw/dep.js', "export const dep = 'module';", JS);
  server.file('/fw/module.js', `import { dep } from './dep.js';\n${FACTS('import.meta.url')}\n${SOCKET('module')}`, JS);
  // a nested worker (made by a worker) is not the page's: left alone
  server.file('/fw/nested.js', `postMessage('started'); const s = new WebSocket('/echo?nested');
    s.onopen = () => { postMessage('open'); s.send('x'); }; s.onerror = () => postMessage('socket error'); s.onmessage = () => postMessage('echoed');`, JS);
  server.file('/fw/parent.js', `const steps = []; self.steps = steps;
    const n = new Worker('nested.js');
    n.onerror = (e) => steps.push('nested error ' + e.message);
    n.onmessage = (e) => { steps.push(e.data); if (e.data === 'echoed' || e.data === 'socket error') postMessage({ from: 'parent', nested: e.data }); };
    setTimeout(() => postMessage({ from: 'parent-late', steps }), 8000);`, JS);
  server.page('/fw/page', `<!doctype html><title>workers</title><script>
    window.seen = [];
    window.go = () => {
      for (const [url, options] of [['classic.js'], ['module.js', { type: 'module' }], ['parent.js']]) {
        const w = new Worker(url, options);
        w.onmessage = (e) => seen.push(e.data);
        w.onerror = (e) => seen.push({ from: 'error', message: e.message });
      }
    };
  </script>`);
  // a cacheable worker script, made twice, on a host Firefox sends no fetch metadata to (not a secure origin)
  server.file('/fw/cached.js', `"use strict";\n${SOCKET('cached')}\nfunction facts() { return { href: location.href }; }`, JS, { 'cache-control': 'max-age=3600' });
  server.page('/fw/cached', `<!doctype html><title>cached</title><script>
    window.seen = [];
    window.go = () => new Promise((resolve) => {
      const w = new Worker('cached.js');
      w.onmessage = (e) => { seen.push(e.data); resolve(); };
      w.onerror = (e) => { seen.push({ from: 'error', message: e.message }); resolve(); };
    });
  </script>`);
  browser = await launchFirefox({ prefs: { 'network.dns.localDomains': PLAIN_HOST } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Seen { from: string; href?: string; url?: string; strict?: boolean; line?: number; lib?: string; nested?: string }

/** Open the page with its panel attached, start the workers, wait for their answers. */
async function run(): Promise<{ seen: Seen[]; conns: () => Promise<ConnectionSnapshot[]>; tab: Page; close: () => Promise<void> }> {
  const tab = await browser.browser.newPage();
  await tab.goto(`${server.origin}/fw/page`);
  const panel = await openPanel(browser, await newestTabId(browser));
  await tab.evaluate('go()');
  // 30 s: twice in full runs on a loaded VM the nested worker's answer had not come after 10 s (what each
  // step reached is in `parent-late`, posted at 8 s, printed below if it happens again)
  await until(() => tab.evaluate('seen.filter((s) => s.from !== "parent-late").length === 3'), 'all three workers answered', 30_000)
    .catch(async (e: unknown) => {
      const seen = JSON.stringify(await tab.evaluate('seen'));
      await panel.close();
      await tab.close();
      throw new Error(`${String(e)}: ${seen}`);
    });
  const seen = (await tab.evaluate('seen') as Seen[]).filter((x) => x.from !== 'parent-late').sort((a, b) => a.from.localeCompare(b.from));
  return {
    seen, tab, conns: () => panel.evaluate(() => wsInspector.connections() as ConnectionSnapshot[]),
    close: async () => { await panel.close(); await tab.close(); },
  };
}

describe('Firefox: deep capture of workers', () => {
  // Retried once: in about one full run in five (stop 27: 1 of 4, on an idle machine too) the worker that
  // starts a nested worker never ran at all with capture on — no answer, not even its 8 s `parent-late`,
  // no error event. Not understood yet (README, Firefox's deep capture: known problems); the failure prints
  // what each worker said, and a retry must still pass every check below.
  it("on: each worker's socket is in the panel as a worker's, with its frames both ways; the workers run from their own URLs, unchanged", { retry: 1 }, async () => {
    await setCaptureWorkers(browser, true);
    const { seen, conns, close } = await run().catch(async (e: unknown) => { await setCaptureWorkers(browser, false); throw e; });
    try {
      // each worker answered (none failed), and observed what it observes without the extension
      expect(seen).toEqual([
        { from: 'classic', href: `${server.origin}/fw/classic.js`, url: `${server.origin}/fw/classic.js`, strict: true, line: 4, lib: 'plain' },
        { from: 'module', href: `${server.origin}/fw/module.js`, url: `${server.origin}/fw/module.js`, strict: true, line: 3 },
        // the nested worker's first message is its own (a hook in it would have said hello first)
        { from: 'parent', nested: 'echoed' },
      ]);
      await expectWorkerSockets(conns, server, 'fw', ['classic', 'module']);
      expect((await conns()).filter((c) => c.url.includes('nested'))).toEqual([]);
    } finally {
      await close();
      await setCaptureWorkers(browser, false);
    }
  });

  it('on a plain http: site (no fetch metadata: the word comes first) and from the HTTP cache too', async () => {
    await setCaptureWorkers(browser, true);
    const origin = server.origin.replace('127.0.0.1', PLAIN_HOST);
    const tab = await browser.browser.newPage();
    try {
      await tab.goto(`${origin}/fw/cached`);
      const panel = await openPanel(browser, await newestTabId(browser));
      await tab.evaluate('go()');
      await tab.evaluate('go()'); // the second from the cache
      expect(await tab.evaluate('seen')).toEqual([{ from: 'cached', href: `${origin}/fw/cached.js` }, { from: 'cached', href: `${origin}/fw/cached.js` }]);
      const conns = () => panel.evaluate(() => wsInspector.connections() as ConnectionSnapshot[]);
      await until(async () => {
        const all = (await conns()).filter((c) => c.url.includes('from=cached'));
        return all.length === 2 && all.every((c) => c.source === 'worker' && c.framesOut === 2 && c.framesIn === 2);
      }, "both workers' sockets with their frames", 10_000).catch(async (e: unknown) => {
        throw new Error(`${String(e)}: ${JSON.stringify((await conns()).map((c) => [c.url, c.source, c.framesOut, c.framesIn]))}`);
      });
      await panel.close();
    } finally {
      await tab.close();
      await setCaptureWorkers(browser, false);
    }
  });

  it('off (the default): the workers are left alone, their sockets are not in the panel', async () => {
    const { seen, conns, close, tab } = await run();
    try {
      expect(seen.map((s) => [s.from, s.strict, s.line])).toEqual([['classic', true, 4], ['module', true, 3], ['parent', undefined, undefined]]);
      expect(seen.find((s) => s.from === 'parent')?.nested).toBe('echoed');
      await expectNoWorkerSockets(conns, tab);
    } finally {
      await close();
    }
  });
});
