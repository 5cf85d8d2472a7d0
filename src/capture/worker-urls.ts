/**
 * Inside a deep-captured worker (Chrome): the worker runs from a blob: URL that loads the capture hook and
 * then the page's script, so its base URL is the blob's, against which nothing relative resolves. The
 * ways a worker script names URLs are given the script's real URL back:
 * - `self.location` (WorkerLocation's getters and toString answer with the real URL for the worker's own
 *   location object; `new URL(x, location)` follows);
 * - relative URLs passed to `importScripts`, `fetch`, `new Request`, `XMLHttpRequest#open`,
 *   `new EventSource` and `new Worker` are resolved against it (and by the hook's own `WebSocket` and
 *   `WebSocketStream`, through `resolve`).
 * Each replacement keeps the native's name, length and shape and prints as native code (the cloak); the
 * rest of the worker's world is untouched. What is still not the same is listed in the README
 * (deep capture of workers: what differs).
 */
import type { Natives } from './natives';
import { copyNameAndLength, copyShape, replaceValue } from './patch';

type Fn = Function;

export interface WorkerUrls {
  /** an argument as the page gave it, resolved against the script's real URL when it is a relative URL string */
  resolve(v: unknown): unknown;
  /** [replacement, original] pairs for the cloak */
  replaced: [Fn, Fn][];
}

export function fixWorkerUrls(win: typeof globalThis, n: Natives, realUrl: string): WorkerUrls {
  const href = n.getOwnPropertyDescriptor(n.URL.prototype, 'href')!.get!;
  const { apply, construct } = n.Reflect;
  const replaced: [Fn, Fn][] = [];
  const resolve = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    try { return apply(href, new n.URL(v, realUrl), []); } catch { return v; }
  };
  /** The page's arguments with the one at `at` resolved (an `arguments` object: length kept). */
  const withResolved = (args: ArrayLike<unknown>, at: number): unknown[] => {
    const out = n.list<unknown>();
    for (let i = 0; i < args.length; i++) out[i] = i === at ? resolve(args[i]) : args[i];
    return out;
  };
  const g = win as unknown as Record<string, Fn | undefined>;

  /** A replacement of a native function or method: its name and length, and the cloak told. */
  const method = (native: Fn | undefined, made: Fn): Fn | undefined => {
    if (typeof native !== 'function') return undefined;
    copyNameAndLength(n, made, native);
    replaced[replaced.length] = [made, native];
    return made;
  };
  /** A constructor that resolves its first argument (the native's shape, the native object back). */
  const ctor = (name: string, made: Fn): void => {
    const Native = g[name];
    if (typeof Native !== 'function') return;
    copyShape(n, made, Native);
    replaceValue(n, (Native as unknown as { prototype: object }).prototype, 'constructor', made);
    replaceValue(n, win, name, made);
    replaced[replaced.length] = [made, Native];
  };
  const build = (self: unknown, args: ArrayLike<unknown>, target: Fn | undefined, name: string): unknown => {
    const Native = natives[name]!;
    if (target === undefined) return apply(Native, self, args);
    return construct(Native, withResolved(args, 0), target === made[name] ? Native : target);
  };
  const natives: Record<string, Fn | undefined> = n.dict();
  const made: Record<string, Fn | undefined> = n.dict();
  const keep = (name: string) => { natives[name] = g[name]; };
  keep('Request'); keep('EventSource'); keep('Worker');

  /** Where a global's operation lives: the global itself or one of its prototypes (WorkerGlobalScope.prototype). */
  const holderOf = (key: string): object => {
    for (let o: object | null = win, depth = 0; o && depth < 8; o = n.Reflect.getPrototypeOf(o) as object | null, depth++) {
      if (n.getOwnPropertyDescriptor(o, key)) return o;
    }
    return win;
  };

  const importScripts = g.importScripts;
  const fixedImport = method(importScripts, {
    __nativeText_importScripts(this: unknown): void {
      // eslint-disable-next-line prefer-rest-params -- every URL given, as given
      const args = arguments;
      const urls = n.list<unknown>();
      for (let i = 0; i < args.length; i++) urls[i] = resolve(args[i]);
      apply(importScripts!, this, urls);
    },
  }.__nativeText_importScripts);
  if (fixedImport) replaceValue(n, holderOf('importScripts'), 'importScripts', fixedImport);

  const fetch = g.fetch;
  const fixedFetch = method(fetch, {
    __nativeText_fetch(this: unknown, _input: unknown): unknown {
      // eslint-disable-next-line prefer-rest-params -- the native gets the page's arguments
      return apply(fetch!, this, withResolved(arguments, 0));
    },
  }.__nativeText_fetch);
  if (fixedFetch) replaceValue(n, holderOf('fetch'), 'fetch', fixedFetch);

  const XHR = g.XMLHttpRequest as unknown as { prototype: object } | undefined;
  const open = XHR ? n.getOwnPropertyDescriptor(XHR.prototype, 'open')?.value as Fn | undefined : undefined;
  const fixedOpen = method(open, {
    __nativeText_open(this: unknown, _method: unknown, _url: unknown): void {
      // eslint-disable-next-line prefer-rest-params -- the native gets the page's arguments
      apply(open!, this, withResolved(arguments, 1));
    },
  }.__nativeText_open);
  if (XHR && fixedOpen) replaceValue(n, XHR.prototype, 'open', fixedOpen);

  made.Request = {
    // eslint-disable-next-line prefer-rest-params -- the native gets the page's arguments
    __nativeText_Request: function (this: unknown, _input: unknown): unknown { return build(this, arguments, new.target, 'Request'); },
  }.__nativeText_Request;
  made.EventSource = {
    // eslint-disable-next-line prefer-rest-params -- the native gets the page's arguments
    __nativeText_EventSource: function (this: unknown, _url: unknown): unknown { return build(this, arguments, new.target, 'EventSource'); },
  }.__nativeText_EventSource;
  made.Worker = {
    // eslint-disable-next-line prefer-rest-params -- the native gets the page's arguments
    __nativeText_Worker: function (this: unknown, _url: unknown): unknown { return build(this, arguments, new.target, 'Worker'); },
  }.__nativeText_Worker;
  ctor('Request', made.Request);
  ctor('EventSource', made.EventSource);
  ctor('Worker', made.Worker);
  return { resolve, replaced };
}
