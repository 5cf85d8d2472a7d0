/**
 * The background's router: relays (one per frame) and panels, keyed by tab.
 *
 * It holds ports, nothing of record: after the service worker restarts, the
 * panel reconnects and subscribes, the router pings the tab, relays reconnect
 * and say hello, and the panel re-attaches with its cursors. Tab and frame
 * identity come from the browser (port.sender), never from a message.
 *
 * Commands (send, inject, close …) come only from panel ports, for the tab the
 * panel subscribed to. The router gives each one its own request id, so the
 * answer goes back to the panel that asked (and only to it); if the frame's
 * hook is not there, or goes away before answering, the panel is told so.
 */
import type { Runtime } from 'webextension-polyfill';
import { healthBatch } from '../protocol/batch-codec';
import { asPanelMessage, asRelayMessage } from '../protocol/guards';
import {
  envelope, PANEL_PORT, PING, RELAY_PORT,
  type BackgroundToPanel, type BackgroundToRelay, type CommandResult, type FrameBatch, type PanelToBackground,
} from '../protocol/messages';

/** A command on its way to a hook: who asked, under which id. */
interface PendingCommand { panel: Runtime.Port; req: number; frameId: number; hook: string }
interface RelayEntry {
  port: Runtime.Port; hook?: string; url?: string; commands: Map<number, PendingCommand>;
  /** messages of this relay refused by the guards */
  rejected?: number;
}
interface TabRoutes {
  panels: Set<Runtime.Port>;
  relays: Map<number, RelayEntry>;
  /** batches waiting to go to the panels together (see BATCH_GATHER_MS) */
  gathered: FrameBatch[];
  gatherTimer?: ReturnType<typeof setTimeout>;
  /** when batches last went to the panels (performance.now()) */
  sentAt: number;
}

/**
 * The least time between two messages of batches to a tab's panels: a page with thirty iframes streaming
 * a little each would otherwise send the panel hundreds of tiny messages a second, each one ingested on
 * its own. A batch that comes after a quiet while goes at once (no wait added to a busy page's batches,
 * which come every 40 ms or more); those that follow within this time are gathered and go together.
 */
export const BATCH_GATHER_MS = 30;
/** Rows that make a gathered set go out before its time is up. */
const GATHER_ROWS = 5_000;

export interface RouterDeps {
  extensionId: string;
  /** origin of extension pages, e.g. chrome-extension://id/ */
  extensionOrigin: string;
  /** message every frame of a tab (tabs.sendMessage) */
  pingTab: (tabId: number, msg: unknown) => Promise<unknown>;
}

export class Router {
  private readonly tabs = new Map<number, TabRoutes>();
  private nextCommand = 1;

  constructor(private readonly deps: RouterDeps) {}

  onConnect(port: Runtime.Port): void {
    if (port.sender?.id !== this.deps.extensionId) return port.disconnect();
    if (port.name === RELAY_PORT) return this.relayConnected(port);
    if (port.name === PANEL_PORT && port.sender.url?.startsWith(this.deps.extensionOrigin)) return this.panelConnected(port);
    port.disconnect();
  }

  private routes(tabId: number): TabRoutes {
    let r = this.tabs.get(tabId);
    if (!r) this.tabs.set(tabId, (r = { panels: new Set(), relays: new Map(), gathered: [], sentAt: -Infinity }));
    return r;
  }

  private forget(tabId: number): void {
    const r = this.tabs.get(tabId);
    if (!r || r.panels.size || r.relays.size) return;
    clearTimeout(r.gatherTimer);
    this.tabs.delete(tabId);
  }

  /** Everything else goes to the panels after the batches gathered so far, so they see it all in order. */
  private toPanels(r: TabRoutes, msg: BackgroundToPanel): void {
    this.sendGathered(r);
    for (const p of r.panels) safePost(p, msg);
  }

  private gather(r: TabRoutes, item: FrameBatch): void {
    if (!r.panels.size) return;
    r.gathered.push(item);
    let rows = 0;
    for (const g of r.gathered) rows += g.batch.rows;
    if (rows >= GATHER_ROWS) return this.sendGathered(r);
    if (r.gatherTimer !== undefined) return;
    const wait = r.sentAt + BATCH_GATHER_MS - performance.now();
    if (wait <= 0) this.sendGathered(r);
    else r.gatherTimer = setTimeout(() => this.sendGathered(r), wait);
  }

  private sendGathered(r: TabRoutes): void {
    clearTimeout(r.gatherTimer);
    r.gatherTimer = undefined;
    if (!r.gathered.length) return;
    const msg = envelope('wsi-background', { type: 'batches' as const, items: r.gathered });
    r.gathered = [];
    r.sentAt = performance.now();
    for (const p of r.panels) safePost(p, msg);
  }

  private relayConnected(port: Runtime.Port): void {
    const tabId = port.sender?.tab?.id;
    const frameId = port.sender?.frameId;
    if (tabId === undefined || frameId === undefined) return port.disconnect();
    const r = this.routes(tabId);
    const entry: RelayEntry = { port, commands: new Map() };
    const old = r.relays.get(frameId);
    if (old) {
      // a new document replaced the frame's old one (our own disconnect fires no onDisconnect here)
      for (const p of old.commands.values()) answer(p, gone('the page navigated before answering'));
      old.port.disconnect();
    }
    r.relays.set(frameId, entry);

    port.onMessage.addListener((raw: unknown) => {
      const m = asRelayMessage(raw);
      if (!m) {
        // a relay's message that fails the guards is a capture failure: counted and said to the panels, never silent
        entry.rejected = (entry.rejected ?? 0) + 1;
        if (entry.hook !== undefined) this.gather(r, { frameId, hook: entry.hook, batch: healthBatch({ backgroundRejected: entry.rejected }) });
        return;
      }
      if (m.type === 'hello') {
        entry.hook = m.hook;
        entry.url = m.url;
        this.toPanels(r, envelope('wsi-background', { type: 'frame-hello', frameId, hook: m.hook, url: m.url }));
        return;
      }
      if (m.hook !== entry.hook) return;
      if (m.type === 'command-result') {
        const p = entry.commands.get(m.req);
        if (!p) return;
        entry.commands.delete(m.req);
        answer(p, m.result);
      } else if (m.type === 'batch') {
        this.gather(r, { frameId, hook: m.hook, batch: m.batch });
      } else if (m.type === 'payload') {
        const { src: _s, v: _v, type: _t, ...rest } = m;
        this.toPanels(r, envelope('wsi-background', { type: 'payload', frameId, ...rest }));
      }
    });
    port.onDisconnect.addListener(() => {
      if (r.relays.get(frameId) !== entry) return;
      r.relays.delete(frameId);
      for (const p of entry.commands.values()) answer(p, gone('the page went away before answering (navigated or closed)'));
      entry.commands.clear();
      if (entry.hook) this.toPanels(r, envelope('wsi-background', { type: 'frame-gone', frameId, hook: entry.hook }));
      this.forget(tabId);
    });
  }

  private panelConnected(port: Runtime.Port): void {
    let tabId: number | undefined;
    port.onMessage.addListener((raw: unknown) => {
      const m = asPanelMessage(raw);
      if (!m) return;
      if (m.type === 'subscribe') {
        if (tabId === m.tabId) return; // keep-alive
        // one tab per panel port: subscribing to another leaves the first
        if (tabId !== undefined) this.panelLeft(port, tabId);
        tabId = m.tabId;
        const r = this.routes(tabId);
        r.panels.add(port);
        for (const [frameId, e] of r.relays) {
          if (e.hook) safePost(port, envelope('wsi-background', { type: 'frame-hello', frameId, hook: e.hook, url: e.url ?? '' }));
        }
        // relays whose port dropped (service worker restart) reconnect on this
        this.deps.pingTab(tabId, { type: PING }).catch(() => { /* no content script there */ });
        return;
      }
      if (tabId === undefined) return;
      const relay = this.tabs.get(tabId)?.relays.get(m.frameId);
      if (m.type === 'command') return this.command(port, m, relay);
      if (!relay || relay.hook !== m.hook) return;
      const cmd: BackgroundToRelay = m.type === 'attach'
        ? envelope('wsi-background', { type: 'attach', cursors: m.cursors, clone: new ArrayBuffer(0) })
        : envelope('wsi-background', { type: 'fetch-payload', req: m.req, c: m.c, seq: m.seq });
      safePost(relay.port, cmd);
    });
    port.onDisconnect.addListener(() => {
      if (tabId !== undefined) this.panelLeft(port, tabId);
    });
  }

  /** A panel no longer watches this tab (it went, or watches another). */
  private panelLeft(port: Runtime.Port, tabId: number): void {
    const r = this.tabs.get(tabId);
    if (!r || !r.panels.delete(port)) return;
    for (const e of r.relays.values()) for (const [req, p] of e.commands) if (p.panel === port) e.commands.delete(req);
    // nobody watches any more: hooks stop streaming and keep recording into history
    if (!r.panels.size) {
      r.gathered = [];
      for (const e of r.relays.values()) safePost(e.port, envelope('wsi-background', { type: 'detach' }));
    }
    this.forget(tabId);
  }

  /** Forward a panel's command to the frame's relay, or answer at once why it cannot go. */
  private command(panel: Runtime.Port, m: Extract<PanelToBackground, { type: 'command' }>, relay: RelayEntry | undefined): void {
    const p: PendingCommand = { panel, req: m.req, frameId: m.frameId, hook: m.hook };
    if (!relay || relay.hook !== m.hook) return answer(p, gone('the page (frame) that had this socket is gone (navigated or closed)'));
    const req = this.nextCommand++;
    relay.commands.set(req, p);
    safePost(relay.port, envelope('wsi-background', { type: 'command', req, cmd: m.cmd }));
  }
}

function gone(message: string): CommandResult {
  return { ok: false, error: { name: 'NotFoundError', message } };
}

function answer(p: PendingCommand, result: CommandResult): void {
  safePost(p.panel, envelope('wsi-background', { type: 'command-result', frameId: p.frameId, hook: p.hook, req: p.req, result }));
}

function safePost(port: Runtime.Port, msg: unknown): void {
  try { port.postMessage(msg); } catch { /* port closed under us; its onDisconnect cleans up */ }
}
