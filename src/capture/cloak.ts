/**
 * Makes replaced functions print like the originals.
 *
 * `Function.prototype.toString` of a Proxy prints `function () { [native code] }`,
 * not `function WebSocket() { [native code] }`; pages and bot-detection scripts
 * compare those strings. We route toString through a Proxy that answers for our
 * replacements with the original's text — including for itself.
 */
export interface Cloak {
  /** From now on `replacement` prints like `original`. */
  hide(replacement: object, original: object): void;
}

export function installCloak(win: typeof globalThis): Cloak {
  const FnProto = win.Function.prototype;
  const nativeToString = FnProto.toString;
  const originals = new WeakMap<object, object>();
  const apply = Reflect.apply;

  const toString = new Proxy(nativeToString, {
    apply(target, self: unknown, args: unknown[]) {
      const original = (typeof self === 'function' || typeof self === 'object') && self !== null
        ? originals.get(self)
        : undefined;
      return apply(target, original ?? self, args);
    },
  });
  originals.set(toString, nativeToString);
  const desc = Object.getOwnPropertyDescriptor(FnProto, 'toString')!;
  Object.defineProperty(FnProto, 'toString', { ...desc, value: toString });

  return { hide: (replacement, original) => originals.set(replacement, original) };
}
