/**
 * Installs the observation points on one window's WebSocket, keeping it
 * indistinguishable from the native one:
 *
 * - `window.WebSocket` becomes a Proxy of the native constructor with only a
 *   `construct` trap: name, length, statics, prototype, `instanceof`,
 *   subclassing (new.target is forwarded) and calling without `new` all behave
 *   natively, and the object the page gets IS the native socket.
 * - `send` and `close` become Proxies of the native methods (apply trap), so
 *   their name, length and property descriptors stay native.
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

  const send = new Proxy(n.send, {
    apply(target, self: unknown, args: unknown[]) {
      const conn = rec.connOf(self);
      if (!conn || args.length === 0) return apply(target, self, args);
      if (!conn.listening) {
        // lightweight mode with no panel attached: messages are not recorded, errors are
        try {
          return apply(target, self, args);
        } catch (err) {
          guard(() => rec.apiError(conn, 'send', err));
          throw err;
        }
      }
      const original = args[0];
      let data: unknown;
      try {
        // conversion to string is done once, here, so the log holds the exact text (see Recorder.coerce);
        // a throwing toString is the page's own error and reaches it as it would natively
        data = rec.coerce(original);
      } catch (err) {
        guard(() => rec.apiError(conn, 'send', err));
        throw err;
      }
      let before = 0;
      guard(() => { before = n.readyState(self as WebSocket); });
      try {
        apply(target, self, data === original ? args : [data, ...args.slice(1)]);
      } catch (err) {
        guard(() => rec.apiError(conn, 'send', err));
        throw err;
      }
      guard(() => rec.sent(conn, data, original, before));
      return undefined;
    },
  });

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
