/**
 * DevTools' network log as the panel's second source (Chrome, the panel inside DevTools): the sockets the
 * page hooks cannot see — workers', the service worker's, WebSocketStreams — read from
 * `devtools.network.getHAR()` and merged into the store (har-merge.ts), at no cost to the page.
 *
 * Gently: one `getHAR()` at a time, every second while the panel is shown (DevTools rebuilds the whole log
 * for each call, payloads included, so a busy log backs off: the next poll waits at least BACKOFF × the
 * last one's duration), and once more when DevTools says a socket finished (`onRequestFinished`, the one
 * event the log gives for sockets: at their close). Never when off, hidden, or outside DevTools.
 *
 * What it cannot do, it says (`state`): not inside DevTools (a detached panel tab has no DevTools APIs);
 * a DevTools that leaves WebSockets out of its HAR (older versions filtered `ws:` entries: detected when
 * the hook reports sockets opened while watching and the log never lists a WebSocket).
 */
import type { WireEvent } from '../protocol/messages';
import type { Connection } from '../store/model';
import type { Store } from '../store/store';
import type { LogContext } from './classify';
import { workerScriptsOf } from './classify';
import { isWebSocketEntry, type HarEntry } from './har-entry';
import { HarMerger, NETWORK_FRAME, NETWORK_HOOK, firstOfEachWay, type FrameKey, type HookView } from './har-merge';

/** The part of `devtools.network` used (Chrome's callback form). */
export interface DevtoolsNetwork {
  getHAR(callback: (har: { entries?: HarEntry[] }) => void): void;
  onRequestFinished: { addListener(fn: (entry: HarEntry) => void): void; removeListener(fn: (entry: HarEntry) => void): void };
}

/** What the page says about its scripts (read in the extension's isolated world, never the page's). */
export interface PageScripts { serviceWorkers: string[]; windowScripts: string[] }

export type SourceState =
  | { kind: 'off' }
  | { kind: 'unavailable'; why: string }
  | { kind: 'watching'; since: number; sockets: number };

export interface NetworkSourceOptions {
  /** `devtools.network`, or null outside DevTools */
  network: DevtoolsNetwork | null;
  store: Store;
  /** URL prefix of this extension's scripts (the hook's frames in initiator stacks) */
  ownScripts: string;
  pageScripts?: () => Promise<PageScripts>;
  onState: (s: SourceState) => void;
  intervalMs?: number;
  /** the wall clock, epoch ms */
  now?: () => number;
}

const BACKOFF = 20;
const MAX_INTERVAL_MS = 15_000;
/** Polls without a WebSocket in the log while the hook reports sockets opened meanwhile: then it is filtered. */
const FILTERED_AFTER_POLLS = 3;

export class NetworkSource {
  private readonly merger: HarMerger;
  private enabled = false;
  private shown = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private since = 0;
  private emptyPolls = 0;
  private sockets = 0;
  private scripts: PageScripts = { serviceWorkers: [], windowScripts: [] };
  private asking = false;
  /** time the last getHAR() took, ms (exposed for the benchmark) */
  lastPollMs = 0;
  /** total time spent in polls (getHAR and merging), ms */
  busyMs = 0;
  polls = 0;
  private readonly interval: number;
  private readonly now: () => number;

  constructor(private readonly options: NetworkSourceOptions) {
    this.merger = new HarMerger(options.ownScripts);
    this.interval = options.intervalMs ?? 1000;
    this.now = options.now ?? (() => Date.now());
  }

  /** Turn the source on or off (the user's setting). */
  setEnabled(on: boolean): void {
    if (on === this.enabled) return;
    this.enabled = on;
    if (!on) {
      this.stopTimer();
      this.options.network?.onRequestFinished.removeListener(this.onFinished);
      this.options.onState({ kind: 'off' });
      return;
    }
    if (!this.options.network) {
      this.options.onState({ kind: 'unavailable', why: 'not inside DevTools (a detached panel has no network log)' });
      return;
    }
    this.since = this.now();
    this.emptyPolls = 0;
    this.options.network.onRequestFinished.addListener(this.onFinished);
    this.report();
    this.schedule(0);
  }

  /** The panel was shown or hidden in DevTools: polls only while it is shown. */
  setShown(shown: boolean): void {
    if (shown === this.shown) return;
    this.shown = shown;
    if (shown && this.enabled) this.schedule(0);
    else this.stopTimer();
  }

  stop(): void {
    this.setEnabled(false);
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (!this.enabled || !this.shown || !this.options.network || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.poll();
    }, ms);
  }

  private readonly onFinished = (entry: HarEntry): void => {
    if (!this.enabled || !isWebSocketEntry(entry)) return;
    this.apply(this.merger.finished(entry, this.hookView(), this.context(), this.now()));
  };

  private poll(): void {
    if (this.inFlight || !this.options.network) return;
    this.inFlight = true;
    const started = performance.now();
    this.options.network.getHAR((har) => {
      this.inFlight = false;
      const took = performance.now() - started;
      try {
        const entries = Array.isArray(har?.entries) ? har.entries : [];
        if (this.enabled) this.take(entries);
      } catch { /* a log of another shape: nothing merged this time */ }
      this.lastPollMs = took;
      this.busyMs += performance.now() - started;
      this.polls++;
      this.schedule(Math.min(MAX_INTERVAL_MS, Math.max(this.interval, took * BACKOFF)));
    });
  }

  private take(entries: HarEntry[]): void {
    const sockets = entries.filter(isWebSocketEntry);
    this.sockets = sockets.length;
    this.refreshPageScripts(sockets);
    const ctx = this.context(workerScriptsOf(entries));
    this.apply(this.merger.update(entries, this.hookView(), ctx, this.now()));
    this.emptyPolls = sockets.length === 0 && this.hookOpenedSince() ? this.emptyPolls + 1 : 0;
    this.report();
  }

  private apply(r: { events: WireEvent[]; replaced: string[] }): void {
    if (r.replaced.length) this.options.store.remove(r.replaced.map((id) => `${NETWORK_FRAME}/${id}`));
    if (r.events.length) this.options.store.ingest(NETWORK_FRAME, NETWORK_HOOK, r.events);
  }

  private report(): void {
    if (!this.enabled || !this.options.network) return;
    this.options.onState(this.emptyPolls >= FILTERED_AFTER_POLLS
      ? { kind: 'unavailable', why: "this browser's DevTools leaves WebSockets out of its network log export (getHAR)" }
      : { kind: 'watching', since: this.since, sockets: this.sockets });
  }

  /** The hook reported a socket opened while watching (the log must list it, unless it filters WebSockets). */
  private hookOpenedSince(): boolean {
    return this.options.store.order.some((c) => !c.network && !c.imported && c.state !== 'failed' && c.createdAt > this.since + 1000);
  }

  /** Ask the page's isolated world which scripts are its service workers and its own, when an entry could use it. */
  private refreshPageScripts(sockets: HarEntry[]): void {
    if (!this.options.pageScripts || this.asking || sockets.length === 0) return;
    this.asking = true;
    this.options.pageScripts().then((s) => { this.scripts = s; }, () => {}).finally(() => { this.asking = false; });
  }

  private workerScripts: ReadonlySet<string> = new Set();

  private context(workerScripts?: ReadonlySet<string>): LogContext {
    if (workerScripts) this.workerScripts = workerScripts;
    return {
      workerScripts: this.workerScripts,
      serviceWorkerScripts: new Set(this.scripts.serviceWorkers),
      windowScripts: new Set(this.scripts.windowScripts),
      hookInTab: this.options.store.order.some((c) => !c.network && !c.imported),
    };
  }

  private hookView(): HookView {
    const store = this.options.store;
    return {
      connections: store.order,
      firstFrames: (conn: Connection, perWay: number): FrameKey[] => firstOfEachWay(conn.frames.length, (i) => {
        const f = conn.frames.at(i);
        // frames that never crossed the wire (injected, sent on a closed socket) are not in the log
        if (!f || (f.by === 'devtools' && f.dir === 'in') || f.notSent) return undefined;
        const data = f.data === undefined ? '' : typeof f.data === 'string' ? f.data : f.data.b64;
        return { out: f.dir === 'out', binary: f.kind === 'binary', data, partial: f.truncated === true || f.data === undefined };
      }, perWay),
    };
  }
}
