/**
 * Firefox's half of the page's `Worker` under deep capture (workers.ts makes the replacement): the
 * background puts the worker hook into the worker's own script as it loads (src/workers/), for the
 * scripts the page hook names. So `new Worker` first names the script and the worker's connection numbers
 * (`announce`, to the relay), then constructs the native Worker with the page's own arguments, and listens
 * first on it: the worker hook's very first act is a hello carrying its boot port, which the page's
 * listeners never see; any other first message (a worker without the hook) is left alone, and the
 * listener goes at the first message either way.
 */
import type { Natives } from './natives';

/** The first message a captured worker posts: its hook's port to the page hook (Firefox). */
export const WORKER_HELLO = 'wsi-worker-hello';

type Fn = Function;
type Rec = Record<string, unknown>;

/** A captured worker's channel to the page hook, once it has one. */
export interface WorkerLink { port: MessagePort | null }

export interface HelloOptions {
  hookId: string;
  /** every worker this page hook made room for; worker k (from 1) has connection numbers from k·span */
  links: WorkerLink[];
  span: number;
  /** tell the relay a worker script is about to load, with its first connection number */
  announce: (url: string, base: number) => void;
  /** construct the native Worker as the page asked (what it throws is the page's) */
  construct: (args: ArrayLike<unknown>, target: Fn) => unknown;
  /** the worker hook's handshake on its boot port links the worker */
  awaitHandshake: (boot: MessagePort, link: WorkerLink) => void;
  portOf: (ev: MessageEvent) => MessagePort | undefined;
}

export function workerHellos(n: Natives, o: HelloOptions) {
  /** The worker's first message: the hook's hello (taken from the page's listeners), or the page's own (left alone). */
  const awaitHello = (worker: EventTarget, link?: WorkerLink): void => {
    const first = (ev: Event) => {
      try {
        n.removeEventListener(worker, 'message', first);
        const d = n.messageData(ev as MessageEvent) as Rec;
        if (typeof d !== 'object' || d === null || !n.hasOwn(d, 'type') || d.type !== WORKER_HELLO || d.hook !== o.hookId) return;
        const port = o.portOf(ev as MessageEvent);
        if (!port) return;
        n.stopImmediatePropagation(ev);
        // the hello's port is the worker's boot port (its handshake comes on it, as in Chrome's workers);
        // two workers of one script may have swapped words: the hello says whose numbers this worker has
        const k = typeof d.base === 'number' ? d.base / o.span : 0;
        const mine = k >= 1 && k <= o.links.length && k === (k | 0) ? o.links[k - 1]! : link;
        if (mine && !mine.port) o.awaitHandshake(port, mine);
      } catch { /* never reach the page */ }
    };
    n.addEventListener(worker, 'message', first);
  };

  return {
    /** A worker to capture: its script is named to the relay first, its hello is taken. */
    announced(url: string, args: ArrayLike<unknown>, target: Fn): unknown {
      const index = o.links.length + 1;
      if (index * o.span >= 0xffffffff) return o.construct(args, target);
      const link: WorkerLink = { port: null };
      o.links[o.links.length] = link;
      try { o.announce(url, index * o.span); } catch { /* uncaptured */ }
      const worker = o.construct(args, target);
      try { awaitHello(worker as EventTarget, link); } catch { /* uncaptured */ }
      return worker;
    },
    /**
     * A worker left to the browser may still have the hook, if another worker's word for the same script
     * was left over (its constructor threw): its hello is taken all the same.
     */
    heard(args: ArrayLike<unknown>, target: Fn): unknown {
      const worker = o.construct(args, target);
      try { awaitHello(worker as EventTarget); } catch { /* uncaptured */ }
      return worker;
    },
  };
}
