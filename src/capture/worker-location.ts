/**
 * Inside a deep-captured worker (Chrome), which runs from a blob: URL: `self.location` tells the worker
 * script's real URL. WorkerLocation's getters and `toString` answer with it for the worker's own location
 * object (and as natively for any other): `location.href`, `location.pathname`, `String(location)`,
 * `new URL('x', location)` are what they would be. The location object stays the browser's own (no own
 * properties, its prototype, `instanceof`); each replaced getter prints as native code (the cloak).
 */
import type { Natives } from './natives';

type Fn = Function;
const PARTS = ['href', 'origin', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const;

/** Give the worker's location the real URL; returns [replacement, original] pairs for the cloak. */
export function fixWorkerLocation(win: typeof globalThis, n: Natives, realUrl: string): [Fn, Fn][] {
  const Location = (win as unknown as Record<string, { prototype: object } | undefined>).WorkerLocation;
  if (!Location) return [];
  const own = n.location as unknown as object;
  const proto = Location.prototype;
  const url = new n.URL(realUrl);
  const real = n.dict<string>();
  for (let i = 0; i < PARTS.length; i++) {
    const get = n.getOwnPropertyDescriptor(n.URL.prototype, PARTS[i]!)?.get;
    real[PARTS[i]!] = get ? n.Reflect.apply(get, url, []) as string : '';
  }
  const natives = n.dict<Fn>();
  for (let i = 0; i < PARTS.length; i++) natives[PARTS[i]!] = n.getOwnPropertyDescriptor(proto, PARTS[i]!)!.get as Fn;
  const part = (self: unknown, key: string): unknown => (self === own ? real[key] : n.Reflect.apply(natives[key]!, self, []));
  // one getter each: V8 names and prints each after its own key
  const getters = {
    get __nativeText_href() { return part(this, 'href'); },
    get __nativeText_origin() { return part(this, 'origin'); },
    get __nativeText_protocol() { return part(this, 'protocol'); },
    get __nativeText_host() { return part(this, 'host'); },
    get __nativeText_hostname() { return part(this, 'hostname'); },
    get __nativeText_port() { return part(this, 'port'); },
    get __nativeText_pathname() { return part(this, 'pathname'); },
    get __nativeText_search() { return part(this, 'search'); },
    get __nativeText_hash() { return part(this, 'hash'); },
  };
  const keys = n.Reflect.ownKeys(getters);
  const replaced: [Fn, Fn][] = [];
  for (let i = 0; i < keys.length && i < PARTS.length; i++) {
    const key = PARTS[i]!;
    const made = n.getOwnPropertyDescriptor(getters, keys[i]!)!.get as Fn;
    const native = n.getOwnPropertyDescriptor(proto, key)!;
    n.defineProperty(made, 'name', n.getOwnPropertyDescriptor(native.get!, 'name')!);
    n.defineProperty(proto, key, { ...native, get: made as () => unknown });
    replaced[replaced.length] = [made, native.get as Fn];
  }
  const nativeToString = n.getOwnPropertyDescriptor(proto, 'toString')?.value as Fn | undefined;
  if (nativeToString) {
    const toString = {
      __nativeText_toString(this: unknown): unknown { return this === own ? real.href : n.Reflect.apply(nativeToString, this, []); },
    }.__nativeText_toString;
    n.defineProperty(toString, 'name', n.getOwnPropertyDescriptor(nativeToString, 'name')!);
    n.defineProperty(toString, 'length', n.getOwnPropertyDescriptor(nativeToString, 'length')!);
    n.defineProperty(proto, 'toString', { ...n.getOwnPropertyDescriptor(proto, 'toString')!, value: toString });
    replaced[replaced.length] = [toString, nativeToString];
  }
  return replaced;
}
