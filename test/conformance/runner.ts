/**
 * Runs every conformance scenario in one browser and returns what each page
 * observed. A scenario is a plain JS file (scenarios/*.js) defining
 * `window.scenario(env)`; the page loads the helpers, any client library, and
 * the scenario as its first scripts — exactly as an app's own scripts would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { TestServer } from '../fixtures/server';
import type { Browser } from '../e2e/harness';

const DIR = resolve(import.meta.dirname, 'scenarios');
const NODE_MODULES = resolve(import.meta.dirname, '../../node_modules');

/** Client libraries, loaded from their own npm packages' browser builds. */
const LIBRARIES: Record<string, string> = {
  socketio: 'socket.io-client/dist/socket.io.min.js',
  'graphql-ws': 'graphql-ws/umd/graphql-ws.min.js',
  reconnecting: 'reconnecting-websocket/dist/reconnecting-websocket-iife.min.js',
  mqtt: 'mqtt/dist/mqtt.min.js',
};

export const SCENARIOS = readdirSync(DIR).filter((f) => f.endsWith('.js') && !f.startsWith('_')).map((f) => f.slice(0, -3)).sort();
export const LIBRARY_SCENARIOS = Object.keys(LIBRARIES);
/**
 * A hostile page (scenarios/_hostile.js): patches every built-in after a first socket echoed (`window.prepare`,
 * during which the suite attaches a panel, so the hook streams while the page spies on it).
 */
export const HOSTILE_SCENARIOS = SCENARIOS.filter((name) => name.startsWith('hostile-'));

export interface Observed {
  /** what the scenario returned (or how it failed) */
  value: unknown;
  /** uncaught errors the page saw */
  pageErrors: string[];
}

/**
 * Response headers of some scenario pages and worker scripts: the policies the workers-csp* and
 * workers-trusted scenarios run under (a worker script's own policy: a worker runs under its script's
 * response's policy, not its creator's).
 */
const PAGE_HEADERS: Record<string, Record<string, string>> = {
  // the page refuses blob: workers: Chrome's deep capture cannot make its blob: worker, the page gets the native one
  'workers-csp': { 'content-security-policy': "default-src 'self' 'unsafe-inline'; connect-src 'self' ws:; worker-src 'self'" },
  // the page allows blob: workers and scripts (Chrome's deep capture can make its blob: workers)
  'workers-csp-blob': { 'content-security-policy': "default-src 'self' 'unsafe-inline' blob:; connect-src 'self' ws:" },
  'workers-trusted': { 'content-security-policy': "require-trusted-types-for 'script'" },
};
const WORKER_HEADERS: Record<string, Record<string, string>> = {
  'csp-own.js': { 'content-security-policy': "connect-src 'none'" },
};

/** Serve the scenario pages and scripts on the test server. */
export function serveScenarios(server: TestServer): void {
  const js = 'text/javascript; charset=utf-8';
  server.file('/c/_lib.js', readFileSync(resolve(DIR, '_lib.js')), js);
  server.file('/c/_hostile.js', readFileSync(resolve(DIR, '_hostile.js')), js);
  for (const [name, path] of Object.entries(LIBRARIES)) server.file(`/c/lib/${name}.js`, readFileSync(resolve(NODE_MODULES, path)), js);
  server.page('/blank-page', '<!doctype html><title>blank</title>');
  // the worker scripts of the workers-* scenarios, and what they load relative to themselves
  for (const f of readdirSync(resolve(DIR, 'workers'))) {
    server.file(`/c/workers/${f}`, readFileSync(resolve(DIR, 'workers', f)), f.endsWith('.js') ? js : 'text/plain; charset=utf-8', WORKER_HEADERS[f]);
  }
  for (const name of SCENARIOS) {
    server.file(`/c/${name}.js`, readFileSync(resolve(DIR, `${name}.js`)), js);
    const library = LIBRARIES[name] ? `<script src="/c/lib/${name}.js"></script>`
      : HOSTILE_SCENARIOS.includes(name) ? '<script src="/c/_hostile.js"></script>' : '';
    server.file(`/c/${name}`, `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title>
<script src="/c/_lib.js"></script>${library}<script src="/c/${name}.js"></script></head><body></body></html>`, 'text/html; charset=utf-8', PAGE_HEADERS[name]);
  }
}

const TIMEOUT_MS = 20_000;

/**
 * The little of a browser the runner needs: a fresh tab that can navigate, evaluate an expression,
 * report the page's uncaught errors, and close. Playwright (Chromium) and Puppeteer (Firefox) both fit;
 * `P` is the driver's own page type, handed to `after`.
 */
export interface ScenarioTab<P> {
  page: P;
  /** resolves once the document loaded */
  goto(url: string): Promise<void>;
  evaluate(expression: string): Promise<unknown>;
  /** uncaught errors the page saw so far (messages) */
  pageErrors: string[];
  close(): Promise<void>;
}
export interface ScenarioHost<P> { newTab(): Promise<ScenarioTab<P>> }

/** The Chromium harness's browser (Playwright) as a scenario host. */
export function playwrightHost(b: Browser): ScenarioHost<Page> {
  return {
    async newTab() {
      const page = await b.context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      return {
        page, pageErrors,
        goto: async (url) => { await page.goto(url); },
        evaluate: (expression) => page.evaluate(expression),
        close: () => page.close(),
      };
    },
  };
}

const hostOf = <P>(b: Browser | ScenarioHost<P>): ScenarioHost<P> =>
  ('newTab' in b ? b : playwrightHost(b)) as ScenarioHost<P>;

/** Run one scenario in a fresh tab; `after` may inspect the page before it closes. */
export async function runScenario(b: Browser, server: TestServer, name: string, run: string,
  after?: (page: Page) => Promise<void>, prepared?: (page: Page) => Promise<void>): Promise<Observed>;
export async function runScenario<P>(b: ScenarioHost<P>, server: TestServer, name: string, run: string,
  after?: (page: P) => Promise<void>, prepared?: (page: P) => Promise<void>): Promise<Observed>;
/**
 * `prepared` runs after the page's `window.prepare(env)` (if it has one) resolved and before its scenario
 * starts (the suite attaches a panel there).
 */
export async function runScenario<P>(b: Browser | ScenarioHost<P>, server: TestServer, name: string, run: string,
  after?: (page: P) => Promise<void>, prepared?: (page: P) => Promise<void>): Promise<Observed> {
  const tab = await hostOf(b).newTab();
  try {
    await tab.goto(`${server.origin}/c/${name}?run=${run}`);
    await tab.evaluate('window.prepare ? window.prepare(window.env) : null');
    await prepared?.(tab.page);
    const value = await tab.evaluate(`Promise.race([
      window.scenario(window.env).catch((e) => ({ scenarioError: lib.error(e) })),
      new Promise((r) => setTimeout(() => r({ timedOut: true }), ${TIMEOUT_MS})),
    ])`);
    await after?.(tab.page);
    return { value, pageErrors: tab.pageErrors };
  } finally {
    await tab.close();
  }
}

export async function runAll<P>(b: Browser | ScenarioHost<P>, server: TestServer, run: string): Promise<Record<string, Observed>> {
  const out: Record<string, Observed> = {};
  for (const name of SCENARIOS) out[name] = await runScenario(hostOf(b), server, name, run);
  return out;
}
