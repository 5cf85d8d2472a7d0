/**
 * One benchmark browser: Debian's Chromium, headless, pinned to a CPU with
 * taskset (A and B run side by side on the same core, so machine noise hits
 * both), driven over plain CDP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, chromiumPath } from '../../src/demo/browser';
import { until } from '../e2e/harness';
import { Cdp } from './cdp';

export interface BenchBrowser {
  cdp: Cdp;
  withExtension: boolean;
  extensionId?: string;
  /** the CDP session of the extension's service worker */
  workerSession?: string;
  /** the browser's process id (its renderers are its children) */
  pid: number;
  /**
   * Open a page in a window of its own and attach to it; returns the CDP session id.
   * Its own window, so it is visible: a background tab is hidden, and a hidden page's
   * timers (the hook flushes on one) are throttled — not what a user with a docked
   * DevTools has. `network`: enable the CDP Network domain first, as an open DevTools does. `initScript`:
   * run in every document of the page before its own scripts.
   */
  open(url: string, opts?: { network?: boolean; initScript?: string }): Promise<{ sessionId: string; targetId: string }>;
  /** the extension's tab id for a target (asks the service worker) */
  tabId(): Promise<number>;
  /** run an expression in the extension's service worker (e.g. to change a setting) */
  inWorker<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export async function launchBench(opts: { extensionDir?: string; cpu?: number }): Promise<BenchBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'wsi-bench-'));
  const args = [
    '--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, ...CHROMIUM_FLAGS,
    ...(opts.extensionDir ? [`--disable-extensions-except=${opts.extensionDir}`, `--load-extension=${opts.extensionDir}`] : ['--disable-extensions']),
    'about:blank',
  ];
  const cmd = opts.cpu === undefined ? chromiumPath() : 'taskset';
  const proc: ChildProcess = spawn(cmd, opts.cpu === undefined ? args : ['-c', String(opts.cpu), chromiumPath(), ...args], { stdio: 'ignore' });
  const portFile = join(profile, 'DevToolsActivePort');
  // the file can be seen half written (browsers launched together on one core): wait for both lines
  const [port, path] = await until(() => {
    const lines = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim().split('\n') : [];
    return lines.length === 2 && lines[1]!.startsWith('/devtools/browser/') ? lines : undefined;
  }, 'DevTools port');
  const cdp = await Cdp.connect(`ws://127.0.0.1:${port}${path}`);

  let extensionId: string | undefined;
  let swSession: string | undefined;
  if (opts.extensionDir) {
    const sw = await until(async () => {
      const { targetInfos } = await cdp.send<{ targetInfos: { type: string; url: string; targetId: string }[] }>('Target.getTargets');
      return targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    }, 'extension service worker');
    extensionId = new URL(sw.url).host;
    swSession = (await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId: sw.targetId, flatten: true })).sessionId;
  }

  return {
    cdp,
    withExtension: !!opts.extensionDir,
    extensionId,
    workerSession: swSession,
    pid: proc.pid!,
    async open(url, o = {}) {
      const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', newWindow: true });
      const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      await cdp.send('Page.enable', {}, sessionId);
      await cdp.send('Performance.enable', {}, sessionId);
      await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true }, sessionId);
      // DevTools' front-end asks for request bodies up to 64 KB eagerly (MAX_EAGER_POST_REQUEST_BODY_LENGTH)
      if (o.network) await cdp.send('Network.enable', { maxPostDataSize: 65_536 }, sessionId);
      if (o.initScript) await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: o.initScript }, sessionId);
      await cdp.send('Page.navigate', { url }, sessionId);
      await until(async () => ((await cdp.evaluate<string>(sessionId, 'location.href !== "about:blank" && document.readyState')) === 'complete' ? true : undefined), 'page load');
      return { sessionId, targetId };
    },
    async tabId() {
      if (!swSession) throw new Error('no extension');
      return cdp.evaluate<number>(swSession, '(async () => Math.max(...(await chrome.tabs.query({})).map((t) => t.id)))()');
    },
    async inWorker<T>(expression: string) {
      if (!swSession) throw new Error('no extension');
      return cdp.evaluate<T>(swSession, expression);
    },
    async close() {
      cdp.close();
      // wait for the process to be gone (its children may still write the profile for a moment), then retry the removal
      const exited = proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      // Chromium's helper processes may still write the profile after the main one is gone: a temp folder
      // left behind must not fail the trial, so try again a little later and let it be
      const remove = () => rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      try { remove(); } catch { setTimeout(() => { try { remove(); } catch { /* left in /tmp */ } }, 2_000).unref(); }
    },
  };
}
