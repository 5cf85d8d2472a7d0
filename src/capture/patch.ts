/**
 * Installs the observation points on one window's WebSocket, keeping it
 * indistinguishable from the native one:
 *
 * - `window.WebSocket` becomes a Proxy of the native constructor with only a
 *   `construct` trap: name, length, statics, prototype, `instanceof`,
 *   subclassing (new.target is forwarded) and calling without `new` all behave
 *   natively, and the object the page gets IS the native socket.
 * - `send` becomes a method with the native's name and length (no prototype,
 *   not a constructor), `close` a Proxy of the native (apply trap): their
 *   property descriptors stay native. send is a method because it is the hot
 *   path and a Proxy's apply trap costs every call.
 * - `WebSocket.prototype.constructor` points at the Proxy, so
 *   `ws.constructor === WebSocket` still holds.
 * - toString of each replacement prints the original's text (cloak.ts).
 *
 * Errors the browser throws reach the page unchanged (same object); the hook's
 * own work runs inside `guard` and can never throw into the page.
 */
import type { Cloak } from './cloak';
import type { Natives } from './natives';
import type { Recorder } from './recorder';

const guard = (fn: () => void): void => {
  try { fn(); } catch { /* the page must never see the hook fail */ }
};

export function patchWebSocket(win: typeof globalThis, n: Natives, rec: Recorder, cloak: Cloak): void {
  const Native = n.WebSocket;
  const proto = Native.prototype;
  const { apply, construct } = n.Reflect;
  const sendCall = n.sendCall;

  const Patched = new Proxy(Native, {
    construct(target, args: unknown[], newTarget: Function) {
      let ws: WebSocket;
      try {
        ws = construct(target, args, newTarget) as WebSocket;
      } catch (err) {
        guard(() => rec.constructError(args, err));
        throw err;
      }
      guard(() => rec.created(ws, args, newTarget === Patched ? undefined : subclassName(n, newTarget)));
      return ws;
    },
  });

  const nativeSend = n.send;
  // A method, not a Proxy: a Proxy's apply trap costs every call (measured: lightweight-mode sends went
  // from 1.17x to 1.03x), and send is the page's hot path. Like the native: name 'send', length 1, no
  // prototype, not a constructor; toString is cloaked like the others.
  const send = {
    send(this: unknown, data: unknown): void {
      const conn = rec.connOf(this);
      // eslint-disable-next-line prefer-rest-params -- the native gets exactly the page's arguments; a rest parameter would change send.length
      if (!conn || arguments.length === 0) return apply(nativeSend, this, arguments as unknown as unknown[]) as void;
      if (!conn.listening) {
        // lightweight mode with no panel attached: messages are not recorded, errors are
        try {
          return sendCall(this, data);
        } catch (err) {
          guard(() => rec.apiError(conn, 'send', err));
          throw err;
        }
      }
      let coerced: unknown;
      try {
        // conversion to string is done once, here, so the log holds the exact text (see Recorder.coerce);
        // a throwing toString is the page's own error and reaches it as it would natively
        coerced = rec.coerce(data);
      } catch (err) {
        guard(() => rec.apiError(conn, 'send', err));
        throw err;
      }
      // the hot path: try/catch inline rather than `guard` closures (no allocation per call)
      let before = 0;
      try { before = n.readyState(this as WebSocket); } catch { /* never reach the page */ }
      try {
        // one argument: WebIDL ignores (and never converts) extra ones
        sendCall(this, coerced);
      } catch (err) {
        guard(() => rec.apiError(conn, 'send', err));
        throw err;
      }
      try { rec.sent(conn, coerced, data, before); } catch { /* never reach the page */ }
    },
  }.send;

  const close = new Proxy(n.close, {
    apply(target, self: unknown, args: unknown[]) {
      const conn = rec.connOf(self);
      if (!conn) return apply(target, self, args);
      let before = 0;
      guard(() => { before = n.readyState(self as WebSocket); });
      try {
        apply(target, self, args);
      } catch (err) {
        guard(() => rec.apiError(conn, 'close', err));
        throw err;
      }
      guard(() => rec.closed(conn, args, before));
      return undefined;
    },
  });

  replaceValue(n, proto, 'send', send);
  replaceValue(n, proto, 'close', close);
  replaceValue(n, proto, 'constructor', Patched);
  replaceValue(n, win, 'WebSocket', Patched);
  cloak.hide(Patched, Native);
  cloak.hide(send, n.send);
  cloak.hide(close, n.close);
}

/** Swap a data property's value, keeping its writable/enumerable/configurable flags. */
function replaceValue(n: Natives, obj: object, key: string, value: unknown): void {
  const desc = n.getOwnPropertyDescriptor(obj, key);
  if (!desc || !('value' in desc)) return;
  n.defineProperty(obj, key, { ...desc, value });
}

/** Name of a page subclass, read without running its getters. */
function subclassName(n: Natives, ctor: Function): string {
  const d = n.getOwnPropertyDescriptor(ctor, 'name');
  return d && typeof d.value === 'string' && d.value ? d.value : '(anonymous subclass)';
}
