/**
 * One side of a side-by-side trial: a browser, the page of a case, and what it
 * costs. Sides:
 *   base        no extension, no DevTools: the denominator of every ratio (A)
 *   closed      the extension, DevTools closed: the hook records into its history (B)
 *   lightweight the extension in lightweight mode, DevTools closed
 *   panel       the extension with the panel open on the page, attached and streaming
 *   rule        as panel, with one interception rule on that matches the page's socket by URL but no message
 *               (the cost of interception being on: every message is tested against the rule, none is touched)
 *   anchor      no extension, the CDP Network domain on for the page: Chrome DevTools' own capture
 *   floor       no extension, a page script that adds one message listener to every socket and reads
 *               `data`: the least any capture that sees received messages can cost (issue 13's "listener floor")
 */
import { launchBench, type BenchBrowser } from './browser';
import { cpuSnapshot, cpuSpent, type CpuSnapshot } from './cpu';
import { startProfiles, type Profiles } from './profile';

export type Side = 'base' | 'closed' | 'lightweight' | 'panel' | 'rule' | 'anchor' | 'floor';
export const SIDES: readonly Side[] = ['closed', 'lightweight', 'panel', 'rule', 'anchor', 'floor'];

/**
 * The floor side's page script: every socket gets one message listener that reads `data` (the string or
 * buffer is made for it, as for a hook) and keeps nothing. Sends cost it nothing: it does not record them.
 */
const LISTENER_FLOOR = `(() => {
  const Native = WebSocket;
  const read = (e) => { void e.data; };
  function WebSocketWithListener(url, protocols) {
    const ws = arguments.length > 1 ? new Native(url, protocols) : new Native(url);
    ws.addEventListener('message', read);
    return ws;
  }
  WebSocketWithListener.prototype = Native.prototype;
  window.WebSocket = WebSocketWithListener;
})();`;

/** The rule of the `rule` side: every socket of the bench server by URL, a payload no message has. */
export const NON_MATCHING_RULE = {
  id: 'bench', name: 'never matches', enabled: true, direction: 'both', url: '127.0.0.1', match: 'zz-no-message-has-this-zz', action: { type: 'drop' },
};

export interface PanelResult {
  events: number; batches: number; p50: number; p99: number; perSecond: number; dropped: number; frames: number; heapMb: number;
  /** the panel's redraws for traffic since it opened, and the ms they took (wsInspector.view()) */
  redraws: number; redrawMs: number;
}

export interface SideResult {
  side: Side;
  /** the page renderer's main thread (CDP ThreadTime): the page, the hook and the relay run there */
  pageMs: number;
  /** the page renderer process (CDP ProcessTime): also its IO thread, which carries the relay's port messages out */
  pageProcMs: number;
  /** the panel page's main thread (CDP ThreadTime on the panel's session): ingest, fold, render */
  panelMs: number;
  /** every renderer process: the page's, the panel's and the service worker's (and idle ones: ~0) */
  renderersMs: number;
  /** the renderers but the page's: the panel page and the service worker with their helper threads */
  extMs: number;
  /** the extension's service worker thread (/proc), which routes every batch */
  swMs: number;
  /** every process of the browser (browser process, network service, GPU, renderers) */
  allMs: number;
  /** the browser process alone (it carries every extension message between the page, the worker and the panel) */
  browserMs: number;
  /** renderer threads by name, ms */
  threads: Record<string, number>;
  wallMs: number;
  page: Record<string, number>;
  panel?: PanelResult;
  heapMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(fn: () => Promise<T | null | undefined>, what: string, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(250);
  }
}

async function times(b: BenchBrowser, sessionId: string): Promise<{ thread: number; process: number; heap: number }> {
  const { metrics } = await b.cdp.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics', {}, sessionId);
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { thread: get('ThreadTime') * 1000, process: get('ProcessTime') * 1000, heap: get('JSHeapUsedSize') / 2 ** 20 };
}

export function launchSide(side: Side, extensionDir: string, cpu?: number): Promise<BenchBrowser> {
  const withExtension = side === 'closed' || side === 'lightweight' || side === 'panel' || side === 'rule';
  return launchBench({ cpu, extensionDir: withExtension ? extensionDir : undefined });
}

/** Open a detached panel on the newest tab, in its own window (visible: it renders as a docked panel does). */
export async function openPanel(b: BenchBrowser): Promise<string> {
  const tabId = await b.tabId();
  const { sessionId } = await b.open(`chrome-extension://${b.extensionId}/extension/panel/panel.html?tabId=${tabId}&theme=light`);
  await waitFor(() => b.cdp.evaluate<boolean>(sessionId, 'typeof wsInspector !== "undefined" && wsInspector.connections().length > 0'), 'panel attached');
  return sessionId;
}

/** What the panel holds: counts, latency, dropped. */
export function panelState(b: BenchBrowser, panelSession: string): Promise<Omit<PanelResult, 'heapMb'>> {
  return b.cdp.evaluate(panelSession, `(() => {
    const st = wsInspector.stats(); const cs = wsInspector.connections(); const v = wsInspector.view();
    return { events: st.events, batches: st.batches, p50: st.latency.p50, p99: st.latency.p99, perSecond: st.perSecond,
      dropped: cs.reduce((n, c) => n + c.dropped, 0), frames: cs.reduce((n, c) => n + c.framesIn + c.framesOut, 0),
      redraws: v ? v.redraws : NaN, redrawMs: v ? v.redrawMs : NaN };
  })()`);
}

/**
 * Open the page (and for the panel side, the panel), ready to start. Returns the
 * measurement, to be started together with the other sides'. `profileWith`: the
 * extension's directory, to profile this side (profile.ts).
 */
export async function prepareSide(b: BenchBrowser, side: Side, url: string, profileWith?: string): Promise<() => Promise<SideResult>> {
  // lightweight mode is read by the page's relay when the page starts
  if (side === 'lightweight') {
    // the worker's extension APIs may not be there the very first moment after launch
    await waitFor(() => b.inWorker<boolean>('typeof chrome !== "undefined" && !!chrome.storage'), 'the service worker\'s chrome.storage');
    await b.inWorker('chrome.storage.local.set({ captureLightweight: true })');
  }
  const { sessionId } = await b.open(url, { network: side === 'anchor', initScript: side === 'floor' ? LISTENER_FLOOR : undefined });
  const panelSession = side === 'panel' || side === 'rule' ? await openPanel(b) : undefined;
  if (panelSession && side === 'rule') {
    const error = await b.cdp.evaluate<string | null>(panelSession, `wsInspector.setRules([${JSON.stringify(NON_MATCHING_RULE)}])`);
    if (error) throw new Error(`the bench rule: ${error}`);
    await waitFor(() => b.cdp.evaluate<boolean>(panelSession, '(() => { const s = wsInspector.interception(); return s.active && s.applied; })()'), 'the rule applied in the page');
  }
  return async () => {
    const profiles: Profiles | undefined = profileWith
      ? await startProfiles(b, profileWith, { [`page (${side})`]: sessionId, panel: panelSession }) : undefined;
    const cpu0: CpuSnapshot = await cpuSnapshot(b.cdp);
    const page0 = await times(b, sessionId);
    const panel0 = panelSession ? await times(b, panelSession) : undefined;
    await b.cdp.evaluate(sessionId, 'window.start()');
    const page = await waitFor(() => b.cdp.evaluate<Record<string, number> | null>(sessionId, 'window.result'), 'case result');
    let panel: PanelResult | undefined;
    let panel1: Awaited<ReturnType<typeof times>> | undefined;
    if (panelSession) {
      // the panel has caught up once it holds every frame of the case (or says it dropped some)
      const s = await waitFor(async () => {
        const st = await panelState(b, panelSession);
        return st.frames + st.dropped >= page.frames! ? st : null;
      }, 'the panel to hold every frame');
      panel1 = await times(b, panelSession);
      panel = { ...s, heapMb: panel1.heap };
    }
    // read after the panel caught up: the page's hook streams its last batches after the page's work ended
    const page1 = await times(b, sessionId);
    const cpu = cpuSpent(cpu0, await cpuSnapshot(b.cdp));
    if (profiles) await profiles.stop(page.frames!);
    return {
      side, pageMs: page1.thread - page0.thread, pageProcMs: page1.process - page0.process,
      panelMs: panel0 && panel1 ? panel1.thread - panel0.thread : 0,
      renderersMs: cpu.renderers, extMs: Math.max(0, cpu.renderers - (page1.process - page0.process)), swMs: cpu.serviceWorker, allMs: cpu.all,
      browserMs: cpu.browser, threads: cpu.threads,
      wallMs: page.ms ?? NaN, page, panel, heapMb: page1.heap,
    };
  };
}
