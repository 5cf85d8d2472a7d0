/**
 * The panel's side of the data ports (data-ports.ts): before it attaches to a
 * frame's hook, the panel opens a port straight to that frame's relay, and the
 * relay's batches come on it instead of through the service worker. The panel
 * is then the boundary those batches cross, so the link checks each one in full
 * (asRelayMessage) before taking it in.
 */
import type { Runtime } from 'webextension-polyfill';

export class FrameData {
  /** frameId → the hook its port was opened for, and the port */
  private readonly ports = new Map<number, { hook: string; port: Runtime.Port }>();

  /**
   * @param connect opens a data port to a frame of the inspected tab (Chrome's `tabs.connect`); without it
   *   every batch takes the background's path
   * @param take a message that came on a frame's data port, for the hook it was opened for
   */
  constructor(
    private readonly connect: ((frameId: number) => Runtime.Port) | undefined,
    private readonly take: (frameId: number, hook: string, raw: unknown) => void,
  ) {}

  /** A data port to this frame's hook, unless one is open; a previous document's is let go. */
  open(frameId: number, hook: string): void {
    if (!this.connect) return;
    const had = this.ports.get(frameId);
    if (had?.hook === hook) return;
    had?.port.disconnect();
    this.ports.delete(frameId);
    let port: Runtime.Port;
    try {
      port = this.connect(frameId);
    } catch {
      return; // no data port: the relay keeps sending through the background
    }
    const entry = { hook, port };
    this.ports.set(frameId, entry);
    port.onMessage.addListener((m: unknown) => this.take(frameId, hook, m));
    port.onDisconnect.addListener(() => { if (this.ports.get(frameId) === entry) this.ports.delete(frameId); });
  }

  close(): void {
    for (const { port } of this.ports.values()) port.disconnect();
    this.ports.clear();
  }
}
