/**
 * Makes replaced functions print like the originals.
 *
 * `Function.prototype.toString` of a Proxy prints `function () { [native code] }`,
 * not `function WebSocket() { [native code] }`; pages and bot-detection scripts
 * compare those strings. We route toString through a Proxy that answers for our
 * replacements with the original's text — including for itself.
 *
 * Each frame has its own realm and its own hook. A page may print an iframe's
 * WebSocket with its own toString; a function we do not know that prints like
 * a Proxy is therefore handed to its own realm's toString (that realm's hook
 * knows it, or it is native).
 */
export interface Cloak {
  /** From now on `replacement` prints like `original`. */
  hide(replacement: object, original: object): void;
}

export function installCloak(win: typeof globalThis): Cloak {
  const FnProto = win.Function.prototype;
  const nativeToString = FnProto.toString;
  const originals = new WeakMap<object, object>();
  const { apply, getPrototypeOf, getOwnPropertyDescriptor } = Reflect;
  // how this engine prints any Proxy of a function
  const proxyText = apply(nativeToString, new Proxy(function () {}, {}), []) as string;

  /** The toString of the realm `f` comes from, when that is not this realm. */
  const foreignToString = (f: object): Function | undefined => {
    let p = getPrototypeOf(f);
    for (let depth = 0; p && p !== FnProto && depth < 8; depth++) {
      const d = typeof p === 'function' ? getOwnPropertyDescriptor(p, 'toString') : undefined;
      if (d && typeof d.value === 'function' && getOwnPropertyDescriptor(p, 'bind')) return d.value as Function;
      p = getPrototypeOf(p);
    }
    return undefined;
  };

  const toString = new Proxy(nativeToString, {
    apply(target, self: unknown, args: unknown[]) {
      const original = (typeof self === 'function' || typeof self === 'object') && self !== null
        ? originals.get(self)
        : undefined;
      if (original) return apply(target, original, args);
      const text = apply(target, self, args) as string;
      if (text !== proxyText || typeof self !== 'function') return text;
      const other = foreignToString(self);
      return other ? apply(other, self, args) : text;
    },
  });
  originals.set(toString, nativeToString);
  const desc = Object.getOwnPropertyDescriptor(FnProto, 'toString')!;
  Object.defineProperty(FnProto, 'toString', { ...desc, value: toString });

  return { hide: (replacement, original) => originals.set(replacement, original) };
}
