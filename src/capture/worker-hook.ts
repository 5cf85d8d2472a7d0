/**
 * The capture hook inside a deep-captured worker, run before the page's worker script. It installs capture
 * as in a window, except that its channel goes to the page hook, which forwards to the page's relay.
 *
 * Chrome: workers.ts made the worker from a blob: script that runs this, then the page's script. Here it
 * gives the worker its script's real URL back (location, relative URLs: worker-urls.ts,
 * worker-location.ts); the channel is the port the page hook posts as the worker's first message — taken
 * here, before any listener of the page's script (registered later) can see it.
 *
 * Firefox: the background put this in front of the worker's own script as the browser fetched it
 * (src/workers/), so the worker runs from its real URL and nothing needs fixing. The channel is a port
 * this posts to the page as the worker's very first message (WORKER_HELLO), which the page hook's listener
 * on the Worker — the first one — takes before any listener of the page's.
 */
import { installCapture } from './install';
import { onlyItem } from './iterable';
import { takeNatives } from './natives';
import { fixWorkerLocation } from './worker-location';
import { fixWorkerUrls } from './worker-urls';
import { WORKER_HELLO } from './worker-hello';
import { WORKER_BOOT } from './workers';

export interface WorkerBoot {
  /** the page's worker script, absolute, when the worker runs from a blob: URL (Chrome); absent when it runs from its own (Firefox) */
  url?: string;
  /** the page hook's id: this worker's connections are its own */
  hook: string;
  /** this worker's first connection number */
  base: number;
}

export function bootWorker(self: typeof globalThis, config: WorkerBoot): void {
  try {
    const n = takeNatives(self);
    if (config.url === undefined) {
      helloPage(self, n, config);
      return;
    }
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

/** Firefox: the worker runs from its own URL; its hook's channel goes to the page as the worker's first message. */
function helloPage(self: typeof globalThis, n: ReturnType<typeof takeNatives>, config: WorkerBoot): void {
  // a [Global] interface's operations are the global's own properties (WebIDL); read before the page's script runs
  const postToPage = (n.getOwnPropertyDescriptor(self, 'postMessage') ?? n.getOwnPropertyDescriptor(n.Reflect.getPrototypeOf(self) as object, 'postMessage'))?.value as Function | undefined;
  if (typeof postToPage !== 'function') return;
  const channel = new n.MessageChannel();
  const hello = n.dict<unknown>();
  hello.type = WORKER_HELLO;
  hello.hook = config.hook;
  hello.base = config.base;
  n.Reflect.apply(postToPage, self, [hello, onlyItem(n.channelPort2(channel))]);
  const port = n.channelPort1(channel);
  installCapture(self, { n, hookId: config.hook, base: config.base, post: (data, t) => n.portPostMessage(port, data, t), replaced: [] });
}
