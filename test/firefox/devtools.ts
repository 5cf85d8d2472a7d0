/**
 * Real Firefox DevTools, headless: open the toolbox on a tab, select an extension's panel, and read
 * the panel's document. Uses Firefox internals over WebDriver BiDi's chrome scope (allowed by
 * --remote-allow-system-access): the DevTools loader (`gDevTools.showToolboxForTab`), the toolbox's
 * `toolbox-panel-iframe-<id>` holding the extension page's <browser>, and a frame script in that
 * browser to read the panel page. Internals can move between Firefox versions: keep such tests few;
 * most panel tests run on the panel opened as a page (harness.ts `openPanel`).
 */
import type { FirefoxBrowser } from './harness';

interface BidiConnection { send(method: string, params: object): Promise<{ result: unknown }> }
interface EvalResult { type: 'success' | 'exception'; result?: { type: string; value?: unknown }; exceptionDetails?: { text: string } }

const connection = (b: FirefoxBrowser): BidiConnection => (b.browser as unknown as { connection: BidiConnection }).connection;

/** Evaluate an async expression in the browser window's chrome context; it must resolve to a string. */
export async function chromeEval(b: FirefoxBrowser, expression: string): Promise<string> {
  const conn = connection(b);
  const tree = (await conn.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as { contexts: { context: string; url: string }[] };
  const win = tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!win) throw new Error('no browser window in the chrome scope (is --remote-allow-system-access set?)');
  const r = (await conn.send('script.evaluate', { target: { context: win.context }, awaitPromise: true, expression })).result as EvalResult;
  if (r.type !== 'success') throw new Error(`chrome evaluation failed: ${r.exceptionDetails?.text}`);
  if (r.result?.type !== 'string') throw new Error(`chrome evaluation returned ${r.result?.type}, not a string`);
  return r.result.value as string;
}

/**
 * Open DevTools on the tab showing `pageUrl` and select the extension panel labelled `label`.
 * Resolves with the panel's tool id once its page loaded.
 */
export async function openDevtoolsPanel(b: FirefoxBrowser, pageUrl: string, label: string): Promise<string> {
  return chromeEval(b, `(async () => {
    const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === ${JSON.stringify(pageUrl)});
    if (!tab) throw new Error('no tab shows ' + ${JSON.stringify(pageUrl)});
    gBrowser.selectedTab = tab;
    const toolbox = await gDevTools.showToolboxForTab(tab, { toolId: 'webconsole' });
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    let tool;
    for (let i = 0; i < 200 && !tool; i++) {
      tool = toolbox.getAdditionalTools().find((t) => t.label === ${JSON.stringify(label)});
      if (!tool) await sleep(50);
    }
    if (!tool) throw new Error('no DevTools panel labelled ' + ${JSON.stringify(label)} + ': ' + toolbox.getAdditionalTools().map((t) => t.label));
    await toolbox.selectTool(tool.id);
    const iframe = toolbox.doc.getElementById('toolbox-panel-iframe-' + tool.id);
    for (let i = 0; i < 200; i++) {
      const el = iframe && iframe.contentDocument && iframe.contentDocument.querySelector('browser');
      if (el && el.currentURI && el.currentURI.spec.startsWith('moz-extension://')) {
        window.__wsiPanels = Object.assign(window.__wsiPanels || {}, { [tool.id]: el });
        return tool.id;
      }
      await sleep(50);
    }
    throw new Error('the panel page did not load');
  })()`);
}

/**
 * Evaluate `expression` (synchronous, its value JSON-serialisable) in the page of DevTools panel
 * `toolId`; `win` is that page's window as the page itself sees it, e.g. `win.wsInspector.connections()`.
 */
export async function panelEval<T>(b: FirefoxBrowser, toolId: string, expression: string): Promise<T> {
  const json = await chromeEval(b, `(async () => {
    const el = (window.__wsiPanels || {})[${JSON.stringify(toolId)}];
    if (!el) throw new Error('panel not opened: ' + ${JSON.stringify(toolId)});
    const mm = el.messageManager;
    const name = 'wsi-probe-' + Math.random().toString(36).slice(2);
    const script = 'let out; try { out = { value: JSON.stringify((function (win) { return ('
      + ${JSON.stringify(expression)} + '); })(content.wrappedJSObject)) }; } catch (e) { out = { error: String(e) }; } sendAsyncMessage(' + JSON.stringify(name) + ', out);';
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the panel page did not answer')), 5000);
      mm.addMessageListener(name, function on(m) {
        mm.removeMessageListener(name, on);
        clearTimeout(timer);
        if (m.data.error) reject(new Error(m.data.error)); else resolve(m.data.value ?? 'null');
      });
      mm.loadFrameScript('data:,' + encodeURIComponent(script), false);
    });
  })()`);
  return JSON.parse(json) as T;
}

/** Set a Firefox preference (string) at run time, e.g. devtools.theme. */
export async function setStringPref(b: FirefoxBrowser, name: string, value: string): Promise<void> {
  await chromeEval(b, `(async () => { Services.prefs.setStringPref(${JSON.stringify(name)}, ${JSON.stringify(value)}); return 'ok'; })()`);
}
