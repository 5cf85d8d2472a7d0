/**
 * Installs the observation points on one window's WebSocket, keeping it
 * indistinguishable from the native one:
 *
 * - `window.WebSocket` becomes a function with the native's name, length,
 *   prototype object, statics and [[Prototype]]; it constructs the native
 *   socket (`Reflect.construct` with the page's new.target, or the native
 *   itself when the page constructs WebSocket), so the object the page gets IS
 *   the native socket, and subclassing, `instanceof` and calling without `new`
 *   (the native's own TypeError) behave natively. A real function, not a Proxy:
 *   V8 names objects in error messages after their prototype's `constructor`
 *   when it is a function ('#<WebSocket>'), and prints '[object WebSocket]'
 *   when it is a Proxy.
 * - `send` and `close` become methods with the natives' names and lengths (no
 *   prototype, not constructors): their property descriptors stay native.
 *   Methods, not Proxies, because send is the hot path and a Proxy's apply
 *   trap costs every call.
 * - `WebSocket.prototype.constructor` points at the replacement, so
 *   `ws.constructor === WebSocket` still holds.
 * - Each replacement prints like the native (native-text.ts; cloak.ts where
 *   the engine needs it).
 *
 * Errors the browser throws reach the page as the same objects, their stacks
 * without the hook's frames (error-stacks.ts); the hook's own work runs inside
 * `guard` and can never throw into the page.
 */
import { utf8Length } from '../protocol/utf8';
import type { StackCloak } from './error-stacks';
import { argAt } from './fields';
import type { Interceptor } from './intercept/interceptor';
import type { Natives } from './natives';
import type { RecordedConn, Recorder } from './recorder';

export interface Patched {
  WebSocket: typeof WebSocket;
  send: (this: unknown, data: unknown) => void;
  close: (this: unknown) => void;
}

export function patchWebSocket(win: typeof globalThis, n: Natives, rec: Recorder, stacks: StackCloak, intercept: Interceptor,
  /** a deep-captured worker (worker-urls.ts): its relative URLs resolve against the worker script's real URL */
  resolveUrl?: (url: unknown) => unknown): Patched {
  const Native = n.WebSocket;
  const proto = Native.prototype;
  const { apply, construct } = n.Reflect;
  const sendCall = n.sendCall;
  /** The hook's own work: it must never throw into the page, and a failure is counted (shown in the panel), never silent. */
  const guard = (fn: () => void, conn?: RecordedConn): void => {
    // counting may fail in turn only when the stack is exhausted: nothing may reach the page even then
    try { fn(); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
  };

  /**
   * The replacement the page called, when no page code can have run inside the native before it threw (all
   * arguments primitives: nothing of the page's to convert), so an error it throws was made right below
   * us and can be taken again from there (error-stacks.ts); undefined otherwise.
   */
  const entryIf = (entry: Function, args: ArrayLike<unknown>): Function | undefined => {
    for (let i = 0; i < args.length; i++) {
      const v = args[i];
      if ((typeof v === 'object' && v !== null) || typeof v === 'function') return undefined;
    }
    return entry;
  };

  /** Call a native as the page asked, its errors rethrown without the hook's frames (error-stacks.ts). */
  const callNative = (fn: Function, self: unknown, args: ArrayLike<unknown>, entry: Function): unknown => {
    // two of our frames: the replacement the page called, and this one
    const room = stacks.widen(2);
    try {
      return apply(fn, self, args);
    } catch (err) {
      stacks.scrub(err, entryIf(entry, args));
      throw err;
    } finally {
      stacks.restore(room);
    }
  };

  const Patched = {
    __nativeText_WebSocket: function (this: unknown, _url: unknown): WebSocket {
      // eslint-disable-next-line prefer-rest-params -- the native gets exactly the page's arguments; a rest parameter would change the length
      const args = arguments;
      // called without `new`: the native's own TypeError
      if (new.target === undefined) return callNative(Native, this, args, Patched) as WebSocket;
      // the native gets itself as new.target when the page constructs WebSocket (the socket keeps the
      // native's own map); a subclass passes through as it is
      const newTarget: Function = new.target === (Patched as unknown) ? Native : new.target;
      let ws: WebSocket;
      const room = stacks.widen();
      try {
        ws = construct(Native, resolveUrl ? withFirst(n, args, resolveUrl) : args, newTarget) as WebSocket;
      } catch (err) {
        guard(() => rec.constructError(args, err));
        stacks.scrub(err, entryIf(Patched, args));
        throw err;
      } finally {
        stacks.restore(room);
      }
      guard(() => rec.created(ws, args, newTarget === Native ? undefined : subclassName(n, newTarget)));
      return ws;
    },
  }.__nativeText_WebSocket as unknown as typeof WebSocket;
  copyShape(n, Patched, Native);

  const nativeSend = n.send;
  // A method, not a Proxy: a Proxy's apply trap costs every call (measured: lightweight-mode sends went
  // from 1.17x to 1.03x), and send is the page's hot path. Like the native: name 'send', length 1, no
  // prototype, not a constructor; toString is cloaked like the others.
  const send = {
    __nativeText_send(this: unknown, data: unknown): void {
      const conn = rec.connOf(this);
      // a foreign `this` or no argument: the native's own TypeError
      // eslint-disable-next-line prefer-rest-params -- the native gets exactly the page's arguments; a rest parameter would change the length
      if (!conn || arguments.length === 0) return callNative(nativeSend, this, arguments, send) as void;
      if (typeof data === 'string' && conn.state !== 0 && conn.icpt === undefined) {
        // the hot path: a string on a socket past CONNECTING cannot make send() throw; inline try/catch,
        // no closures (no allocation per call); interception takes the other path
        if (!conn.listening) {
          // lightweight mode with no panel attached: messages are not recorded
          try { return sendCall(this, data); } catch (err) { stacks.scrub(err, send); throw err; }
        }
        let before = 0;
        try { before = n.readyState(this as WebSocket); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
        try {
          sendCall(this, data);
        } catch (err) {
          guard(() => rec.apiError(conn, 'send', err), conn);
          stacks.scrub(err, send);
          throw err;
        }
        try { rec.sent(conn, data, data, before); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
        return;
      }
      // everything else: values send() converts to text, binary, Blobs, and calls that may throw (still
      // CONNECTING, a Symbol, shared memory): room for our frame in the stack of whatever is thrown
      const room = stacks.widen();
      // past the page's toString: an error now comes from the native
      let converted = false;
      try {
        // a value send() would convert to text is converted here, once, so the log holds the exact text
        // (the page's toString runs once, as natively); anything else goes to the native exactly as given
        const value = rec.needsText(data) ? `${data as string}` : data;
        converted = true;
        let before = 0;
        try { before = n.readyState(this as WebSocket); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
        // interception (only on an open socket, for a value the native takes): recorded as the page sent it,
        // then decided — it goes now, later, changed, or not at all; send() returns at once either way
        const icpt = conn.icpt;
        if (icpt !== undefined && icpt.out !== undefined && before === 1 && !n.isSharedBuffer(value)) {
          let seq = -1;
          try { seq = rec.sent(conn, value, data, before); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
          try {
            intercept.send(conn, value as string | ArrayBuffer | Blob, seq);
          } catch {
            // interception failed before deciding: fail open, the message goes as the page sent it
            try { rec.failed(conn); } catch { /* no stack left */ }
            sendCall(this, value);
          }
          return;
        }
        sendCall(this, value);
        if (conn.listening) {
          try { rec.sent(conn, value, data, before); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
        }
      } catch (err) {
        guard(() => rec.apiError(conn, 'send', err), conn);
        stacks.scrub(err, converted ? send : undefined);
        throw err;
      } finally {
        stacks.restore(room);
      }
    },
  }.__nativeText_send;

  const nativeClose = n.close;
  // A method like send (name 'close', length 0 as natively).
  const close = {
    __nativeText_close(this: unknown): void {
      const conn = rec.connOf(this);
      // eslint-disable-next-line prefer-rest-params -- the native gets exactly the page's arguments; a rest parameter would change the length
      const args = arguments;
      if (!conn) return callNative(nativeClose, this, args, close) as void;
      // sent messages interception holds go first: the close waits behind them (arguments the browser
      // would refuse go to it at once, so it throws as natively)
      if (conn.icpt?.out !== undefined && validClose(n, args)) {
        let before = 0;
        try { before = n.readyState(this as WebSocket); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
        if (before === 1 && intercept.closeCall(conn, args)) {
          guard(() => rec.closed(conn, args, before), conn);
          return;
        }
      }
      // a code or reason the browser refuses throws: room for our frame then
      const room = args.length > 0 ? stacks.widen() : -1;
      let before = 0;
      try { before = n.readyState(this as WebSocket); } catch { try { rec.failed(conn); } catch { /* no stack left */ } }
      try {
        apply(nativeClose, this, args);
      } catch (err) {
        guard(() => rec.apiError(conn, 'close', err), conn);
        stacks.scrub(err, entryIf(close, args));
        throw err;
      } finally {
        stacks.restore(room);
      }
      guard(() => rec.closed(conn, args, before), conn);
    },
  }.__nativeText_close;
  copyNameAndLength(n, send, n.send);
  copyNameAndLength(n, close, n.close);

  replaceValue(n, proto, 'send', send);
  replaceValue(n, proto, 'close', close);
  replaceValue(n, proto, 'constructor', Patched);
  replaceValue(n, win, 'WebSocket', Patched);
  return { WebSocket: Patched, send, close };
}

/**
 * Give the replacement constructor the native's own properties, in the native's order and with its
 * descriptors (length, name, prototype — the same prototype object — and the static constants), and
 * its [[Prototype]] (EventTarget).
 */
export function copyShape(n: Natives, fn: Function, native: Function): void {
  const keys = n.Reflect.ownKeys(native);
  for (let i = 0; i < keys.length; i++) {
    const d = n.getOwnPropertyDescriptor(native, keys[i]!);
    if (d) n.defineProperty(fn, keys[i]!, d);
  }
  n.Reflect.setPrototypeOf(fn, n.Reflect.getPrototypeOf(native));
}

/** The native's name and length (already so after the build's renaming; also without it, as in unit tests). */
export function copyNameAndLength(n: Natives, fn: Function, native: Function): void {
  const length = n.getOwnPropertyDescriptor(native, 'length');
  const name = n.getOwnPropertyDescriptor(native, 'name');
  if (length) n.defineProperty(fn, 'length', length);
  if (name) n.defineProperty(fn, 'name', name);
}

/** close() arguments the browser accepts without converting anything: a code 1000 or 3000–4999, a short reason. */
function validClose(n: Natives, args: ArrayLike<unknown>): boolean {
  const code = argAt(args, 0);
  const reason = argAt(args, 1);
  if (args.length === 0) return true;
  if (typeof code !== 'number' || code % 1 !== 0 || (code !== 1000 && (code < 3000 || code > 4999))) return false;
  return args.length < 2 || (typeof reason === 'string' && utf8Length(reason, n.strCharCodeAt) <= 123);
}

/** The page's arguments with the first one mapped (length and the rest kept). */
export function withFirst(n: Natives, args: ArrayLike<unknown>, map: (v: unknown) => unknown): unknown[] {
  const out = n.list<unknown>();
  for (let i = 0; i < args.length; i++) out[i] = i === 0 ? map(args[i]) : args[i];
  return out;
}

/** Swap a data property's value, keeping its writable/enumerable/configurable flags. */
export function replaceValue(n: Natives, obj: object, key: string, value: unknown): void {
  const desc = n.getOwnPropertyDescriptor(obj, key);
  if (!desc || !('value' in desc)) return;
  n.defineProperty(obj, key, { ...desc, value });
}

/** Name of a page subclass, read without running its getters. */
export function subclassName(n: Natives, ctor: Function): string {
  const d = n.getOwnPropertyDescriptor(ctor, 'name');
  return d && typeof d.value === 'string' && d.value ? d.value : '(anonymous subclass)';
}
