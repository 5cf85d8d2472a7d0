/**
 * `npm start`: launches Chromium with the built extension (dist/chrome) against the local demo server.
 *
 *   with a display:   headful, DevTools open on the demo tab; pick the "WebSocket" tab. Ctrl+C quits.
 *   headless:         (no display, or --headless) opens the panel as a page for the demo tab, prints what
 *                     it captured, saves a screenshot to dist/demo-panel.png and exits (non-zero if empty).
 *
 * Flags: --headless, --port N (demo server port; default: a free one). Env: CHROME_PATH.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import type { ConnectionSnapshot } from '../store/automation';
import { chromiumPath } from './browser';
import { launch, openDemo, panelUrl, sleep } from './extension';
import { connectionsTable, missingPaths } from './report';
import { startDemoServer, type DemoServer } from './server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXT_DIR = join(ROOT, 'dist', 'chrome');
const SCREENSHOT = join(ROOT, 'dist', 'demo-panel.png');
/** Endpoints the demo page connects to (see page.html); a missing one is worth a warning. */
const DEMO_ENDPOINTS = ['/echo', '/ticker', '/binary', '/close', '/drop'];
const EXPECTED_CONNECTIONS = 7; // 6 from the page + 1 from the iframe
/**
 * The panel's machine-access API (src/store/automation.ts). A string, not a function: tsx would
 * inject `__name` helpers into a serialized function, and they do not exist in the page.
 */
const READ_CONNECTIONS = 'JSON.stringify(globalThis.wsInspector ? wsInspector.connections() : null)';

const USAGE = `Usage: npm start -- [--headless] [--port N]
  --headless   run without a window: print the panel's connections, save dist/demo-panel.png, exit
  --port N     port for the demo server (default: any free port)
Env: CHROME_PATH=/path/to/chrome to pick the browser binary.`;

function fail(message: string, code = 1): never {
  console.error(`✗ ${message}`);
  process.exit(code);
}

function parseArgs(argv: string[]): { headless: boolean; port: number } {
  const opts = { headless: false, port: 0 };
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

async function runHeadful(executablePath: string, server: DemoServer): Promise<never> {
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
    if (stopping) return; // we closed it: stop() is already under way
    console.log('\nThe browser was closed.');
    void stop(0);
  });

  const { extId, tabId } = await openDemo(browser, EXT_DIR, server.url);
  console.log(`
✓ Chromium is running with WebSocket Inspector (extension id ${extId}).
  Demo page: ${server.url}

  In the DevTools window docked to the demo tab, pick the "WebSocket" tab
  (it may sit behind the » overflow menu). You should see 7 connections: echo,
  ticker, binary, a server close (4000), a client close (3001), a dropped socket
  (1006) and the iframe's echo socket. Reload the page to start over.`);
  if (tabId !== undefined) console.log(`\n  The panel also works in a tab of its own:\n  ${panelUrl(extId, tabId)}`);
  console.log('\n  Press Ctrl+C to quit.');
  return new Promise<never>(() => {}); // until a signal or the browser closes
}

async function readConnections(panel: Page): Promise<ConnectionSnapshot[] | null> {
  return JSON.parse(String(await panel.evaluate(READ_CONNECTIONS))) as ConnectionSnapshot[] | null;
}

/** What to look at when the panel shows nothing. */
async function explainEmpty(
  browser: Browser,
  pages: { demo: Page; panel: Page },
  found: { api: boolean; tabId: number; panelLog: string },
): Promise<void> {
  const { demo, panel } = pages;
  const text = (page: Page, js: string): Promise<string> => page.evaluate(js).then(String, () => '');
  const panelText = await text(panel, '(document.body ? document.body.innerText : "").replace(/\\s+/g, " ").trim().slice(0, 800)');
  const demoLines = (await text(demo, 'document.getElementById("log") ? document.getElementById("log").textContent : ""')).trim().split('\n');
  const targets = browser.targets().filter((t) => t.url().startsWith('chrome-extension://'));
  console.error('\n✗ The panel shows no connections.');
  console.error(found.api ? '  wsInspector.connections() is empty.' : '  The panel page defines no wsInspector: its script did not run.');
  console.error(`  Panel text: ${panelText || '(empty)'}`);
  if (found.panelLog) console.error(`  Panel console:\n    ${found.panelLog}`);
  console.error(`  Demo page log (first 16 of ${demoLines.length} lines; the page itself worked if sockets opened):`);
  console.error(`    ${demoLines.slice(0, 16).join('\n    ')}`);
  console.error(`  Extension targets: ${targets.map((t) => `${t.type()} ${t.url()}`).join(', ') || 'none'}`);
  console.error(`  Screenshot: ${SCREENSHOT}`);
  console.error(
    `  Likely causes: the page hook did not capture (extension/page), the relay or background did not\n` +
      `  route events for tab ${found.tabId}, or the panel did not attach to tab ${found.tabId}.`,
  );
}

async function runHeadless(executablePath: string, server: DemoServer): Promise<number> {
  const browser = await launch(executablePath, true);
  try {
    const { extId, page: demo, tabId, how } = await openDemo(browser, EXT_DIR, server.url);
    console.log(`✓ extension loaded (id ${extId})`);
    if (tabId === undefined) throw new Error(how);
    console.log(`✓ demo page open in tab ${tabId} (${how}): ${server.url}`);

    const panel = await browser.newPage();
    await panel.setViewport({ width: 1280, height: 800 });
    const panelLog: string[] = [];
    panel.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') panelLog.push(`console.${m.type()}: ${m.text()}`);
    });
    panel.on('pageerror', (e) => panelLog.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
    const url = panelUrl(extId, tabId);
    await panel.goto(url, { waitUntil: 'domcontentloaded' });
    console.log(`✓ panel open: ${url}`);

    // The demo's scripted closes take up to 1.5 s; then allow the panel a few more seconds to catch up.
    await sleep(4000);
    let conns = await readConnections(panel);
    for (let waited = 0; (conns?.length ?? 0) < EXPECTED_CONNECTIONS && waited < 6000; waited += 500) {
      await sleep(500);
      conns = await readConnections(panel);
    }

    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    await panel.screenshot({ path: SCREENSHOT as `${string}.png` });
    const log = panelLog.slice(0, 20).join('\n    ');

    if (!conns?.length) {
      await explainEmpty(browser, { demo, panel }, { api: conns !== null, tabId, panelLog: log });
      return 2;
    }

    console.log(`\nConnections in the panel (${conns.length}):\n`);
    console.log(connectionsTable(conns));
    const missing = missingPaths(conns, DEMO_ENDPOINTS);
    if (missing.length) console.warn(`\n! not seen in the panel: ${missing.join(', ')}`);
    if (conns.length < EXPECTED_CONNECTIONS) {
      console.warn(`! expected ${EXPECTED_CONNECTIONS} connections (6 from the page, 1 from its iframe), saw ${conns.length}`);
    }
    if (log) console.warn(`! panel console:\n    ${log}`);
    console.log(`\n✓ screenshot: ${SCREENSHOT}`);
    return 0;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  let executablePath: string;
  try {
    executablePath = chromiumPath();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (!existsSync(join(EXT_DIR, 'manifest.json'))) {
    fail(`No built extension at ${EXT_DIR} (manifest.json missing). Run \`npm run build\` first.`);
  }
  const hasDisplay = Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
  if (!opts.headless && !hasDisplay) console.log('No display (DISPLAY/WAYLAND_DISPLAY unset): running headless.');

  const server = await startDemoServer({ port: opts.port });
  console.log(`✓ demo server: ${server.url} (WebSockets at ${server.wsUrl})`);
  console.log(`✓ browser: ${executablePath}`);
  if (!opts.headless && hasDisplay) await runHeadful(executablePath, server);

  // A hung browser must not hang `npm start` (or CI) forever.
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
