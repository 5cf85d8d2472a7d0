/**
 * The capture hook inside a deep-captured worker (workers.ts made it from a blob: script that runs this
 * first, then the page's worker script). It gives the worker its script's real URL back (location, relative
 * URLs: worker-urls.ts, worker-location.ts), then installs capture as in a window, except that its
 * channel goes to the page hook, through the port the page hook posts as the worker's first message —
 * taken here, before any listener of the page's script (registered later) can see it.
 */
import { installCapture } from './install';
import { takeNatives } from './natives';
import { fixWorkerLocation } from './worker-location';
import { fixWorkerUrls } from './worker-urls';
import { WORKER_BOOT } from './workers';

export interface WorkerBoot {
  /** the page's worker script, absolute */
  url: string;
  /** the page hook's id: this worker's connections are its own */
  hook: string;
  /** this worker's first connection number */
  base: number;
}

export function bootWorker(self: typeof globalThis, config: WorkerBoot): void {
  try {
    const n = takeNatives(self);
    const urls = fixWorkerUrls(self, n, config.url);
    const location = fixWorkerLocation(self, n, config.url);
    const portsGetter = n.getOwnPropertyDescriptor(n.MessageEvent.prototype, 'ports')?.get;
    let port: MessagePort | undefined;
    let waiting: { data: unknown; transfer: Transferable[] } | undefined;
    const post = (data: unknown, transfer: Transferable[]) => {
      if (port) n.portPostMessage(port, data, transfer);
      else waiting = { data, transfer };
    };
    const onBoot = (ev: Event) => {
      try {
        n.removeEventListener(self as unknown as EventTarget, 'message', onBoot);
        const d = n.messageData(ev as MessageEvent) as Record<string, unknown>;
        const ports = portsGetter ? n.Reflect.apply(portsGetter, ev, []) as ArrayLike<MessagePort> : undefined;
        if (typeof d !== 'object' || d === null || !n.hasOwn(d, 'type') || d.type !== WORKER_BOOT || !ports || ports.length === 0) return;
        n.stopImmediatePropagation(ev);
        port = ports[0];
        if (waiting) { post(waiting.data, waiting.transfer); waiting = undefined; }
      } catch { /* never reach the page */ }
    };
    n.addEventListener(self as unknown as EventTarget, 'message', onBoot);
    const replaced = urls.replaced;
    for (let i = 0; i < location.length; i++) replaced[replaced.length] = location[i]!;
    installCapture(self, { n, hookId: config.hook, base: config.base, post, resolveUrl: urls.resolve, replaced });
  } catch {
    // capture failing must never break the worker
  }
}
