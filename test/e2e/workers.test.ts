/**
 * Deep capture of workers (the user's *Capture workers*, off by default): a dedicated and a module worker
 * the page creates get the capture hook first, and their sockets reach the panel through the page, marked
 * as a worker's, with what the worker script sent and received both ways and its frame URL the worker
 * script's. Off, the workers are the browser's own (nothing of the page hook in them: their sockets never
 * reach the panel without DevTools' network log). That the workers themselves notice nothing (location,
 * relative URLs, module semantics) is the conformance suite's `workers-*` scenarios.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSnapshot } from '../../src/store/automation';
import { startTestServer, type TestServer } from '../fixtures/server';
import { automationIn, launch, newestTabId, openPanel, setCaptureWorkers, until, type Browser } from './harness';
import { expectNoWorkerSockets, expectWorkerSockets, workerSocket } from './worker-checks';

let server: TestServer;
let browser: Browser;

const JS = 'text/javascript; charset=utf-8';
const SOCKET = (from: string) => workerSocket(from, `postMessage('${from}')`);

beforeAll(async () => {
  server = await startTestServer();
  server.file('/wk/classic.js', `importScripts('lib.js');${SOCKET('classic')}`, JS);
  server.file('/wk/lib.js', 'self.lib = true;', JS);
  server.file('/wk/dep.js', "export const dep = 'module';", JS);
  server.file('/wk/module.js', `import { dep } from './dep.js';${SOCKET('module')}`, JS);
  server.page('/wk/page', `<!doctype html><title>workers</title><script>
    window.seen = [];
    window.go = () => {
      for (const [url, options] of [['classic.js'], ['module.js', { type: 'module' }]]) {
        const w = new Worker(url, options);
        w.onmessage = (e) => seen.push(e.data);
        w.onerror = (e) => seen.push('error: ' + e.message);
      }
    };
  </script>`);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Open the page with its panel attached, start both workers, wait for both echoes. */
async function run(): Promise<{ conns: () => Promise<ConnectionSnapshot[]>; close: () => Promise<void>; tab: () => Page }> {
  const tab = await browser.context.newPage();
  await tab.goto(`${server.origin}/wk/page`);
  const panel = await openPanel(browser, await newestTabId(browser));
  await tab.evaluate('go()');
  await until(() => tab.evaluate('seen.length === 2'), 'both workers echoed', 10_000);
  // each worker echoed (neither failed: an error event would be in `seen`)
  expect(await tab.evaluate('seen.sort()')).toEqual(['classic', 'module']);
  return { tab: () => tab, conns: () => automationIn(panel).connections(), close: async () => { await panel.close(); await tab.close(); } };
}

describe('deep capture of workers', () => {
  it("on: each worker's socket is in the panel, marked as a worker's, with its frames both ways", async () => {
    await setCaptureWorkers(browser, true);
    const { conns, close } = await run();
    try {
      await expectWorkerSockets(conns, server, 'wk', ['classic', 'module']);
    } finally {
      await close();
      await setCaptureWorkers(browser, false);
    }
  });

  it('off (the default): the workers are left alone, their sockets are not in the panel', async () => {
    const { conns, close, tab } = await run();
    try {
      await expectNoWorkerSockets(conns, tab());
    } finally {
      await close();
    }
  });
});
