/**
 * The panel's link to the inspected tab, through the background router.
 *
 * Subscribes to the tab; for every frame hook the background announces
 * (frame-hello: a new frame, a reload, or a reconnect after the service worker
 * restarted) it attaches with the store's cursors, so the hook sends only what
 * the panel lacks. While connected it pings now and then so the worker is not
 * stopped for idleness under an open panel.
 */
import type { Runtime } from 'webextension-polyfill';
import type { ColumnBatch } from '../protocol/batch';
import { fromWireBatch } from '../protocol/batch-codec';
import { asBackgroundToPanel, asRelayMessage } from '../protocol/guards';
import {
  envelope, PANEL_PORT, type BackgroundToPanel, type Command, type CommandResult, type Cursors, type PanelToBackground, type WirePayload,
} from '../protocol/messages';
import { Store } from '../store/store';
import { FrameData } from './frame-data';
import { ReconnectingPort, type PortStatus } from './reconnecting-port';

/**
 * What the link needs of the panel's store, and all it may do to it: ingest what the hooks sent, fill in
 * a fetched payload, count a refused message, start afresh for a new document, and say what it holds.
 * `Store` is one; tests can pass their own.
 */
export interface LinkSink {
  ingestBatches(items: readonly { frameId: number; hook: string; batch: ColumnBatch }[]): void;
  setPayload(key: string, seq: number, data: string | { b64: string }, truncated: boolean): void;
  noteCaptureError(): void;
  reset(): void;
  dropFrame(frameId: number, keepHook: string): void;
  cursorsFor(frameId: number, hook: string): Cursors;
}

export interface PanelLinkOptions {
  tabId: number;
  store: LinkSink;
  connect: (name: string) => Runtime.Port;
  onStatus?: (s: PortStatus) => void;
  /** keep connections of a frame's previous document when it navigates */
  preserveLog?: () => boolean;
  /** Chrome: a data port straight to a frame's relay (tabs.connect, DATA_PORT), so batches skip the service worker */
  connectFrame?: (frameId: number) => Runtime.Port;
}

interface PendingPayload { resolve: (r: { data?: WirePayload; truncated?: boolean; error?: string }) => void }

const KEEPALIVE_MS = 20_000;
/** How long a command may take before the panel says the page did not answer. */
export const COMMAND_TIMEOUT_MS = 5_000;

export class PanelLink {
  private readonly port: ReconnectingPort<unknown, PanelToBackground>;
  /** frameId → the hook instance last seen in that frame (live, or gone until the next document says hello) and its document's URL */
  private readonly hooks = new Map<number, { hook: string; url: string }>();
  private readonly helloListeners = new Set<(frameId: number, hook: string) => void>();
  private readonly pending = new Map<number, PendingPayload>();
  private readonly commands = new Map<number, (r: CommandResult) => void>();
  private nextReq = 1;
  private keepalive: ReturnType<typeof setInterval> | undefined;
  private readonly data: FrameData;

  constructor(private readonly options: PanelLinkOptions) {
    this.data = new FrameData(options.connectFrame, (frameId, hook, raw) => this.dataBatch(frameId, hook, raw));
    this.port = new ReconnectingPort<unknown, PanelToBackground>({
      name: PANEL_PORT,
      connect: options.connect,
      eager: true,
      onMessage: (m) => this.receive(m),
      onConnect: () => this.port.post(envelope('wsi-panel', { type: 'subscribe', tabId: options.tabId })),
      onStatus: options.onStatus,
    });
  }

  start(): void {
    this.port.reconnect();
    this.keepalive = setInterval(
      () => this.port.post(envelope('wsi-panel', { type: 'subscribe', tabId: this.options.tabId })),
      KEEPALIVE_MS,
    );
  }

  stop(): void {
    clearInterval(this.keepalive);
    this.port.close();
    this.data.close();
  }

  /** The tab's frames and the hook last seen in each (a frame that went stays until its next document says hello). */
  frames(): { frameId: number; hook: string; url: string }[] {
    return [...this.hooks].map(([frameId, h]) => ({ frameId, ...h }));
  }

  /**
   * Hear when a frame's hook says hello (a new frame, a reload, a reconnect after the background restarted):
   * what the panel set in the page (interception) must be set again, since a hook forgets it when it is detached.
   */
  onHello(fn: (frameId: number, hook: string) => void): () => void {
    this.helloListeners.add(fn);
    return () => this.helloListeners.delete(fn);
  }

  /** Ask the page for a frame's full payload (streamed frames carry a preview of large ones). */
  fetchPayload(frameId: number, hook: string, c: string, seq: number): Promise<{ data?: WirePayload; truncated?: boolean; error?: string }> {
    const req = this.nextReq++;
    return new Promise((resolve) => {
      const sent = this.port.post(envelope('wsi-panel', { type: 'fetch-payload', frameId, hook, req, c, seq }));
      if (!sent) { resolve({ error: 'not connected to the page' }); return; }
      const timer = setTimeout(() => {
        if (this.pending.delete(req)) resolve({ error: 'the page did not answer (navigated away?)' });
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(req, { resolve: (r) => { clearTimeout(timer); resolve(r); } });
    });
  }

  /**
   * Act on a socket of the inspected tab (panel → background → relay → hook).
   * Resolves with the hook's answer, or with an error when the page cannot be
   * reached or does not answer in time; never rejects.
   */
  command(frameId: number, hook: string, cmd: Command, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
    const req = this.nextReq++;
    return new Promise((resolve) => {
      const done = (r: CommandResult) => {
        if (!this.commands.delete(req)) return;
        clearTimeout(timer);
        resolve(r);
      };
      this.commands.set(req, done);
      const timer = setTimeout(() => done({
        ok: false, error: { name: 'TimeoutError', message: `the page did not answer within ${timeoutMs / 1000} s (navigated away, or the extension restarted?)` },
      }), timeoutMs);
      const sent = this.port.post(envelope('wsi-panel', { type: 'command', frameId, hook, req, cmd }));
      if (!sent) done({ ok: false, error: { name: 'NetworkError', message: 'not connected to the extension background (reconnecting)' } });
    });
  }

  private receive(raw: unknown): void {
    const m = asBackgroundToPanel(raw);
    // the background checked what it forwards: a message that still fails is a capture failure, counted
    if (!m) { this.options.store.noteCaptureError(); return; }
    switch (m.type) {
      case 'frame-hello': return this.frameHello(m);
      case 'batches': return this.batches(m.items);
      case 'payload': {
        const p = this.pending.get(m.req);
        if (!p) return;
        this.pending.delete(m.req);
        if (m.data !== undefined) this.options.store.setPayload(Store.key(m.frameId, m.c), m.seq, m.data, !!m.truncated);
        p.resolve({ data: m.data, truncated: m.truncated, error: m.error });
        return;
      }
      case 'command-result':
        this.commands.get(m.req)?.(m.result);
        return;
      case 'frame-gone':
        // keep the frame's last hook: a reload says frame-gone before the new document's frame-hello,
        // and that hello must still see a previous document to start afresh (unless the log is preserved)
        return;
    }
  }

  /**
   * Batches of the tab's frames, decoded and taken in at once (one render). A batch that fails to decode is
   * dropped (its rows show as gaps) and counted with the capture errors.
   */
  private batches(items: Extract<BackgroundToPanel, { type: 'batches' }>['items']): void {
    const decoded: { frameId: number; hook: string; batch: ColumnBatch }[] = [];
    for (const it of items) {
      try {
        decoded.push({ frameId: it.frameId, hook: it.hook, batch: fromWireBatch(it.batch) });
      } catch {
        this.options.store.noteCaptureError();
      }
    }
    this.options.store.ingestBatches(decoded);
  }

  /** A batch straight from a frame's relay: checked in full here, as the background checks what it forwards. */
  private dataBatch(frameId: number, hook: string, raw: unknown): void {
    const m = asRelayMessage(raw);
    if (!m || m.type !== 'batch' || m.hook !== hook) { this.options.store.noteCaptureError(); return; }
    this.batches([{ frameId, hook, batch: m.batch }]);
  }

  private frameHello(m: Extract<BackgroundToPanel, { type: 'frame-hello' }>): void {
    const previous = this.hooks.get(m.frameId)?.hook;
    this.hooks.set(m.frameId, { hook: m.hook, url: m.url });
    if (previous && previous !== m.hook && !this.options.preserveLog?.()) {
      // a new document in this frame: like DevTools, start afresh unless the log is preserved
      if (m.frameId === 0) this.options.store.reset();
      else this.options.store.dropFrame(m.frameId, m.hook);
    }
    // the data port first: the relay moves the hook's batches onto it at this attach (data-ports.ts)
    this.data.open(m.frameId, m.hook);
    const cursors = this.options.store.cursorsFor(m.frameId, m.hook);
    this.port.post(envelope('wsi-panel', { type: 'attach', frameId: m.frameId, hook: m.hook, cursors }));
    for (const fn of this.helloListeners) fn(m.frameId, m.hook);
  }
}
