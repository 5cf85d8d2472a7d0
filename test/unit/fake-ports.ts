/**
 * Fakes of the browser's message channels, to test the boundaries — page hook, relay, router,
 * ReconnectingPort, PanelLink — in Node, in milliseconds (as apollo-client-devtools tests its rpc over
 * a test adapter that records messages). Each fake keeps what the browser does that our code relies on:
 *
 * - Every message is a task of its own (a setTimeout 0: tests run on fake timers, `useFakeTime()`, and
 *   move time with `settle()`). A listener attached in the same tick as connect() gets the first message; a
 *   message that reaches a port with no listener is lost.
 * - runtime ports carry JSON in Chrome (an ArrayBuffer arrives as `{}`) and structured clones in
 *   Firefox: `new FakeExtension('json' | 'clone')`. Window messages and MessageChannel ports carry
 *   structured clones; a MessagePort holds messages until its `onmessage` is set.
 * - `port.disconnect()` fires onDisconnect on the other end only; posting on a disconnected port
 *   throws. Stopping the service worker disconnects every port to it; the next connect() reaches the
 *   new background.
 * - A page's `postMessage` is trusted (source: the window); a page's `dispatchEvent` is not.
 *
 * Every port end records what it sent and what it received.
 */
import type { Runtime } from 'webextension-polyfill';
import { vi } from 'vitest';
import { takeDataNatives, type Natives } from '../../src/capture/natives';

/** Messages on their way. */
let inFlight = 0;

/** Deliver as the browser does: later, as a task (on the fake timers, a task queued by a task runs 1 ms later). */
function task(fn: () => void): void {
  inFlight++;
  setTimeout(() => {
    inFlight--;
    fn();
  }, 0);
}

/** Fake timers for a test (call in beforeEach; vi.useRealTimers() in afterEach). */
export function useFakeTime(): void {
  vi.useFakeTimers();
  inFlight = 0; // what a failed test left on the previous clock is gone with it
}

/**
 * Move the fake time on by `ms` (timers due run, with the promises they resolve), then on until no
 * message is on its way: what the messages set off has happened.
 */
export async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  for (let hops = 0; inFlight > 0; hops++) {
    if (hops > 10_000) throw new Error('messages still flowing after 10,000 hops: a loop?');
    await vi.advanceTimersByTimeAsync(1);
  }
}

/** The `type` of each message, in order (for "which messages reach which port"). */
export const types = (msgs: readonly unknown[]): string[] => msgs.map((m) => String((m as { type?: unknown }).type));
/** The messages of one type. */
export const ofType = <T = Record<string, unknown>>(msgs: readonly unknown[], type: string): T[] =>
  msgs.filter((m) => (m as { type?: unknown }).type === type) as T[];

/** An extension event (runtime.Port's onMessage, onDisconnect …). */
export class FakeEvent<A extends unknown[]> {
  private listeners: ((...args: A) => void)[] = [];
  addListener(fn: (...args: A) => void): void { this.listeners.push(fn); }
  removeListener(fn: (...args: A) => void): void { this.listeners = this.listeners.filter((f) => f !== fn); }
  hasListener(fn: (...args: A) => void): boolean { return this.listeners.includes(fn); }
  hasListeners(): boolean { return this.listeners.length > 0; }
  emit(...args: A): void { for (const fn of [...this.listeners]) fn(...args); }
}

export type Serialize = 'json' | 'clone';
const copier = (s: Serialize) => (s === 'json'
  ? (m: unknown) => (m === undefined ? undefined : JSON.parse(JSON.stringify(m)) as unknown)
  : (m: unknown) => structuredClone(m));

/** One end of a runtime.Port. */
export class FakePort {
  readonly onMessage = new FakeEvent<[unknown, Runtime.Port]>();
  readonly onDisconnect = new FakeEvent<[Runtime.Port]>();
  /** what this end posted, as the other end gets it */
  readonly sent: unknown[] = [];
  /** what reached this end's listeners */
  readonly received: unknown[] = [];
  other!: FakePort;
  connected = true;

  constructor(readonly name: string, readonly sender: Runtime.MessageSender | undefined, private readonly copy: (m: unknown) => unknown) {}

  /** Both ends of one port: `sender` is what the receiving end (the background) learns of the connecting one. */
  static pair(name: string, sender: Runtime.MessageSender | undefined, serialize: Serialize = 'json'): [client: FakePort, server: FakePort] {
    const copy = copier(serialize);
    const client = new FakePort(name, undefined, copy);
    const server = new FakePort(name, sender, copy);
    client.other = server;
    server.other = client;
    return [client, server];
  }

  get port(): Runtime.Port { return this as unknown as Runtime.Port; }

  postMessage(msg: unknown): void {
    if (!this.connected) throw new Error('Attempting to use a disconnected port object');
    const m = this.copy(msg);
    this.sent.push(m);
    const to = this.other;
    task(() => {
      if (!to.connected) return;
      to.received.push(m);
      to.onMessage.emit(m, to.port);
    });
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    const to = this.other;
    task(() => {
      if (!to.connected) return;
      to.connected = false;
      to.onDisconnect.emit(to.port);
    });
  }
}

/**
 * The extension as the browser runs it: a background (the Router) reached by runtime.connect from
 * content scripts (per tab and frame) and extension pages, and tabs.sendMessage to content scripts.
 */
export class FakeExtension {
  readonly id = 'ext-id';
  readonly origin = 'chrome-extension://ext-id/';
  /** the background's runtime.onConnect listener; null while the service worker is stopped */
  private background: ((port: Runtime.Port) => void) | null = null;
  /** background ends of the open ports */
  private readonly open = new Set<FakePort>();
  /** runtime.onMessage listeners of content scripts, by tab */
  private readonly contentListeners = new Map<number, ((msg: unknown, sender: Runtime.MessageSender) => void)[]>();
  /** every port ever connected: [client end, background end] */
  readonly ports: [FakePort, FakePort][] = [];

  constructor(readonly serialize: Serialize = 'json') {}

  /** The background starts (again): its runtime.onConnect listener. */
  startBackground(onConnect: (port: Runtime.Port) => void): void {
    this.background = onConnect;
  }

  /** Chrome stops the service worker: every port to it drops. */
  stopBackground(): void {
    this.background = null;
    for (const p of this.open) p.disconnect();
    this.open.clear();
  }

  /** runtime.connect as a context with this sender calls it. */
  connector(sender: Runtime.MessageSender): (name: string) => Runtime.Port {
    return (name) => {
      const [client, server] = FakePort.pair(name, sender, this.serialize);
      this.ports.push([client, server]);
      // onConnect fires in the background as a task, before anything the client posts after connect()
      task(() => {
        if (!this.background) {
          server.disconnect(); // nobody to connect to
          return;
        }
        this.open.add(server);
        server.onDisconnect.addListener(() => this.open.delete(server));
        this.background(server.port);
      });
      return client.port;
    };
  }

  /** What a content script in this tab and frame is, to the browser. */
  contentSender(tabId: number, frameId: number, url = `https://page.test/${tabId}/${frameId}`): Runtime.MessageSender {
    return { id: this.id, tab: { id: tabId } as Runtime.MessageSender['tab'], frameId, url };
  }

  /** What an extension page (the panel) is, to the browser. */
  pageSender(path = 'extension/panel/panel.html'): Runtime.MessageSender {
    return { id: this.id, url: this.origin + path };
  }

  /** runtime.onConnect listeners of content scripts, by `${tab}/${frame}` (the frame's current document) */
  private readonly contentConnect = new Map<string, (port: Runtime.Port) => void>();

  /** runtime.onConnect.addListener of the content script in this tab and frame (a new document replaces it). */
  onContentConnect(tabId: number, frameId: number): (fn: (port: Runtime.Port) => void) => void {
    return (fn) => { this.contentConnect.set(`${tabId}/${frameId}`, fn); };
  }

  /** tabs.connect(tabId, { name, frameId }) from an extension page: that frame's content script gets the port, if it listens. */
  tabConnector(sender: Runtime.MessageSender): (tabId: number, frameId: number, name: string) => Runtime.Port {
    return (tabId, frameId, name) => {
      const [client, server] = FakePort.pair(name, sender, this.serialize);
      task(() => {
        const fn = this.contentConnect.get(`${tabId}/${frameId}`);
        if (fn) fn(server.port); else server.disconnect(); // Receiving end does not exist
      });
      return client.port;
    };
  }

  /** runtime.onMessage.addListener of a content script in `tabId`. */
  onContentMessage(tabId: number): (fn: (msg: unknown, sender: Runtime.MessageSender) => void) => void {
    return (fn) => {
      const list = this.contentListeners.get(tabId) ?? [];
      list.push(fn);
      this.contentListeners.set(tabId, list);
    };
  }

  /** tabs.sendMessage from the background: every content script of the tab hears it. */
  sendToTab = (tabId: number, msg: unknown): Promise<unknown> => {
    const listeners = this.contentListeners.get(tabId) ?? [];
    if (!listeners.length) return Promise.reject(new Error('Could not establish connection. Receiving end does not exist.'));
    const m = copier(this.serialize)(msg);
    task(() => { for (const fn of listeners) fn(m, { id: this.id }); });
    return Promise.resolve(undefined);
  };
}

/** What a window 'message' listener gets. */
export interface FakeMessageEvent {
  data: unknown;
  source: unknown;
  ports: FakeMessagePort[];
  isTrusted: boolean;
  stopImmediatePropagation(): void;
}
type WindowListener = (ev: FakeMessageEvent) => void;

/** One port of a MessageChannel: structured clones; messages wait until `onmessage` is set. */
export class FakeMessagePort {
  other!: FakeMessagePort;
  /** what was posted on this port */
  readonly sent: unknown[] = [];
  private handler: ((ev: { data: unknown }) => void) | null = null;
  private waiting: unknown[] = [];

  set onmessage(fn: ((ev: { data: unknown }) => void) | null) {
    this.handler = fn;
    const waiting = this.waiting;
    this.waiting = [];
    for (const m of waiting) task(() => this.handler?.({ data: m }));
  }
  get onmessage(): ((ev: { data: unknown }) => void) | null { return this.handler; }

  /** ArrayBuffers handed over with what was posted (the sender's are detached after) */
  readonly transferred: ArrayBuffer[] = [];

  postMessage(msg: unknown, transfer?: Iterable<unknown>): void {
    // ArrayBuffers in the transfer list are moved as the browser moves them; other items (fake ports) are not
    // transferable here and travel as their clone does
    const buffers = [...(transfer ?? [])].filter((t): t is ArrayBuffer => t instanceof ArrayBuffer);
    const m = structuredClone(msg, { transfer: buffers });
    this.transferred.push(...buffers);
    this.sent.push(m);
    const to = this.other;
    if (to.handler) task(() => to.handler?.({ data: m }));
    else to.waiting.push(m);
  }
}

export class FakeMessageChannel {
  readonly port1 = new FakeMessagePort();
  readonly port2 = new FakeMessagePort();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}

/** A page's window, shared by the page, the hook (MAIN world) and the relay (isolated world). */
export class FakeWindow {
  readonly location: { href: string };
  private listeners: { fn: WindowListener; capture: boolean }[] = [];
  /** every message dispatched on this window, trusted or not */
  readonly messages: FakeMessageEvent[] = [];

  constructor(href = 'https://page.test/') {
    this.location = { href };
  }

  get win(): Window & typeof globalThis { return this as unknown as Window & typeof globalThis; }

  addEventListener(type: string, fn: WindowListener, capture?: boolean | { capture?: boolean }): void {
    if (type !== 'message') return;
    this.listeners.push({ fn, capture: typeof capture === 'object' ? !!capture.capture : !!capture });
  }

  removeEventListener(type: string, fn: WindowListener): void {
    if (type === 'message') this.listeners = this.listeners.filter((l) => l.fn !== fn);
  }

  /** window.postMessage: trusted, from this window, delivered as a task. */
  postMessage(data: unknown, _targetOrigin: string, transfer: Iterable<FakeMessagePort> = []): void {
    const copy = structuredClone(data);
    // any iterable, as the browser takes it (the hook passes its own, not an array)
    const ports = [...transfer];
    task(() => this.dispatch(copy, this, ports, true));
  }

  /** A page script's `dispatchEvent(new MessageEvent('message', …))`: at once, untrusted, any source and ports. */
  dispatchSynthetic(data: unknown, ports: FakeMessagePort[] = [], source: unknown = this): void {
    this.dispatch(data, source, ports, false);
  }

  private dispatch(data: unknown, source: unknown, ports: FakeMessagePort[], isTrusted: boolean): void {
    let stopped = false;
    const ev: FakeMessageEvent = { data, source, ports, isTrusted, stopImmediatePropagation: () => { stopped = true; } };
    this.messages.push(ev);
    // capture listeners on the window run before bubbling ones; each kind in the order added
    const order = [...this.listeners.filter((l) => l.capture), ...this.listeners.filter((l) => !l.capture)];
    for (const l of order) {
      if (stopped) return;
      l.fn(ev);
    }
  }
}

/** The natives the hook's Stream uses (natives.ts): the data ones of this realm, the channel ones on the fakes. */
export function fakeNatives(win: FakeWindow): Natives {
  type Ev = { data?: unknown; source?: unknown; isTrusted?: boolean; stopImmediatePropagation?: () => void };
  return {
    ...takeDataNatives(globalThis),
    MessageChannel: FakeMessageChannel,
    channelPort1: (c: FakeMessageChannel) => c.port1,
    channelPort2: (c: FakeMessageChannel) => c.port2,
    portOnMessage: (p: FakeMessagePort, fn: (e: unknown) => void) => { p.onmessage = fn; },
    addEventListener: (t: FakeWindow, type: string, fn: WindowListener, capture?: boolean) => t.addEventListener(type, fn, capture),
    messageData: (e: Ev) => e.data,
    messageSource: (e: Ev) => e.source,
    eventIsTrusted: (e: Ev) => e.isTrusted === true,
    stopImmediatePropagation: (e: Ev) => e.stopImmediatePropagation?.(),
    postMessage: (data: unknown, origin: string, transfer?: FakeMessagePort[]) => win.postMessage(data, origin, transfer),
    portPostMessage: (port: FakeMessagePort, msg: unknown, transfer?: Iterable<unknown>) => port.postMessage(msg, transfer),
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    now: () => Date.now(), // fake time moves it
    arrayBufferSlice: (b: ArrayBuffer, start: number, end: number) => b.slice(start, end),
  } as unknown as Natives;
}
