/**
 * Makes the hook's replacement functions print like the originals where the
 * engine does not already: `Function.prototype.toString` of a replacement must
 * give `function WebSocket() { [native code] }`; pages and bot-detection
 * scripts compare those strings.
 *
 * In V8 the build makes them print so by themselves (src/build/native-text.ts),
 * and nothing is installed: Function.prototype.toString stays the browser's.
 * Elsewhere (SpiderMonkey prints the source) toString is routed through a
 * Proxy that answers for our replacements with the original's text —
 * including for itself.
 *
 * Each frame has its own realm and its own hook. A page may print an iframe's
 * WebSocket with its own toString; a function we do not know whose text is a
 * hook's (it carries the build's marker comment) is handed to its own realm's
 * toString, which that realm's hook cloaks.
 */
import type { StackCloak } from './error-stacks';
import { NATIVE_TEXT_COMMENT } from './native-text';
import type { Natives } from './natives';

/** [replacement, original] pairs. */
export type Replacements = readonly (readonly [Function, Function])[];

/** Install the cloak if a replacement prints other than its original; says whether it did. */
export function installCloak(win: typeof globalThis, n: Natives, stacks: StackCloak, replaced: Replacements): boolean {
  const FnProto = win.Function.prototype;
  const nativeToString = FnProto.toString;
  const { apply, getPrototypeOf } = n.Reflect;
  const gOPD = n.getOwnPropertyDescriptor;
  const text = (f: Function) => apply(nativeToString, f, []) as string;
  let needed = false;
  for (let i = 0; i < replaced.length; i++) if (text(replaced[i]![0]) !== text(replaced[i]![1])) needed = true;
  if (!needed) return false;

  const originals = new n.WeakMap<object, object>();
  for (let i = 0; i < replaced.length; i++) n.weakMapSet(originals, replaced[i]![0], replaced[i]![1]);
  const marker = `/*${NATIVE_TEXT_COMMENT}`;

  /** The toString of the realm `f` comes from, when that is not this realm. */
  const foreignToString = (f: object): Function | undefined => {
    let p = getPrototypeOf(f);
    for (let depth = 0; p && p !== FnProto && depth < 8; depth++) {
      const d = typeof p === 'function' ? gOPD(p, 'toString') : undefined;
      if (d && typeof d.value === 'function' && gOPD(p, 'bind')) return d.value as Function;
      p = getPrototypeOf(p);
    }
    return undefined;
  };

  // no prototype on the handler: a page's Object.prototype.get/apply must not become a trap of ours
  const toString = new Proxy(nativeToString, {
    __proto__: null,
    apply(target: typeof nativeToString, self: unknown, args: unknown[]) {
      const original = (typeof self === 'function' || typeof self === 'object') && self !== null
        ? n.weakMapGet(originals, self)
        : undefined;
      if (original) return apply(target, original, args);
      // only a non-function makes toString throw: room for our frame in its stack then
      const room = typeof self === 'function' ? -1 : stacks.widen();
      let out: string;
      try {
        out = apply(target, self, args) as string;
      } catch (err) {
        stacks.scrub(err);
        throw err;
      } finally {
        stacks.restore(room);
      }
      if (typeof self !== 'function' || n.strIndexOf(out, marker, 0) < 0) return out;
      const other = foreignToString(self);
      return other && other !== toString ? apply(other, self, args) : out;
    },
  } as ProxyHandler<typeof nativeToString>);
  n.weakMapSet(originals, toString, nativeToString);
  const desc = gOPD(FnProto, 'toString')!;
  n.defineProperty(FnProto, 'toString', { ...desc, value: toString });
  return true;
}
