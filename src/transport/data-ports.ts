/**
 * The relay's side of the panel's data ports: where a frame's batches go.
 *
 * In Chrome the panel opens a port straight to each frame's relay (`tabs.connect`,
 * DATA_PORT) so batches skip the service worker's hop — measured on the text
 * flood: page + panel processes 1.87–1.92× → 1.78×, the service worker's
 * 1 µs/frame gone (README Performance). Everything else (hello, attach, commands, payloads)
 * stays on the background's port.
 *
 * Order: batches of one stream must reach the panel in the order they were
 * posted, and two paths can overtake each other. So the relay moves its
 * batches to the data ports only at an attach (the hook starts streaming again
 * from the panel's cursors; anything still on the old path arrives as a
 * duplicate the store ignores), and back to the background's port when the last
 * data port goes.
 */
import type { Runtime } from 'webextension-polyfill';

export class DataPorts {
  private readonly ports = new Set<Runtime.Port>();
  private streaming = false;

  /** A panel's data port: kept until it disconnects. */
  add(port: Runtime.Port): void {
    this.ports.add(port);
    port.onDisconnect.addListener(() => {
      this.ports.delete(port);
      if (!this.ports.size) this.streaming = false;
    });
  }

  /** An attach reached the hook: from now on its batches take the data ports, if there are any. */
  attached(): void {
    this.streaming = this.ports.size > 0;
  }

  /** Post a batch on the data ports; false when it must take the background's port. */
  post(msg: unknown): boolean {
    if (!this.streaming) return false;
    let sent = false;
    for (const p of this.ports) {
      try { p.postMessage(msg); sent = true; } catch { this.ports.delete(p); }
    }
    if (!sent) this.streaming = false;
    return sent;
  }

  /** Let every data port go (the page enters the back/forward cache). */
  close(): void {
    for (const p of this.ports) p.disconnect();
    this.ports.clear();
    this.streaming = false;
  }
}
