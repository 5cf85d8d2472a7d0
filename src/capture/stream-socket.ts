/**
 * WebSocketStream, observed like WebSocket (Chromium; other engines have none and are left alone).
 *
 * A stream socket's messages go through its `readable` and `writable`, which the page reads and writes
 * however it likes — a reader, `for await`, `pipeTo`, `pipeThrough` — and the browser moves chunks inside
 * a pipe where nothing can watch them. So the hook hands the page streams of its own that sit in front
 * of the native ones, one chunk at a time:
 * - `opened` (a getter: the same promise every time) resolves to an object with the native's own keys,
 *   in its order, whose `readable` is a ReadableStream that reads the native one only when the page asks
 *   (high-water mark 0: the page's backpressure is the native stream's) and whose `writable` is a
 *   WritableStream that writes each chunk to the native writer and waits for it (one at a time, as the
 *   native sink takes them). Cancel and abort reasons are handed to the native ones as they are (a
 *   WebSocketError's code and reason reach the server); errors of the native streams error the page's.
 * - `closed` is the native promise, observed; `close()` is recorded and then the native.
 * - The constructor is a function with the native's shape (as WebSocket's in patch.ts): the stream the
 *   page gets is the native object.
 * What differs, and why it is accepted: each chunk and `opened` reach the page one microtask later than
 * natively (a promise reaction in between); a page that defined `Object.prototype.then` sees it looked up
 * once more when `opened` resolves. The conformance scenario `websocketstream` checks the rest is identical.
 */
import type { StackCloak } from './error-stacks';
import type { Natives } from './natives';
import { copyNameAndLength, copyShape, replaceValue, subclassName, withFirst } from './patch';
import type { StreamConn, StreamRecords } from './stream-record';

const guard = (fn: () => void): void => {
  try { fn(); } catch { /* the page must never see the hook fail */ }
};

type Fn = Function;
/** Promise.prototype.then of the page's realm, as it was at install; the derived promise (a native one) */
type Then = (p: unknown, ok?: (v: unknown) => unknown, err?: (e: unknown) => unknown) => unknown;

/** The natives of streams, taken at install (before page scripts); undefined where there is no WebSocketStream. */
export function takeStreamNatives(win: typeof globalThis, n: Natives) {
  const g = win as unknown as Record<string, { prototype: object } | undefined>;
  const WSS = g.WebSocketStream as unknown as (Fn & { prototype: object }) | undefined;
  const RS = g.ReadableStream, WS = g.WritableStream, Reader = g.ReadableStreamDefaultReader, Writer = g.WritableStreamDefaultWriter;
  const RC = g.ReadableStreamDefaultController, WC = g.WritableStreamDefaultController, Err = g.WebSocketError;
  if (typeof WSS !== 'function' || !RS || !WS || !Reader || !Writer || !RC || !WC) return undefined;
  const gOPD = n.getOwnPropertyDescriptor;
  const value = (o: object, k: string) => gOPD(o, k)?.value as Fn;
  const getter = (o: object | undefined, k: string) => (o ? gOPD(o, k)?.get : undefined);
  const { apply } = n.Reflect;
  const then = value((win as unknown as { Promise: { prototype: object } }).Promise.prototype, 'then');
  return {
    WSS, proto: WSS.prototype,
    opened: gOPD(WSS.prototype, 'opened'), closed: getter(WSS.prototype, 'closed')!, url: getter(WSS.prototype, 'url')!,
    close: value(WSS.prototype, 'close'),
    ReadableStream: RS as unknown as new (source: object, strategy: object) => object,
    WritableStream: WS as unknown as new (sink: object, strategy?: object) => object,
    getReader: value(RS.prototype, 'getReader'), read: value(Reader.prototype, 'read'), cancel: value(Reader.prototype, 'cancel'),
    readerClosed: getter(Reader.prototype, 'closed')!,
    getWriter: value(WS.prototype, 'getWriter'), write: value(Writer.prototype, 'write'), writerClose: value(Writer.prototype, 'close'),
    abort: value(Writer.prototype, 'abort'), writerClosed: getter(Writer.prototype, 'closed')!,
    enqueue: value(RC.prototype, 'enqueue'), closeReadable: value(RC.prototype, 'close'), errorReadable: value(RC.prototype, 'error'),
    errorWritable: value(WC.prototype, 'error'),
    errorCode: getter(Err?.prototype, 'closeCode'), errorReason: getter(Err?.prototype, 'reason'),
    then: ((p, ok, err) => apply(then, p, [ok, err])) as Then,
    call: (f: Fn, self: unknown, args: unknown[]): unknown => apply(f, self, args),
  };
}

export interface PatchedStream { replaced: readonly (readonly [Function, Function])[] }

/** Replace `WebSocketStream`, its `opened` getter and `close` (see the top of this file). */
export function patchWebSocketStream(win: typeof globalThis, n: Natives, rec: StreamRecords, stacks: StackCloak,
  resolveUrl?: (url: unknown) => unknown): PatchedStream | undefined {
  const s = takeStreamNatives(win, n);
  if (!s || !s.opened?.get) return undefined;
  const Native = s.WSS;
  const nativeOpened = s.opened.get;
  const conns = new n.WeakMap<object, StreamConn>();
  const openedOf = new n.WeakMap<object, unknown>();
  const noop = () => {};

  /** Call a native as the page asked, its errors rethrown without the hook's frames. */
  const callNative = (fn: Fn, self: unknown, args: ArrayLike<unknown>): unknown => {
    const room = stacks.widen(2);
    try {
      return n.Reflect.apply(fn, self, args);
    } catch (err) {
      stacks.scrub(err);
      throw err;
    } finally {
      stacks.restore(room);
    }
  };

  const Patched = {
    __nativeText_WebSocketStream: function (this: unknown, _url: unknown): object {
      // eslint-disable-next-line prefer-rest-params -- the native gets exactly the page's arguments; a rest parameter would change the length
      const args = arguments;
      if (new.target === undefined) return callNative(Native, this, args) as object;
      const newTarget: Fn = new.target === (Patched as unknown) ? Native : new.target;
      let ws: object;
      const room = stacks.widen();
      try {
        ws = n.Reflect.construct(Native, resolveUrl ? withFirst(n, args, resolveUrl) : args, newTarget) as object;
      } catch (err) {
        guard(() => rec.constructError(args, err));
        stacks.scrub(err);
        throw err;
      } finally {
        stacks.restore(room);
      }
      guard(() => observe(ws, args, newTarget === Native ? undefined : subclassName(n, newTarget)));
      return ws;
    },
  }.__nativeText_WebSocketStream as unknown as Fn;
  copyShape(n, Patched, Native);

  /** Record the stream's life; make the `opened` the page will get. */
  function observe(ws: object, args: ArrayLike<unknown>, subclass: string | undefined): void {
    const conn = rec.created(args, s!.call(s!.url, ws, []) as string, subclass);
    n.weakMapSet(conns, ws, conn);
    const native = s!.call(nativeOpened, ws, []);
    const mine = s!.then(native, (info) => pageInfo(conn, info as object), (err) => {
      guard(() => rec.failed(conn));
      throw err;
    });
    // like the native promise, a rejection nobody handles is not reported (the page handles its own or not)
    s!.then(mine, undefined, noop);
    n.weakMapSet(openedOf, ws, mine);
    s!.then(s!.call(s!.closed, ws, []), (info) => {
      guard(() => rec.closed(conn, rec.ownData(info, 'closeCode'), rec.ownData(info, 'reason'), true));
    }, (err) => {
      guard(() => {
        const code = s!.errorCode ? tryCall(s!.errorCode, err) : undefined;
        const reason = s!.errorReason ? tryCall(s!.errorReason, err) : undefined;
        if (conn.state < 3) rec.failed(conn);
        rec.closed(conn, code, reason, false);
      });
    });
  }

  const tryCall = (f: Fn, self: unknown): unknown => {
    try { return s!.call(f, self, []); } catch { return undefined; }
  };

  /**
   * A native stream call made for the page from inside the hook's source or sink (which the page's own
   * write, cancel or abort runs synchronously): what it throws or rejects with carries no frame of the hook.
   * Our frames between the page and the native: this one and the source's or sink's method.
   */
  const forPage = (fn: Fn, self: unknown, args: unknown[]): unknown => {
    const room = stacks.widen(2);
    let p: unknown;
    try {
      p = n.Reflect.apply(fn, self, args);
    } catch (err) {
      stacks.scrub(err);
      throw err;
    } finally {
      stacks.restore(room);
    }
    return s!.then(p, undefined, (err) => {
      stacks.scrub(err);
      throw err;
    });
  };

  /** What `opened` resolves to for the page: the native's keys in its order, with the hook's streams in front of the native ones. */
  function pageInfo(conn: StreamConn, info: object): object {
    const keys = n.Reflect.ownKeys(info);
    const out = {};
    for (let i = 0; i < keys.length; i++) {
      const d = n.getOwnPropertyDescriptor(info, keys[i]!);
      if (!d) continue;
      if (keys[i] === 'readable' && 'value' in d) d.value = pageReadable(conn, d.value as object);
      else if (keys[i] === 'writable' && 'value' in d) d.value = pageWritable(conn, d.value as object);
      n.defineProperty(out, keys[i]!, d);
    }
    guard(() => rec.opened(conn, rec.ownData(info, 'protocol'), rec.ownData(info, 'extensions')));
    return out;
  }

  function pageReadable(conn: StreamConn, native: object): object {
    const reader = s!.call(s!.getReader, native, []);
    let done = false;
    const source = n.dict<unknown>();
    source.start = (controller: object) => {
      // the native stream errors (the connection failed): so does the page's, even while it is not reading
      s!.then(s!.call(s!.readerClosed, reader, []), undefined, (err) => {
        if (!done) { done = true; tryError(s!.errorReadable, controller, err); }
      });
    };
    source.pull = (controller: object) => s!.then(s!.call(s!.read, reader, []), (r) => {
      if (done) return;
      const value = rec.ownData(r, 'value');
      if (rec.ownData(r, 'done') === true) { done = true; s!.call(s!.closeReadable, controller, []); return; }
      guard(() => rec.message(conn, false, value));
      s!.call(s!.enqueue, controller, [value]);
    }, (err) => {
      if (!done) { done = true; tryError(s!.errorReadable, controller, err); }
    });
    source.cancel = (reason: unknown) => {
      done = true;
      guard(() => rec.closeCall(conn, closeCodeOf(reason), closeReasonOf(reason)));
      return forPage(s!.cancel, reader, [reason]);
    };
    const strategy = n.dict<unknown>();
    strategy.highWaterMark = 0;
    return new s!.ReadableStream(source, strategy);
  }

  function pageWritable(conn: StreamConn, native: object): object {
    const writer = s!.call(s!.getWriter, native, []);
    const sink = n.dict<unknown>();
    sink.start = (controller: object) => {
      s!.then(s!.call(s!.writerClosed, writer, []), undefined, (err) => tryError(s!.errorWritable, controller, err));
    };
    sink.write = (chunk: unknown) => {
      guard(() => rec.message(conn, true, chunk));
      return forPage(s!.write, writer, [chunk]);
    };
    sink.close = () => forPage(s!.writerClose, writer, []);
    sink.abort = (reason: unknown) => {
      guard(() => rec.closeCall(conn, closeCodeOf(reason), closeReasonOf(reason)));
      return forPage(s!.abort, writer, [reason]);
    };
    return new s!.WritableStream(sink);
  }

  const tryError = (errorFn: Fn, controller: object, err: unknown): void => {
    try { s!.call(errorFn, controller, [err]); } catch { /* already closed or errored */ }
  };
  const closeCodeOf = (reason: unknown): unknown => (s!.errorCode ? tryCall(s!.errorCode, reason) : undefined);
  const closeReasonOf = (reason: unknown): unknown => (s!.errorReason ? tryCall(s!.errorReason, reason) : undefined);

  // `opened`: the page's promise (the same one every time); a stream the hook did not see gets the native's
  const openedHolder = {
    get __nativeText_opened(): unknown {
      const mine = typeof this === 'object' && this !== null ? n.weakMapGet(openedOf, this as object) : undefined;
      return mine ?? callNative(nativeOpened, this, []);
    },
  };
  const openedKey = n.Reflect.ownKeys(openedHolder)[0]!;
  const opened = n.getOwnPropertyDescriptor(openedHolder, openedKey)!.get!;
  const nameOf = n.getOwnPropertyDescriptor(nativeOpened, 'name');
  if (nameOf) n.defineProperty(opened, 'name', nameOf);

  const nativeClose = s.close;
  const close = {
    __nativeText_close(this: unknown): void {
      // eslint-disable-next-line prefer-rest-params -- the native gets exactly the page's arguments
      const args = arguments;
      const conn = typeof this === 'object' && this !== null ? n.weakMapGet(conns, this as object) : undefined;
      if (!conn) { callNative(nativeClose, this, args); return; }
      const info = args.length > 0 ? args[0] : undefined;
      const room = stacks.widen();
      try {
        n.Reflect.apply(nativeClose, this, args);
      } catch (err) {
        guard(() => rec.apiError(conn, err));
        stacks.scrub(err);
        throw err;
      } finally {
        stacks.restore(room);
      }
      guard(() => rec.closeCall(conn, rec.ownData(info, 'closeCode'), rec.ownData(info, 'reason')));
    },
  }.__nativeText_close;
  copyNameAndLength(n, close, nativeClose);

  n.defineProperty(s.proto, 'opened', { ...s.opened, get: opened });
  replaceValue(n, s.proto, 'close', close);
  replaceValue(n, s.proto, 'constructor', Patched);
  replaceValue(n, win, 'WebSocketStream', Patched);
  return { replaced: [[Patched, Native], [opened, nativeOpened], [close, nativeClose]] };
}
