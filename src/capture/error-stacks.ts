/**
 * Errors the browser throws through the hook's wrappers must look as if the
 * page had called the builtin itself. A builtin adds no frame to a stack
 * trace, but our wrapper (send, close, the constructor's trap) does: error
 * trackers (Sentry, Datadog) group errors by those frames, and a page can read
 * them. So before an error is rethrown, the hook's frames are taken out of its
 * `stack`:
 *
 * - V8 keeps `stack` as an own accessor of the error; its setter replaces the
 *   text, and the property keeps its shape. Lines naming the hook's script go.
 * - `Error.stackTraceLimit` frames are captured, ours included, so a call that
 *   may throw gets one more frame of room (`widen`): after ours are removed the
 *   page has exactly as many frames as natively.
 * - A page's `Error.prepareStackTrace` (V8 formats stacks with it, from
 *   CallSite objects) gets the call sites without ours.
 *
 * Engines that keep `stack` elsewhere (SpiderMonkey: an accessor on the
 * prototype, which a write would shadow with an own property) are left alone:
 * there the page would see the change itself.
 *
 * Everything here runs with natives taken at install, on the rare error path.
 */
import type { Natives } from './natives';

export interface StackCloak {
  /**
   * Make room for `frames` more frames (the hook's own between the page and the native) before a call
   * that may throw; returns what to pass to `restore`.
   */
  widen(frames?: number): number;
  restore(previous: number): void;
  /**
   * Take the hook's frames out of an error's stack (no-op for anything else). `entry`, the replacement the
   * page called (send, close, the constructor), when the error was made by the native right below it (no
   * page code ran in the call): in V8 its stack is then taken again from below `entry`, and formatted only
   * when the page reads it, as natively. Without `entry` (the page's own code threw inside the call) the
   * hook's lines are taken out of the formatted stack.
   */
  scrub(err: unknown, entry?: Function): void;
}

const NO_CHANGE = -1;
type CallSiteLike = object;

export function installStackCloak(n: Natives): StackCloak {
  const E = n.Error;
  const { apply } = n.Reflect;
  const gOPD = n.getOwnPropertyDescriptor;
  const ownUrl = scriptUrlOf(n);
  const fileNameOf = callSiteFileName(n);
  const captureStackTrace = typeof E.captureStackTrace === 'function' ? E.captureStackTrace : undefined;

  const linesWithout = (stack: string, url: string): string => {
    let out = '';
    let from = 0;
    for (;;) {
      const nl = n.strIndexOf(stack, '\n', from);
      const line = n.strSlice(stack, from, nl < 0 ? stack.length : nl);
      const ours = n.strIndexOf(line, '    at ', 0) === 0 && n.strIndexOf(line, url, 0) >= 0;
      if (!ours) out = out === '' && from === 0 ? line : `${out}\n${line}`;
      if (nl < 0) return out;
      from = nl + 1;
    }
  };

  /** Format the stack now with the page's prepareStackTrace, handing it the call sites that are not ours. */
  const prepared = (err: object, get: () => unknown, pageFn: Function, desc: PropertyDescriptor): void => {
    const filter = (e: unknown, sites: CallSiteLike[]) => {
      const kept: CallSiteLike[] = [];
      for (let i = 0; i < sites.length; i++) {
        const site = sites[i]!;
        let file: unknown;
        try { file = fileNameOf ? apply(fileNameOf, site, []) : undefined; } catch { file = undefined; }
        if (file !== ownUrl) {
          n.defineProperty(kept, kept.length, { __proto__: null, value: site, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
        }
      }
      return apply(pageFn, E, [e, kept]);
    };
    // descriptors without a prototype: defineProperty reads get/set/value … through the prototype chain
    n.defineProperty(E, 'prepareStackTrace', { __proto__: null, ...desc, value: filter } as PropertyDescriptor);
    try {
      apply(get, err, []);
    } finally {
      n.defineProperty(E, 'prepareStackTrace', desc);
    }
  };

  /** the page's limit while widened (NO_CHANGE otherwise), and the widened one */
  let pageLimit = NO_CHANGE;
  let widenedLimit = NO_CHANGE;

  /**
   * V8: take the stack of an error the native threw again, from below the replacement the page called
   * (`Error.captureStackTrace`): the frames the page would have got, formatted only when the page reads
   * `stack` (reading it here would run the page's name/message getters and prepareStackTrace now).
   */
  const recapture = (err: object, entry: Function): void => {
    const widened = pageLimit;
    if (widened !== NO_CHANGE) E.stackTraceLimit = widened;
    try {
      apply(captureStackTrace!, E, [err, entry]);
    } finally {
      if (widened !== NO_CHANGE) E.stackTraceLimit = widenedLimit;
    }
  };

  return {
    widen(frames = 1) {
      const d = gOPD(E, 'stackTraceLimit');
      if (!d || !('value' in d) || typeof d.value !== 'number' || !d.writable) return NO_CHANGE;
      E.stackTraceLimit = widenedLimit = d.value + frames;
      pageLimit = d.value;
      return d.value;
    },
    restore(previous) {
      if (previous === NO_CHANGE) return;
      pageLimit = NO_CHANGE;
      const d = gOPD(E, 'stackTraceLimit');
      if (d && 'value' in d && d.writable) E.stackTraceLimit = previous;
    },
    scrub(err, entry) {
      if (!ownUrl || (typeof err !== 'object' && typeof err !== 'function') || err === null) return;
      try {
        const d = gOPD(err, 'stack');
        if (!d || typeof d.get !== 'function' || typeof d.set !== 'function') return;
        if (entry && captureStackTrace && fileNameOf) return recapture(err, entry);
        const pst = gOPD(E, 'prepareStackTrace');
        if (pst && typeof pst.value === 'function') return prepared(err, d.get, pst.value as Function, pst);
        const stack = apply(d.get, err, []);
        if (typeof stack !== 'string' || n.strIndexOf(stack, ownUrl, 0) < 0) return;
        apply(d.set, err, [linesWithout(stack, ownUrl)]);
      } catch { /* leave the error as it is */ }
    },
  };
}

/** The URL of the hook's own script, from a stack taken now (chrome-extension://…, moz-extension://…). */
export function scriptUrlOf(n: Natives): string {
  try {
    const stack = `${new n.Error().stack}`;
    // eslint-disable-next-line wsi/no-page-builtins -- runs once at document_start, before any page script
    const m = /\b((?:chrome|moz|safari-web)-extension:\/\/[^/\s]+\/[^:\s)]+)/.exec(stack);
    return m ? m[1]! : '';
  } catch {
    return '';
  }
}

/**
 * CallSite.prototype.getFileName as it is now, before page scripts can replace it: taken from a call site
 * V8 hands a prepareStackTrace set for an instant at install. Undefined where there are no call sites.
 */
function callSiteFileName(n: Natives): Function | undefined {
  const E = n.Error as ErrorConstructor & { prepareStackTrace?: unknown };
  type Deletable = { prepareStackTrace?: unknown };
  const saved = n.getOwnPropertyDescriptor(E, 'prepareStackTrace');
  let found: Function | undefined;
  try {
    n.defineProperty(E, 'prepareStackTrace', {
      value: (_e: unknown, sites: unknown[]) => sites, writable: true, configurable: true, enumerable: false,
    });
    const sites = new n.Error().stack as unknown;
    const first = n.isArray(sites) ? (sites as unknown[])[0] : undefined;
    const proto = first ? n.Reflect.getPrototypeOf(first as object) : null;
    const d = proto ? n.getOwnPropertyDescriptor(proto, 'getFileName') : undefined;
    found = typeof d?.value === 'function' ? d.value as Function : undefined;
  } catch {
    found = undefined;
  } finally {
    if (saved) n.defineProperty(E, 'prepareStackTrace', saved);
    else delete (E as Deletable).prepareStackTrace;
  }
  return found;
}
