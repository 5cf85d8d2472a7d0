/**
 * Values the recorder takes from the page, made safe to record: strings the
 * page controls are clipped to the protocol's limits, thrown things become
 * {name, message}, arguments are read only where the page gave them — all
 * through natives, without running a getter or method the page may replace.
 */
import type { ErrorInfo } from '../protocol/events';
import { LIMITS } from '../protocol/messages';
import type { Natives } from './natives';

/** An argument the page passed, or undefined: a missing index would be looked up on Object.prototype. */
export const argAt = (args: ArrayLike<unknown>, i: number): unknown => (i < args.length ? args[i] : undefined);

/**
 * Strings the page controls (urls, protocols, error texts) cut to what the
 * protocol accepts, marked with an ellipsis: one oversized field must not get
 * a whole batch rejected by the relay's guards.
 */
export function clip(n: Natives, s: string, max: number = LIMITS.stringField - 1): string {
  return s.length > max ? `${n.strSlice(s, 0, max - 1)}…` : s;
}

/** The protocols argument as given: a string, or the strings of an array (own data elements only). */
export function protocolsOf(n: Natives, p: unknown): string | string[] | undefined {
  if (typeof p === 'string') return clip(n, p);
  if (!n.isArray(p)) return undefined;
  const list = p as unknown[];
  // without a prototype: an index write must not reach a setter the page put on Array.prototype
  const out = n.list<string>();
  for (let i = 0; i < list.length && out.length < 256; i++) {
    const d = n.getOwnPropertyDescriptor(list, i);
    if (d && typeof d.value === 'string') out[out.length] = clip(n, d.value, 1024);
  }
  return out;
}

/** The value of a data property found on `o` or its prototypes, without running accessors. */
function dataProperty(n: Natives, o: object, key: string): unknown {
  for (let p: object | null = o, depth = 0; p && depth < 16; p = n.Reflect.getPrototypeOf(p) as object | null, depth++) {
    const d = n.getOwnPropertyDescriptor(p, key);
    if (d) return 'value' in d ? d.value : undefined;
  }
  return undefined;
}

/** What was thrown, as {name, message}: DOMExceptions through their native getters, errors through their data properties. */
export function errorInfo(n: Natives, err: unknown): ErrorInfo {
  try {
    if ((typeof err !== 'object' && typeof err !== 'function') || err === null) {
      return { name: typeof err, message: typeof err === 'string' ? clip(n, err) : '' };
    }
    const dom = n.domException(err);
    const name = dom ? dom.name : dataProperty(n, err, 'name');
    const message = dom ? dom.message : dataProperty(n, err, 'message');
    return {
      name: typeof name === 'string' ? clip(n, name, 256) : 'Error',
      message: typeof message === 'string' ? clip(n, message) : '',
    };
  } catch {
    return { name: 'Error', message: '(unreadable error)' };
  }
}
