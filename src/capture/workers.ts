/**
 * Opt-in deep capture of the dedicated and module workers a page creates (the user's *Capture workers*
 * setting). A worker created while it is on gets the capture hook first.
 *
 * Firefox (`workerScripts` in the relay's `ready`): the background puts the worker hook in front of the
 * worker's own script as the browser fetches it (src/workers/). Here `new Worker` names the script to
 * the relay first, constructs the native Worker with the page's own arguments and takes the worker hook's
 * hello, its first message (worker-hello.ts). A worker without the hook (the word came too late) just runs
 * uncaptured: its first message goes to the page as always.
 *
 * Chrome: `new Worker(url, options)`
 * constructs the native Worker from a blob: script that runs the worker hook (worker-hook.ts, built
 * into the relay and handed over in its `ready` message) and then the page's script — `importScripts(url)`
 * for a classic worker, `await import(url)` for a module worker — and the hook's channel is a
 * MessagePort posted to the worker as its very first message, which the worker hook takes before the page's
 * listeners see anything.
 *
 * The worker's sockets are this page hook's connections (same hook id, numbers from the worker's own
 * range), so they reach the panel through this page's relay unchanged: the messages of the worker's hook
 * are forwarded to the relay as they are, and what the relay sends (settings, attach, detach, and the
 * fetches and commands of a worker's connections) is passed on to the workers.
 *
 * Left alone (constructed natively, not captured): workers from a `TrustedScriptURL` or with Trusted Types'
 * default policy set, `data:` URLs, cross-origin URLs (the native throws its own error), options whose
 * `type` is not a plain value, and — Chrome — every worker of a page whose policies refuse blob: workers
 * (blob-gate.ts finds out first). What differs inside a captured worker: worker-urls.ts and the README.
 */
import { blobGate } from './blob-gate';
import type { StackCloak } from './error-stacks';
import type { Natives } from './natives';
import { itemsOf } from './iterable';
import { workerHellos, type WorkerLink } from './worker-hello';
import { copyShape, replaceValue } from './patch';
import { blobOf, bootScripts, quote } from './worker-script';

/** Connection numbers of worker k are k·SPAN + 0, 1, … (the page's own are below SPAN). */
export const WORKER_SPAN = 1 << 22;
/** The first message a captured worker gets: its hook's port to the page hook (Chrome). */
export const WORKER_BOOT = 'wsi-worker-boot';

type Fn = Function;
type Rec = Record<string, unknown>;

type Link = WorkerLink;

/** Take the natives this needs now, at install (before page scripts). */
function takeWorkerNatives(win: typeof globalThis, n: Natives) {
  const g = win as unknown as Rec;
  const W = g.Worker as (Fn & { prototype: object }) | undefined;
  const URLs = g.URL as { createObjectURL?: Fn; revokeObjectURL?: Fn } | undefined;
  const doc = g.document as object | undefined;
  const Node = g.Node as { prototype: object } | undefined;
  const tt = g.trustedTypes as object | undefined;
  const ttProto = tt ? n.Reflect.getPrototypeOf(tt) as object | null : null;
  if (typeof W !== 'function' || !URLs?.createObjectURL || !URLs.revokeObjectURL || !doc || !Node) return undefined;
  const arrayIterator = n.getOwnPropertyDescriptor((win as unknown as { Array: { prototype: object } }).Array.prototype, Symbol.iterator)?.value as Fn;
  return {
    Worker: W, postMessage: n.getOwnPropertyDescriptor(W.prototype, 'postMessage')!.value as Fn,
    createObjectURL: URLs.createObjectURL, revokeObjectURL: URLs.revokeObjectURL, URLs,
    baseURI: n.getOwnPropertyDescriptor(Node.prototype, 'baseURI')!.get as Fn, doc,
    tt, isScriptURL: ttProto ? n.getOwnPropertyDescriptor(ttProto, 'isScriptURL')?.value as Fn | undefined : undefined,
    defaultPolicy: ttProto ? n.getOwnPropertyDescriptor(ttProto, 'defaultPolicy')?.get as Fn | undefined : undefined,
    arrayIterator, iterator: Symbol.iterator,
    terminate: n.getOwnPropertyDescriptor(W.prototype, 'terminate')?.value as Fn | undefined,
  };
}

export interface WorkerCapture {
  /** the user's setting and the worker hook's code, from the relay's `ready` */
  configure(field: (key: string) => unknown): void;
  /** a message from the relay: passed on to the workers; true when it was only theirs (a fetch or command of a worker's connection) */
  fromRelay(m: Rec, field: (key: string) => unknown): boolean;
  /** [replacement, original] for the cloak */
  replaced: [Fn, Fn][];
}

export function patchWorkers(win: typeof globalThis, n: Natives, stacks: StackCloak, o: {
  hookId: string;
  /** post a worker hook's message to this page's relay */
  forward: (msg: unknown, transfer: Transferable[]) => void;
  /** tell the relay a worker script is about to load, with its first connection number (Firefox) */
  announce: (url: string, base: number) => void;
}): WorkerCapture | undefined {
  const w = takeWorkerNatives(win, n);
  if (!w) return undefined;
  const { apply, construct } = n.Reflect;
  let on = false;
  let code: string | undefined;
  /** Firefox: the background puts the hook in the worker's script (no blob:) */
  let byNetwork = false;
  /** the relay's last `ready` (its settings, without the worker hook's code) and `attach`, for workers made later */
  let ready: Rec | undefined;
  let attach: Rec | undefined;
  const links = n.list<Link>();
  // Chrome: whether the page's policies let a blob: worker run, and its violations kept from the page
  const gate = blobGate(win, n, {
    Worker: w.Worker, addEventListener: n.addEventListener, terminate: w.terminate, revokeObjectURL: w.revokeObjectURL, URLs: w.URLs,
  });

  const post = (port: MessagePort | null, m: unknown) => { if (port) n.portPostMessage(port, m); };

  /** A captured worker's channel (its hook's handshake came on the boot port): settings first, then what the relay says. */
  const linked = (link: Link, channel: MessagePort) => {
    link.port = channel;
    n.portOnMessage(channel, (ev: MessageEvent) => {
      try {
        const m = n.messageData(ev) as Rec;
        if (typeof m !== 'object' || m === null || !n.hasOwn(m, 'type')) return;
        // a batch's buffers are handed over, not copied again
        const batch = m.type === 'batch' && n.hasOwn(m, 'batch') ? m.batch as Rec : undefined;
        const transfer = n.list<Transferable>();
        if (batch && n.hasOwn(batch, 'cols') && n.hasOwn(batch, 'binary')) { transfer[0] = batch.cols as ArrayBuffer; transfer[1] = batch.binary as ArrayBuffer; }
        o.forward(m, itemsOf(transfer) as Transferable[]);
      } catch { /* never reach the page */ }
    });
    post(channel, ready ?? { src: 'wsi-relay', v: 1, type: 'ready' });
    if (attach) post(channel, attach);
  };

  const Native = w.Worker;
  const Patched = {
    __nativeText_Worker: function (this: unknown, _url: unknown): unknown {
      // eslint-disable-next-line prefer-rest-params -- the native gets exactly the page's arguments; a rest parameter would change the length
      const args = arguments;
      if (new.target === undefined) return callNative(Native, this, args);
      const target: Fn = new.target === (Patched as unknown) ? Native : new.target;
      const plan = on && (byNetwork || (code !== undefined && gate.open)) ? bootstrap(args) : undefined;
      if (plan && byNetwork) return hellos.announced(plan.url, args, target);
      if (on && byNetwork) return hellos.heard(args, target);
      if (plan) {
        let made: unknown;
        try { made = tryCaptured(plan, args, target); } catch { made = undefined; /* fail open: the native worker */ }
        if (made) return made;
      }
      return callNative(undefined, undefined, args, target);
    },
  }.__nativeText_Worker as unknown as Fn;
  copyShape(n, Patched, Native);
  replaceValue(n, w.Worker.prototype, 'constructor', Patched);
  replaceValue(n, win, 'Worker', Patched);

  /** Construct or call the native as the page asked; what it throws carries no frame of the hook. */
  function callNative(fn: Fn | undefined, self: unknown, args: ArrayLike<unknown>, target?: Fn): unknown {
    const room = stacks.widen(2);
    try {
      return target ? construct(Native, args, target) : apply(fn!, self, args);
    } catch (err) {
      stacks.scrub(err);
      throw err;
    } finally {
      stacks.restore(room);
    }
  }

  /** The blob: script for this worker, when it can be captured without the page noticing; else undefined. */
  function bootstrap(args: ArrayLike<unknown>): { url: string; module: boolean } | undefined {
    try {
      const spec = args.length > 0 ? args[0] : undefined;
      // Trusted Types in use: the page's own policy would see our blob: URL (or refuse it)
      const trusted = w!.tt && w!.isScriptURL && apply(w!.isScriptURL, w!.tt, [spec]) === true;
      if (trusted || (w!.tt && w!.defaultPolicy && apply(w!.defaultPolicy, w!.tt, []) !== null)) return undefined;
      const options = args.length > 1 ? args[1] : undefined;
      let module = false;
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object') return undefined;
        const d = n.getOwnPropertyDescriptor(options, 'type');
        if (d && !('value' in d)) return undefined;
        if (d) { if (d.value === 'module') module = true; else if (d.value !== 'classic' && d.value !== undefined) return undefined; }
        if (!d && hasInherited(options, 'type')) return undefined;
      }
      if (typeof spec !== 'string') return undefined;
      const base = apply(w!.baseURI, w!.doc, []) as string;
      const url = new n.URL(spec, base);
      const real = n.Reflect.apply(n.getOwnPropertyDescriptor(n.URL.prototype, 'href')!.get!, url, []) as string;
      const origin = n.urlOrigin(url);
      if (n.strIndexOf(real, 'blob:', 0) !== 0 && origin !== n.urlOrigin(new n.URL(n.location.href))) return undefined;
      return { url: real, module };
    } catch {
      return undefined;
    }
  }

  /** Whether a key reaches an object from its prototypes (a page's getter there would run natively, once: so must not run twice). */
  function hasInherited(obj: object, key: string): boolean {
    for (let p = n.Reflect.getPrototypeOf(obj) as object | null, depth = 0; p && depth < 16; p = n.Reflect.getPrototypeOf(p) as object | null, depth++) {
      if (n.getOwnPropertyDescriptor(p, key)) return true;
    }
    return false;
  }

  function tryCaptured(plan: { url: string; module: boolean }, args: ArrayLike<unknown>, target: Fn): unknown {
    const index = links.length + 1;
    if (index * WORKER_SPAN >= 0xffffffff) return undefined;
    const config = `{"url":${quote(n, plan.url)},"hook":${quote(n, o.hookId)},"base":${index * WORKER_SPAN}}`;
    const texts = bootScripts(n, code!, config, plan.url, plan.module);
    const hookUrl = texts.hook !== undefined ? blobOf(n, w!, texts.hook) : undefined;
    const blobUrl = blobOf(n, w!, hookUrl !== undefined ? texts.main(quote(n, hookUrl)) : texts.main(''));
    const revoke = () => {
      apply(w!.revokeObjectURL, w!.URLs, [blobUrl]);
      if (hookUrl) apply(w!.revokeObjectURL, w!.URLs, [hookUrl]);
    };
    gate.attempt(blobUrl);
    const nativeArgs = n.list<unknown>();
    nativeArgs[0] = blobUrl;
    for (let i = 1; i < args.length; i++) nativeArgs[i] = args[i];
    let worker: unknown;
    try {
      worker = construct(Native, nativeArgs, target);
    } catch {
      // refused (Trusted Types): the page's worker is made natively, and no more blob: workers are tried
      revoke();
      gate.refused();
      return undefined;
    }
    try {
      linkWorker(worker, revoke);
    } catch { /* the worker runs the page's script uncaptured: never a second one */ }
    return worker;
  }

  /** On a worker's boot port: the worker hook's handshake, whose port is its channel. */
  function awaitHandshake(boot: MessagePort, link: Link, then?: () => void): void {
    n.portOnMessage(boot, (ev: MessageEvent) => {
      try {
        const d = n.messageData(ev) as Rec;
        const port = portOf(ev);
        if (!link.port && port && typeof d === 'object' && d !== null) {
          linked(link, port);
          then?.();
        }
      } catch { /* never reach the page */ }
    });
  }

  /** Hand a captured worker the port its hook talks to this page hook through (its first message). */
  function linkWorker(worker: unknown, revoke: () => void): void {
    const boot = new n.MessageChannel();
    const link: Link = { port: null };
    links[links.length] = link;
    awaitHandshake(n.channelPort1(boot), link, revoke);
    const transfer = n.list<Transferable>();
    transfer[0] = n.channelPort2(boot);
    const first = n.dict<string>();
    first.type = WORKER_BOOT;
    apply(w!.postMessage, worker, [first, itemsOf(transfer)]);
  }

  const portsGetter = n.getOwnPropertyDescriptor(n.MessageEvent.prototype, 'ports')?.get;
  const portOf = (ev: MessageEvent): MessagePort | undefined => {
    const ports = portsGetter ? apply(portsGetter, ev, []) as ArrayLike<MessagePort> : undefined;
    return ports && ports.length > 0 ? ports[0] : undefined;
  };

  // Firefox: the worker is the page's own; its script is named to the relay first (worker-hello.ts)
  const hellos = workerHellos(n, {
    hookId: o.hookId, links, span: WORKER_SPAN, announce: o.announce, portOf,
    construct: (args, target) => callNative(undefined, undefined, args, target),
    awaitHandshake: (boot, link) => awaitHandshake(boot, link),
  });

  /** The worker a connection id belongs to (by its number's range), or undefined for the page's own. */
  const workerOf = (id: unknown): Link | undefined => {
    if (typeof id !== 'string') return undefined;
    const prefix = `${o.hookId}.`;
    if (n.strSlice(id, 0, prefix.length) !== prefix) return undefined;
    const num = +n.strSlice(id, prefix.length, id.length);
    const k = num >= WORKER_SPAN ? (num - (num % WORKER_SPAN)) / WORKER_SPAN : 0;
    return k > 0 ? links[k - 1] : undefined;
  };

  return {
    configure(field) {
      const workers = field('workers');
      const hook = field('workerHook');
      const scripts = field('workerScripts');
      if (typeof workers === 'boolean') on = workers;
      if (typeof hook === 'string') code = hook;
      if (typeof scripts === 'boolean') byNetwork = scripts;
      // Chrome: find out once whether blob: workers may run here before making any (every later `ready` makes nothing)
      if (on && code !== undefined && !byNetwork) {
        try {
          gate.probe(() => {
            const inner = blobOf(n, w, 'postMessage(0)');
            return { url: blobOf(n, w, `import ${quote(n, inner)};`), inner };
          });
        } catch { /* workers stay the browser's */ }
      }
    },
    fromRelay(m, field) {
      const type = field('type');
      if (type === 'ready') {
        const r = n.dict<unknown>();
        r.src = 'wsi-relay'; r.v = field('v'); r.type = 'ready';
        const caps = field('caps'), lightweight = field('lightweight'), sendSites = field('sendSites');
        if (caps !== undefined) r.caps = caps;
        if (lightweight !== undefined) r.lightweight = lightweight;
        if (sendSites !== undefined) r.sendSites = sendSites;
        ready = r;
        for (let i = 0; i < links.length; i++) post(links[i]!.port, r);
        return false;
      }
      if (type === 'attach' || type === 'detach') {
        attach = type === 'attach' ? m : undefined;
        for (let i = 0; i < links.length; i++) post(links[i]!.port, m);
        return false;
      }
      const cmd = field('cmd');
      const c = type === 'fetch-payload' ? field('c') : type === 'command' && typeof cmd === 'object' && cmd !== null && n.hasOwn(cmd, 'c') ? (cmd as Rec).c : undefined;
      const link = workerOf(c);
      if (!link) return false;
      post(link.port, m);
      return true;
    },
    replaced: [[Patched, Native]],
  };
}
