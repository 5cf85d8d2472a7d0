/**
 * A runtime.Port that comes back.
 *
 * An MV3 service worker can be stopped at any moment, which disconnects every
 * port. This wrapper reconnects (waking the worker), re-attaches its listener
 * in the same tick as connect (else the first message can be lost), and calls
 * `onConnect` each time so the owner can re-subscribe.
 */
import type { Runtime } from 'webextension-polyfill';

export type PortStatus = 'connected' | 'reconnecting';

export interface ReconnectingPortOptions<In> {
  name: string;
  connect: (name: string) => Runtime.Port;
  onMessage: (msg: In) => void;
  /** after every (re)connect: subscribe again */
  onConnect: () => void;
  onStatus?: (s: PortStatus) => void;
  /** reconnect at once on disconnect (panel), or wait for `reconnect()` (relay) */
  eager: boolean;
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

export class ReconnectingPort<In, Out> {
  private port: Runtime.Port | null = null;
  private retry = 0;
  private closed = false;

  constructor(private readonly options: ReconnectingPortOptions<In>) {}

  get connected(): boolean {
    return this.port !== null;
  }

  /** Connect if not connected. */
  reconnect(): void {
    if (this.port || this.closed) return;
    let port: Runtime.Port;
    try {
      port = this.options.connect(this.options.name);
    } catch {
      // the extension was reloaded or removed: this context is orphaned for good
      this.closed = true;
      return;
    }
    this.port = port;
    port.onMessage.addListener((m: unknown) => {
      // the other end answered: it works, so the next drop is retried quickly again (connect() itself
      // succeeds even when the other end hangs up at once, which must not retry every 50 ms forever)
      this.retry = 0;
      this.options.onMessage(m as In);
    });
    port.onDisconnect.addListener(() => this.dropped(port));
    this.options.onStatus?.('connected');
    this.options.onConnect();
  }

  post(msg: Out): boolean {
    if (!this.port) return false;
    try {
      this.port.postMessage(msg);
      return true;
    } catch {
      this.dropped(this.port);
      return false;
    }
  }

  /**
   * Let go of the port for now, without reconnecting on our own; `reconnect()` comes back. (A page
   * going into the back/forward cache must not hold an extension port.)
   */
  suspend(): void {
    const p = this.port;
    if (!p) return;
    this.port = null;
    this.options.onStatus?.('reconnecting');
    p.disconnect();
  }

  close(): void {
    this.closed = true;
    const p = this.port;
    this.port = null;
    p?.disconnect();
  }

  private dropped(port: Runtime.Port): void {
    if (this.port !== port) return;
    this.port = null;
    this.options.onStatus?.('reconnecting');
    if (!this.options.eager || this.closed) return;
    const delay = Math.min(50 * 2 ** this.retry++, 1000);
    (this.options.setTimeout ?? setTimeout)(() => this.reconnect(), delay);
  }
}
