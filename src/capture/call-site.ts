/**
 * Who called: the page's stack at a call into the hook (`new WebSocket`, and,
 * opt-in, `send()`), as DevTools' Initiator column shows it — a short list of
 * {fn, url, line, col}, innermost first, the hook's own frames left out.
 *
 * Taking a stack must not run page code nor be seen by the page:
 * - V8: the browser's CallSite objects, through an `Error.prepareStackTrace` of
 *   ours set for the instant of one `new Error().stack`, and a
 *   `stackTraceLimit` wide enough for our frames; both put back at once. A page
 *   that made either an accessor, or froze it, gets no stack from us rather than
 *   its code run (a getter the page set would run).
 * - Elsewhere (SpiderMonkey): the stack text (`fn@url:line:col` lines), read
 *   with the native `stack` getter taken at install and parsed with natives.
 * The hook's frames are those of its own script (its URL, error-stacks.ts).
 */
import { MAX_STACK_FRAMES, type StackFrame } from '../protocol/events';
import { clip } from './fields';
import type { Natives } from './natives';

/** Frames of ours that may sit above the page's caller (recorder, guard, the replacement …) plus the page's. */
const CAPTURE_LIMIT = MAX_STACK_FRAMES + 16;
/** Longest function name and URL kept in a frame. */
const MAX_FN = 200;
const MAX_URL = 2000;

export type StackTaker = () => StackFrame[] | undefined;

type CallSite = object;
interface SiteMethods { fn: Function; file: Function; line: Function; col: Function }

/**
 * A function that returns the current stack (without frames of `ownUrl`), or undefined when it cannot be
 * taken without the page noticing. Built at install, before page scripts run.
 */
export function stackTaker(n: Natives, ownUrl: string): StackTaker {
  const sites = callSiteMethods(n);
  return sites ? v8Stack(n, ownUrl, sites) : textStack(n, ownUrl);
}

/** CallSite's methods as they are now (page scripts could replace them later), or undefined outside V8. */
function callSiteMethods(n: Natives): SiteMethods | undefined {
  const E = n.Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit?: number };
  const saved = n.getOwnPropertyDescriptor(E, 'prepareStackTrace');
  const limit = n.getOwnPropertyDescriptor(E, 'stackTraceLimit');
  if ((saved && !saved.configurable) || (limit && !limit.configurable)) return undefined;
  try {
    // descriptors without a prototype: defineProperty reads `get` and `set`, where a page may have put getters
    const ours = { __proto__: null, value: (_e: unknown, s: unknown) => s, writable: true, configurable: true, enumerable: false } as PropertyDescriptor;
    n.defineProperty(E, 'prepareStackTrace', ours);
    n.defineProperty(E, 'stackTraceLimit', { __proto__: null, ...ours, value: 2 } as PropertyDescriptor);
    const list = new n.Error().stack as unknown;
    const first = n.isArray(list) ? (list as unknown[])[0] : undefined;
    const proto = first ? n.Reflect.getPrototypeOf(first as object) : null;
    if (!proto) return undefined;
    const method = (name: string): Function | undefined => {
      const d = n.getOwnPropertyDescriptor(proto, name);
      return d && typeof d.value === 'function' ? d.value as Function : undefined;
    };
    // getScriptNameOrSourceURL honours //# sourceURL, as DevTools does
    const fn = method('getFunctionName'), file = method('getScriptNameOrSourceURL') ?? method('getFileName');
    const line = method('getLineNumber'), col = method('getColumnNumber');
    return fn && file && line && col ? { fn, file, line, col } : undefined;
  } catch {
    return undefined;
  } finally {
    if (saved) n.defineProperty(E, 'prepareStackTrace', saved);
    else delete E.prepareStackTrace;
    if (limit) n.defineProperty(E, 'stackTraceLimit', limit);
    else delete E.stackTraceLimit;
  }
}

const uintOf = (v: unknown): number => (typeof v === 'number' && v >= 0 && v === v ? v : 0);

function v8Stack(n: Natives, ownUrl: string, m: SiteMethods): StackTaker {
  const E = n.Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit?: number };
  const { apply } = n.Reflect;
  const gOPD = n.getOwnPropertyDescriptor;
  const collect = (_e: unknown, s: CallSite[]): CallSite[] => s;
  // without a prototype: defineProperty reads `get` and `set`, where a page may have put getters
  const ours = { __proto__: null, value: collect, writable: true, configurable: true, enumerable: false } as PropertyDescriptor;
  return () => {
    const pst = gOPD(E, 'prepareStackTrace');
    const limit = gOPD(E, 'stackTraceLimit');
    // an accessor would run page code when V8 reads it; something frozen cannot be put back: no stack then
    if ((pst && (!('value' in pst) || !pst.configurable)) || (limit && (!('value' in limit) || !limit.configurable))) return undefined;
    let sites: unknown;
    try {
      // defined, never assigned: an assignment could reach a setter the page put on a prototype
      n.defineProperty(E, 'prepareStackTrace', ours);
      n.defineProperty(E, 'stackTraceLimit', { __proto__: null, ...(limit ?? ours), value: CAPTURE_LIMIT } as PropertyDescriptor);
      sites = new n.Error().stack;
    } catch {
      sites = undefined;
    } finally {
      if (pst) n.defineProperty(E, 'prepareStackTrace', pst);
      else delete E.prepareStackTrace;
      if (limit) n.defineProperty(E, 'stackTraceLimit', limit);
      else delete E.stackTraceLimit;
    }
    if (!n.isArray(sites)) return undefined;
    const list = sites as CallSite[];
    const out = n.list<StackFrame>();
    for (let i = 0; i < list.length && out.length < MAX_STACK_FRAMES; i++) {
      const site = list[i]!;
      const file = apply(m.file, site, []);
      const url = typeof file === 'string' ? file : '';
      if (ownUrl !== '' && url === ownUrl) continue;
      const fn = apply(m.fn, site, []);
      out[out.length] = {
        fn: typeof fn === 'string' ? clip(n, fn, MAX_FN) : '', url: clip(n, url, MAX_URL),
        line: uintOf(apply(m.line, site, [])), col: uintOf(apply(m.col, site, [])),
      };
    }
    return out;
  };
}

/** `fn@url:line:col` (SpiderMonkey, JavaScriptCore) or `    at fn (url:line:col)` (V8) → a frame; undefined for other lines. */
export function parseStackLine(n: Pick<Natives, 'strIndexOf' | 'strSlice' | 'strCharCodeAt'>, line: string): StackFrame | undefined {
  let fn = '', loc: string;
  const at = n.strIndexOf(line, '    at ', 0);
  if (at === 0) {
    const rest = n.strSlice(line, 7, line.length);
    const open = n.strIndexOf(rest, ' (', 0);
    if (open >= 0 && n.strCharCodeAt(rest, rest.length - 1) === 41 /* ) */) {
      fn = n.strSlice(rest, 0, open);
      loc = n.strSlice(rest, open + 2, rest.length - 1);
    } else {
      loc = rest;
    }
  } else {
    const sign = n.strIndexOf(line, '@', 0);
    if (sign < 0) return undefined;
    fn = n.strSlice(line, 0, sign);
    loc = n.strSlice(line, sign + 1, line.length);
  }
  // url:line:col — the url has colons of its own (https://host:port/…): take the last two
  let last = -1, prev = -1;
  for (let i = n.strIndexOf(loc, ':', 0); i >= 0; i = n.strIndexOf(loc, ':', i + 1)) { prev = last; last = i; }
  if (prev < 0) return undefined;
  const lineNo = +n.strSlice(loc, prev + 1, last), col = +n.strSlice(loc, last + 1, loc.length);
  if (!(lineNo >= 0) || !(col >= 0)) return undefined;
  return { fn, url: n.strSlice(loc, 0, prev), line: lineNo, col };
}

function textStack(n: Natives, ownUrl: string): StackTaker {
  const protoStack = n.getOwnPropertyDescriptor(n.Error.prototype, 'stack');
  const getter = protoStack && typeof protoStack.get === 'function' ? protoStack.get : undefined;
  const { apply } = n.Reflect;
  const stackText = (): unknown => {
    const err = new n.Error();
    return getter ? apply(getter, err, []) : n.getOwnPropertyDescriptor(err, 'stack')?.value;
  };
  // Firefox names the frames of a main-world content script `<anonymous code>`, not its URL: the
  // innermost frame of a stack taken now is the hook's own, whatever it is called
  let hookUrl = '';
  try {
    const now = stackText();
    if (typeof now === 'string') {
      const nl = n.strIndexOf(now, '\n', 0);
      hookUrl = parseStackLine(n, n.strSlice(now, 0, nl < 0 ? now.length : nl))?.url ?? '';
    }
  } catch { /* no stack now: only ownUrl is left out */ }
  return () => {
    let text: unknown;
    try {
      text = stackText();
    } catch {
      return undefined;
    }
    if (typeof text !== 'string') return undefined;
    const out = n.list<StackFrame>();
    for (let from = 0; from < text.length && out.length < MAX_STACK_FRAMES;) {
      const nl = n.strIndexOf(text, '\n', from);
      const end = nl < 0 ? text.length : nl;
      const f = parseStackLine(n, n.strSlice(text, from, end));
      from = end + 1;
      if (!f || (ownUrl !== '' && f.url === ownUrl) || (hookUrl !== '' && f.url === hookUrl)) continue;
      out[out.length] = { fn: clip(n, f.fn, MAX_FN), url: clip(n, f.url, MAX_URL), line: f.line, col: f.col };
    }
    return out;
  };
}
