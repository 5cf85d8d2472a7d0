/**
 * `npm start`: launches Chromium with the built extension (dist/chrome) against the local demo server.
 *
 *   with a display:   headful, DevTools open on the demo tab; pick the "WebSocket" tab. Ctrl+C quits.
 *   headless:         (no display, or --headless) opens the panel as a page for the demo tab, prints what
 *                     it shows, saves a screenshot to dist/demo-panel.png and exits (non-zero if empty).
 *
 * Flags: --headless, --port N (demo server port; default: a free one). Env: CHROME_PATH.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { startDemoServer, type DemoServer } from './server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXT_DIR = join(ROOT, 'dist', 'chrome');
const SCREENSHOT = join(ROOT, 'dist', 'demo-panel.png');
const PANEL_PATH = 'extension/panel/panel.html';
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];
/** Endpoints the demo page connects to (see page.html); used to report what the panel shows. */
const DEMO_ENDPOINTS = ['/echo', '/ticker', '/binary', '/close', '/drop'];
const EXPECTED_CONNECTIONS = 7; // 6 from the page + 1 from the iframe

const USAGE = `Usage: npm start -- [--headless] [--port N]
  --headless   run without a window: print the panel's connections, save dist/demo-panel.png, exit
  --port N     port for the demo server (default: any free port)
Env: CHROME_PATH=/path/to/chrome to pick the browser binary.`;

// ───────────────────────────── setup ─────────────────────────────

interface Options {
  headless: boolean;
  port: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { headless: false, port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--headless') opts.headless = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--port' || arg.startsWith('--port=')) {
      const raw = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--port needs a number 0-65535, got ${raw ?? 'nothing'}`);
      opts.port = n;
    } else fail(`unknown argument ${arg}\n${USAGE}`);
  }
  return opts;
}

function fail(message: string, code = 1): never {
  console.error(`✗ ${message}`);
  process.exit(code);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findBrowser(): string {
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) fail(`CHROME_PATH=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const name of BROWSER_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  fail(
    `No Chromium/Chrome found (looked for ${BROWSER_NAMES.join(', ')} on PATH).\n` +
      `  Debian/Ubuntu: sudo apt-get install -y chromium\n` +
      `  Or point CHROME_PATH at a Chrome/Chromium binary.`,
  );
}

function browserArgs(): string[] {
  const args = [
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox'); // Chromium refuses to start as root otherwise
  return args;
}

// ─────────────────────── extension helpers ───────────────────────

interface TabInfo {
  id?: number;
  url?: string;
  pendingUrl?: string;
  title?: string;
}

async function extensionWorker(browser: Browser, extId: string, timeout: number): Promise<WebWorker> {
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extId}/`),
    { timeout },
  );
  const worker = await target.worker();
  if (!worker) throw new Error('service worker target has no worker');
  return worker;
}

/** All tabs, as the extension sees them: through its service worker, else through one of its pages. */
async function queryTabs(browser: Browser, extId: string): Promise<TabInfo[]> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const worker = await extensionWorker(browser, extId, 5000);
      return await worker.evaluate(() => chrome.tabs.query({}));
    } catch (err) {
      lastError = err; // the worker may have been stopped between lookup and evaluate: retry once
    }
  }
  // Fallback: any extension page can call chrome.tabs too.
  const page = await browser.newPage();
  try {
    await page.goto(`chrome-extension://${extId}/${PANEL_PATH}`, { waitUntil: 'domcontentloaded', timeout: 10_000 });
    return (await page.evaluate('chrome.tabs.query({})')) as TabInfo[];
  } catch (err) {
    throw new Error(`cannot query tabs through the extension: ${String(lastError)}; ${String(err)}`);
  } finally {
    await page.close().catch(() => {});
  }
}

/** The tab id of the demo page: by URL, else the one tab that appeared since `before`. */
async function findDemoTab(
  browser: Browser,
  extId: string,
  demoUrl: string,
  before: Set<number>,
): Promise<{ tabId: number; how: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const tabs = await queryTabs(browser, extId);
    const byUrl = tabs.find((t) => (t.url ?? t.pendingUrl ?? '').startsWith(demoUrl));
    if (byUrl?.id !== undefined) return { tabId: byUrl.id, how: 'matched by URL' };
    // Without the "tabs" permission tab URLs are hidden: take the one tab that appeared since `before`.
    const fresh = tabs.filter(
      (t) => t.id !== undefined && !before.has(t.id) && !(t.url ?? '').startsWith('chrome-extension://'),
    );
    if (fresh.length === 1) return { tabId: fresh[0]!.id!, how: 'the only new tab' };
    if (Date.now() > deadline) {
      throw new Error(`demo tab not found among ${JSON.stringify(tabs.map((t) => ({ id: t.id, url: t.url })))}`);
    }
    await sleep(250);
  }
}

function panelUrl(extId: string, tabId: number): string {
  return `chrome-extension://${extId}/${PANEL_PATH}?tabId=${tabId}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ─────────────────────── reading the panel ───────────────────────

interface PanelSnapshot {
  gridFound: boolean;
  /** Labels of the grids/tables present, for diagnostics. */
  gridsSeen: string[];
  headers: string[];
  rows: string[][];
  ariaRowCount: string | null;
  bodyText: string;
}

/**
 * Runs in the panel page. A string, not a function: tsx/esbuild would inject `__name` helpers into a
 * serialized function, which do not exist in the page. Reads only the accessible structure: the element
 * with role grid (or a table) whose accessible name is "Connections", its role=row rows and their cells.
 */
const READ_PANEL_JS = String.raw`(() => {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const nameOf = (el) => {
    const label = el.getAttribute('aria-label');
    if (label) return norm(label);
    const ids = el.getAttribute('aria-labelledby');
    if (ids) return norm(ids.split(/\s+/).map((id) => { const n = document.getElementById(id); return n ? n.textContent : ''; }).join(' '));
    const cap = el.tagName === 'TABLE' && el.querySelector('caption');
    return cap ? norm(cap.textContent) : '';
  };
  const grids = Array.from(document.querySelectorAll('[role="grid"], [role="treegrid"], [role="table"], table'));
  const grid = grids.find((g) => nameOf(g) === 'Connections');
  const out = { gridFound: !!grid, gridsSeen: grids.map((g) => (g.getAttribute('role') || g.tagName.toLowerCase()) + ' "' + nameOf(g) + '"'),
                headers: [], rows: [], ariaRowCount: grid ? grid.getAttribute('aria-rowcount') : null,
                bodyText: norm(document.body ? document.body.innerText : '').slice(0, 800) };
  if (!grid) return out;
  const CELL = '[role="gridcell"], [role="cell"], [role="columnheader"], [role="rowheader"], td, th';
  const HEADER = '[role="columnheader"], th';
  const rowOf = (el) => el.closest('[role="row"], tr');
  for (const row of grid.querySelectorAll('[role="row"], tr')) {
    if (row.closest('[role="grid"], [role="treegrid"], [role="table"], table') !== grid) continue;
    const cells = Array.from(row.querySelectorAll(CELL)).filter((c) => rowOf(c) === row);
    const texts = cells.map((c) => norm(c.innerText || c.textContent) || norm(c.getAttribute('aria-label')) || norm(c.getAttribute('title')));
    if (cells.length > 0 && cells.every((c) => c.matches(HEADER))) { if (out.headers.length === 0) out.headers = texts; continue; }
    if (cells.length === 0) { const t = norm(row.innerText || row.textContent); if (t) out.rows.push([t]); continue; }
    out.rows.push(texts);
  }
  return out;
})()`;

async function readPanel(page: Page): Promise<PanelSnapshot> {
  return (await page.evaluate(READ_PANEL_JS)) as PanelSnapshot;
}

/** Picks url/state/in/out/close columns by header name when it can; otherwise all columns. */
function summarize(snap: PanelSnapshot): { headers: string[]; rows: string[][] } {
  const wanted: [string, RegExp][] = [
    ['url', /url|endpoint|address|connection/i],
    ['state', /state|status/i],
    ['in', /\bin\b|recv|receiv|incoming|↓/i],
    ['out', /\bout\b|sent|send|outgoing|↑/i],
    ['close', /close|code/i],
  ];
  const picked: number[] = [];
  const names: string[] = [];
  for (const [name, re] of wanted) {
    const idx = snap.headers.findIndex((h, i) => re.test(h) && !picked.includes(i));
    if (idx >= 0) {
      picked.push(idx);
      names.push(snap.headers[idx] || name);
    }
  }
  if (picked.length >= 2) return { headers: names, rows: snap.rows.map((r) => picked.map((i) => r[i] ?? '')) };
  const width = Math.max(0, ...snap.rows.map((r) => r.length));
  const headers = snap.headers.length === width ? snap.headers : Array.from({ length: width }, (_, i) => `col${i + 1}`);
  return { headers, rows: snap.rows };
}

function printTable(headers: string[], rows: string[][]): void {
  const clip = (s: string): string => (s.length > 70 ? `${s.slice(0, 69)}…` : s);
  const all = [headers, ...rows].map((r) => r.map(clip));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(`  ${line(all[0]!)}`);
  console.log(`  ${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const r of all.slice(1)) console.log(`  ${line(r)}`);
}

// ───────────────────────────── modes ─────────────────────────────

async function launch(executablePath: string, headless: boolean): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless,
    devtools: !headless, // --auto-open-devtools-for-tabs
    pipe: true, // required for installExtension (CDP Extensions.loadUnpacked)
    enableExtensions: true,
    args: browserArgs(),
    defaultViewport: headless ? { width: 1280, height: 800 } : null,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** Installs the extension and waits for its service worker. Returns the extension id. */
async function installExtension(browser: Browser): Promise<string> {
  const extId = await browser.installExtension(EXT_DIR);
  await extensionWorker(browser, extId, 10_000).catch(() => {
    console.warn('! the extension service worker did not show up within 10 s; continuing');
  });
  return extId;
}

async function runHeadful(executablePath: string, server: DemoServer): Promise<void> {
  const browser = await launch(executablePath, false);
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      console.log('\nClosing the browser and the demo server…');
      await browser.close().catch(() => {});
      await server.close();
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  browser.once('disconnected', () => {
    if (!stopping) {
      console.log('\nThe browser was closed.');
      void stop(0);
    }
  });

  const initialPages = await browser.pages();
  const extId = await installExtension(browser);
  const tabsBefore = new Set((await queryTabs(browser, extId).catch(() => [])).flatMap((t) => (t.id === undefined ? [] : [t.id])));
  // A new tab after the install, so its DevTools (auto-opened) load the extension's DevTools page.
  const page = await browser.newPage();
  for (const p of initialPages) await p.close().catch(() => {});
  await page.goto(server.url, { waitUntil: 'load' });

  const tabId = await findDemoTab(browser, extId, server.url, tabsBefore).then((r) => r.tabId, () => undefined);
  console.log(`
✓ Chromium is running with WebSocket Inspector (extension id ${extId}).
  Demo page: ${server.url}

  In the DevTools window docked to the demo tab, pick the "WebSocket" tab
  (it may sit behind the » overflow menu). You should see 7 connections: echo,
  ticker, binary, a server close (4000), a client close (3001), a dropped socket
  (1006) and the iframe's echo socket. Reload the page to start over.`);
  if (tabId !== undefined) console.log(`\n  The panel also works in a tab of its own:\n  ${panelUrl(extId, tabId)}`);
  console.log('\n  Press Ctrl+C to quit.');
  await new Promise<never>(() => {}); // until a signal or the browser closes
}

async function runHeadless(executablePath: string, server: DemoServer): Promise<number> {
  const browser = await launch(executablePath, true);
  const panelLog: string[] = [];
  try {
    const initialPages = await browser.pages();
    const extId = await installExtension(browser);
    console.log(`✓ extension loaded (id ${extId})`);
    const before = new Set((await queryTabs(browser, extId).catch(() => [])).flatMap((t) => (t.id === undefined ? [] : [t.id])));

    const demo = await browser.newPage();
    await demo.goto(server.url, { waitUntil: 'load' });
    for (const p of initialPages) await p.close().catch(() => {});
    const { tabId, how } = await findDemoTab(browser, extId, server.url, before);
    console.log(`✓ demo page open in tab ${tabId} (${how}): ${server.url}`);

    const panel = await browser.newPage();
    await panel.setViewport({ width: 1280, height: 800 });
    panel.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') panelLog.push(`console.${m.type()}: ${m.text()}`);
    });
    panel.on('pageerror', (e) => panelLog.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
    const url = panelUrl(extId, tabId);
    await panel.goto(url, { waitUntil: 'domcontentloaded' });
    console.log(`✓ panel open: ${url}`);

    // Let the demo finish its scripted closes (≤ 1.5 s) and the panel render; then read it,
    // polling a little longer if it is still empty.
    await sleep(4000);
    let snap = await readPanel(panel);
    for (let waited = 0; snap.rows.length === 0 && waited < 6000; waited += 500) {
      await sleep(500);
      snap = await readPanel(panel);
    }

    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    await panel.screenshot({ path: SCREENSHOT as `${string}.png` });

    if (snap.rows.length === 0) {
      const demoLog = await demo
        .evaluate('document.getElementById("log") ? document.getElementById("log").textContent : ""')
        .catch(() => '');
      console.error(`\n✗ The panel shows no connections.`);
      console.error(
        snap.gridFound
          ? '  The "Connections" grid is there but has no rows.'
          : `  No grid labelled "Connections" found. Grids/tables seen: ${snap.gridsSeen.join(', ') || 'none'}.`,
      );
      console.error(`  Panel text: ${snap.bodyText || '(empty)'}`);
      if (panelLog.length) console.error(`  Panel console:\n    ${panelLog.slice(0, 20).join('\n    ')}`);
      const demoLines = String(demoLog).trim().split('\n');
      console.error(`  Demo page log (first 16 of ${demoLines.length} lines; the page itself worked if sockets opened):`);
      console.error(`    ${demoLines.slice(0, 16).join('\n    ')}`);
      console.error(`  Extension targets: ${browser.targets().filter((t) => t.url().startsWith('chrome-extension://')).map((t) => `${t.type()} ${t.url()}`).join(', ') || 'none'}`);
      console.error(`  Screenshot: ${SCREENSHOT}`);
      console.error(
        `  Likely causes: the page hook did not capture (extension/page), the relay or background did not\n` +
          `  route events for tab ${tabId}, or the panel did not attach to tab ${tabId}.`,
      );
      return 2;
    }

    const { headers, rows } = summarize(snap);
    console.log(`\nConnections in the panel (${snap.rows.length} row${snap.rows.length === 1 ? '' : 's'}${snap.ariaRowCount ? `, aria-rowcount ${snap.ariaRowCount}` : ''}):\n`);
    printTable(headers, rows);
    const text = snap.rows.map((r) => r.join(' ')).join('\n');
    const missing = DEMO_ENDPOINTS.filter((p) => !text.includes(p));
    if (missing.length) console.warn(`\n! not seen in the panel: ${missing.join(', ')}`);
    if (snap.rows.length < EXPECTED_CONNECTIONS) {
      console.warn(`! expected ${EXPECTED_CONNECTIONS} connections (6 from the page, 1 from its iframe), saw ${snap.rows.length}`);
    }
    if (panelLog.length) console.warn(`! panel console:\n    ${panelLog.slice(0, 20).join('\n    ')}`);
    console.log(`\n✓ screenshot: ${SCREENSHOT}`);
    return 0;
  } finally {
    await browser.close().catch(() => {});
  }
}

// ───────────────────────────── main ─────────────────────────────

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const executablePath = findBrowser();
  if (!existsSync(join(EXT_DIR, 'manifest.json'))) {
    fail(`No built extension at ${EXT_DIR} (manifest.json missing). Run \`npm run build\` first.`);
  }
  const hasDisplay = Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
  const headless = opts.headless || !hasDisplay;
  if (!opts.headless && !hasDisplay) console.log('No display (DISPLAY/WAYLAND_DISPLAY unset): running headless.');

  const server = await startDemoServer({ port: opts.port });
  console.log(`✓ demo server: ${server.url} (WebSockets at ${server.wsUrl})`);
  console.log(`✓ browser: ${executablePath}`);

  if (!headless) {
    await runHeadful(executablePath, server);
    return;
  }

  const watchdog = setTimeout(() => fail('timed out after 90 s', 1), 90_000);
  watchdog.unref();
  let code = 1;
  try {
    code = await runHeadless(executablePath, server);
  } catch (err) {
    console.error(`✗ ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    clearTimeout(watchdog);
    await server.close();
  }
  process.exit(code);
}

await main();
