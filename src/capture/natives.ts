/**
 * References to the browser's own functions, taken once when the hook starts
 * (document_start, before any page script). The hook calls only these, so a
 * page that later patches Blob, setTimeout or addEventListener can neither
 * break capture nor see the hook's calls.
 */
export type Natives = ReturnType<typeof takeNatives>;

function getter<T>(proto: object, name: string): (this: T) => unknown {
  return Object.getOwnPropertyDescriptor(proto, name)!.get as (this: T) => unknown;
}

/**
 * A test for SharedArrayBuffers that costs nothing until it is first needed: the byteLength getter of
 * SharedArrayBuffer comes from the global when the page is cross-origin isolated, else from a shared
 * WebAssembly memory (shared buffers exist there too, without the global) made on first use, with
 * functions taken now, before page scripts run.
 */
function sharedBufferTest(win: typeof globalThis, uncurry: Uncurry) {
  const fromGlobal = win.SharedArrayBuffer ? Object.getOwnPropertyDescriptor(win.SharedArrayBuffer.prototype, 'byteLength')?.get : undefined;
  const Memory = win.WebAssembly?.Memory;
  const memoryBuffer = Memory ? Object.getOwnPropertyDescriptor(Memory.prototype, 'buffer')?.get : undefined;
  const getPrototypeOf = Object.getPrototypeOf;
  const getOwn = Object.getOwnPropertyDescriptor;
  let byteLength: ((b: unknown) => number) | null | undefined = fromGlobal ? uncurry(fromGlobal) as (b: unknown) => number : undefined;
  const find = (): ((b: unknown) => number) | null => {
    try {
      // the descriptor without a prototype: the page may have put getters on Object.prototype for the fields it lacks
      const buffer = uncurry(memoryBuffer!)(new Memory!({ __proto__: null, initial: 0, maximum: 0, shared: true } as WebAssembly.MemoryDescriptor)) as object;
      const get = getOwn(getPrototypeOf(buffer) as object, 'byteLength')?.get;
      return get ? uncurry(get) as (b: unknown) => number : null;
    } catch {
      return null;
    }
  };
  // what is not a SharedArrayBuffer answers without an exception (a thrown and caught error costs
  // microseconds: every send() under interception asked): non-objects, views, and ArrayBuffers
  const isView = win.ArrayBuffer.isView;
  const plainLength = uncurry(getter<ArrayBuffer>(win.ArrayBuffer.prototype, 'byteLength')) as (b: unknown) => number;
  /** true when the value is a SharedArrayBuffer (of any realm) */
  return (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null || isView(v)) return false;
    try { plainLength(v); return false; } catch { /* not an ArrayBuffer of this realm */ }
    if (byteLength === undefined) byteLength = memoryBuffer ? find() : null;
    if (!byteLength) return false;
    try { byteLength(v); return true; } catch { return false; }
  };
}

type Uncurry = <F extends (...a: never[]) => unknown>(f: F) => (self: unknown, ...args: Parameters<F>) => ReturnType<F>;

/**
 * bind(call) turns a method into f(thisArg, ...args) without touching .call on the page's objects; bind and
 * call are the ones of install time (some are made later, e.g. the shared-memory test's).
 */
function uncurryWith(win: typeof globalThis): Uncurry {
  const call = win.Function.prototype.call;
  const bind = win.Function.prototype.bind;
  const apply = win.Reflect.apply;
  return <F extends (...a: never[]) => unknown>(f: F) =>
    apply(bind, call, [f]) as unknown as (self: unknown, ...args: Parameters<F>) => ReturnType<F>;
}

/**
 * getOwnPropertyDescriptor whose answer has no prototype: reading a field a descriptor lacks (`get` of a
 * data property, `value` of an accessor) would reach Object.prototype, where a page may have put a getter,
 * and handing it back to defineProperty would read those too.
 */
function ownDescriptor(win: typeof globalThis) {
  const gOPD = win.Object.getOwnPropertyDescriptor;
  const setPrototypeOf = win.Object.setPrototypeOf;
  return (o: object, key: PropertyKey): PropertyDescriptor | undefined => {
    const d = gOPD(o, key);
    return d ? setPrototypeOf(d, null) as PropertyDescriptor : undefined;
  };
}

/**
 * What the hook's data structures (frame-log.ts, batch-writer.ts) use: typed arrays and their copying,
 * strings, and arrays the page's prototypes cannot reach. Separate from the rest so they run in unit tests.
 */
export function takeDataNatives(win: typeof globalThis) {
  const uncurry = uncurryWith(win);
  const typedArrayProto = Object.getPrototypeOf(win.Uint8Array.prototype) as object;
  const setPrototypeOf = win.Object.setPrototypeOf;
  const create = win.Object.create;
  const typedSet = uncurry((typedArrayProto as Uint8Array).set) as unknown as (target: ArrayBufferView, source: ArrayBufferView, offset: number) => void;
  const typedBuffer = uncurry(getter(typedArrayProto, 'buffer')) as (v: ArrayBufferView) => ArrayBuffer;
  const typedOffset = uncurry(getter(typedArrayProto, 'byteOffset')) as (v: ArrayBufferView) => number;
  const typedTag = uncurry(getter(typedArrayProto, Symbol.toStringTag as unknown as string)) as (v: unknown) => string | undefined;
  const U8 = win.Uint8Array;
  // a Latin-1 decoder, made at its first use (interception's hex of a binary message) from what is taken now
  const Decoder = win.TextDecoder as typeof TextDecoder | undefined;
  const decode = Decoder ? uncurry(Decoder.prototype.decode) as (d: TextDecoder, b: Uint8Array) => string : undefined;
  let latin1Decoder: TextDecoder | undefined;
  // the typed array classes the hook's columns use, by tag (for views over a part of one)
  const classes = create(null) as Record<string, { new (b: ArrayBuffer, offset: number, length: number): ArrayBufferView; BYTES_PER_ELEMENT: number }>;
  classes.Float64Array = win.Float64Array;
  classes.Uint32Array = win.Uint32Array;
  classes.Uint16Array = win.Uint16Array;
  classes.Uint8Array = U8;
  return {
    Float64Array: win.Float64Array,
    Uint32Array: win.Uint32Array,
    Uint16Array: win.Uint16Array,
    Uint8Array: win.Uint8Array,
    ArrayBuffer: win.ArrayBuffer,
    /** target.set(source, offset) for any typed arrays */
    typedSet,
    /**
     * Elements [begin, end) of one of the hook's typed arrays, as a view of the same memory. Not subarray():
     * it asks the array's `constructor` (and its Symbol.species) for the class of the result, and the page
     * can answer with its own getter — reaching the hook's columns.
     */
    typedPart: <T extends ArrayBufferView>(a: T, begin: number, end: number): T => {
      const C = classes[typedTag(a)!]!;
      return new C(typedBuffer(a), typedOffset(a) + begin * C.BYTES_PER_ELEMENT, end - begin) as T;
    },
    /** throws unless the value is an ArrayBuffer (of any realm) */
    arrayBufferByteLength: uncurry(getter<ArrayBuffer>(win.ArrayBuffer.prototype, 'byteLength')) as (b: unknown) => number,
    /**
     * A copy of bytes [begin, end) of a buffer (an ArrayBuffer or shared memory), into a new ArrayBuffer. Not
     * ArrayBuffer's slice(), which asks the buffer's `constructor` for the class of the copy (the page can
     * answer with its own getter, and hand back a buffer it keeps).
     */
    copyBytes: (b: ArrayBuffer, begin: number, end: number): ArrayBuffer => {
      const copy = new U8(end - begin);
      typedSet(copy, new U8(b, begin, end - begin), 0);
      return typedBuffer(copy);
    },
    /** Bytes as one flat string, a character per byte (ASCII text built as bytes: much cheaper than concatenating); undefined without TextDecoder */
    latin1: decode ? (b: Uint8Array): string => decode(latin1Decoder ??= new Decoder!('latin1'), b) : undefined,
    strCharCodeAt: uncurry(win.String.prototype.charCodeAt) as (s: string, i: number) => number,
    strIndexOf: uncurry(win.String.prototype.indexOf) as (s: string, search: string, from: number) => number,
    strSlice: uncurry(win.String.prototype.slice) as (s: string, start: number, end: number) => string,
    hasOwn: win.Object.hasOwn as (o: object, key: PropertyKey) => boolean,
    strToLowerCase: uncurry(win.String.prototype.toLowerCase) as (s: string) => string,
    /** RegExp.prototype.exec on a regex made by `regex` (below) */
    regexExec: uncurry(win.RegExp.prototype.exec) as (re: RegExp, s: string) => RegExpExecArray | null,
    /**
     * A regular expression without a prototype: the builtins then read no `exec`, `flags` or `global` a
     * page may have put on RegExp.prototype, and never hand it our pattern. Throws on a bad pattern.
     */
    regex: (source: string, flags: string): RegExp => setPrototypeOf(new win.RegExp(source, flags), null) as RegExp,
    jsonParse: win.JSON.parse as (text: string, reviver: (this: unknown, key: string, value: unknown) => unknown) => unknown,
    jsonStringify: win.JSON.stringify as (value: unknown) => string | undefined,
    ownKeys: win.Reflect.ownKeys,
    isArray: win.Array.isArray,
    /**
     * An empty array without a prototype: index writes and reads never reach Array.prototype (a page may
     * put setters there) and it has no methods to patch. Only `length` and indexes are used on it.
     */
    list: <T>(): T[] => setPrototypeOf([], null) as T[],
    /** An empty object without a prototype: a lookup of a missing key finds nothing the page put on Object.prototype. */
    dict: <T>(): Record<string, T> => create(null) as Record<string, T>,
  };
}

export function takeNatives(win: typeof globalThis) {
  const WS = win.WebSocket;
  const proto = WS.prototype;
  const typedArrayProto = Object.getPrototypeOf(win.Uint8Array.prototype) as object;
  const uncurry = uncurryWith(win);

  return {
    ...takeDataNatives(win),
    WebSocket: WS,
    send: proto.send,
    /** send(ws, data) with exactly one argument (extra arguments are ignored natively anyway) */
    sendCall: uncurry(proto.send) as (ws: unknown, data: unknown) => void,
    close: proto.close,
    readyState: uncurry(getter<WebSocket>(proto, 'readyState')) as (ws: WebSocket) => number,
    bufferedAmount: uncurry(getter<WebSocket>(proto, 'bufferedAmount')) as (ws: WebSocket) => number,
    url: uncurry(getter<WebSocket>(proto, 'url')) as (ws: WebSocket) => string,
    protocol: uncurry(getter<WebSocket>(proto, 'protocol')) as (ws: WebSocket) => string,
    extensions: uncurry(getter<WebSocket>(proto, 'extensions')) as (ws: WebSocket) => string,
    binaryType: uncurry(getter<WebSocket>(proto, 'binaryType')) as (ws: WebSocket) => string,
    addEventListener: uncurry(win.EventTarget.prototype.addEventListener) as
      (t: EventTarget, type: string, fn: (e: Event) => void, capture?: boolean) => void,
    removeEventListener: uncurry(win.EventTarget.prototype.removeEventListener) as
      (t: EventTarget, type: string, fn: (e: Event) => void) => void,
    /** isTrusted is an unforgeable own property of each event: the page cannot redefine it */
    eventIsTrusted: (e: Event): boolean => e.isTrusted,
    eventType: uncurry(getter<Event>(win.Event.prototype, 'type')) as (e: Event) => string,
    eventTarget: uncurry(getter<Event>(win.Event.prototype, 'currentTarget')) as (e: Event) => EventTarget | null,
    messageData: uncurry(getter<MessageEvent>(win.MessageEvent.prototype, 'data')) as (e: MessageEvent) => unknown,
    closeCode: uncurry(getter<CloseEvent>(win.CloseEvent.prototype, 'code')) as (e: CloseEvent) => number,
    closeReason: uncurry(getter<CloseEvent>(win.CloseEvent.prototype, 'reason')) as (e: CloseEvent) => string,
    closeWasClean: uncurry(getter<CloseEvent>(win.CloseEvent.prototype, 'wasClean')) as (e: CloseEvent) => boolean,
    /** throws unless the value is a SharedArrayBuffer; undefined where shared memory does not exist */
    isSharedBuffer: sharedBufferTest(win, uncurry),
    isView: win.ArrayBuffer.isView,
    typedArrayBuffer: uncurry(getter(typedArrayProto, 'buffer')) as (v: unknown) => ArrayBuffer,
    typedArrayOffset: uncurry(getter(typedArrayProto, 'byteOffset')) as (v: unknown) => number,
    typedArrayLength: uncurry(getter(typedArrayProto, 'byteLength')) as (v: unknown) => number,
    typedArrayTag: uncurry(getter(typedArrayProto, Symbol.toStringTag as unknown as string)) as (v: unknown) => string | undefined,
    dataViewBuffer: uncurry(getter(win.DataView.prototype, 'buffer')) as (v: unknown) => ArrayBuffer,
    dataViewOffset: uncurry(getter(win.DataView.prototype, 'byteOffset')) as (v: unknown) => number,
    dataViewLength: uncurry(getter(win.DataView.prototype, 'byteLength')) as (v: unknown) => number,
    /** throws unless the value is a Blob */
    blobSize: uncurry(getter<Blob>(win.Blob.prototype, 'size')) as (b: unknown) => number,
    blobSlice: uncurry(win.Blob.prototype.slice) as (b: Blob, s: number, e: number) => Blob,
    /**
     * Read a Blob's bytes. With a FileReader, not blob.arrayBuffer(): a promise's then() asks the promise's
     * `constructor` (and its species), and resolving it with the bytes asks them for a `then` — each a place
     * where the page's getters would be handed the hook's promise or copy.
     */
    readBlob: ((FileReader, readAs, onload, onerror, result) => (b: Blob, ok: (buf: ArrayBuffer) => void, fail: () => void): void => {
      const reader = new FileReader();
      onload(reader, () => ok(result(reader) as ArrayBuffer));
      onerror(reader, fail);
      readAs(reader, b);
    })(win.FileReader, uncurry(win.FileReader.prototype.readAsArrayBuffer) as (r: FileReader, b: Blob) => void,
      uncurry(Object.getOwnPropertyDescriptor(win.FileReader.prototype, 'onload')!.set!) as (r: FileReader, fn: () => void) => void,
      uncurry(Object.getOwnPropertyDescriptor(win.FileReader.prototype, 'onerror')!.set!) as (r: FileReader, fn: () => void) => void,
      uncurry(getter<FileReader>(win.FileReader.prototype, 'result')) as (r: FileReader) => unknown),

    setTimeout: win.setTimeout.bind(win),
    now: win.performance.now.bind(win.performance),
    timeOrigin: win.performance.timeOrigin,
    /** location.href is an unforgeable own property: reading it is safe from page patches */
    location: win.location,
    WeakMap: win.WeakMap,
    weakMapGet: uncurry(win.WeakMap.prototype.get) as <K extends object, V>(m: WeakMap<K, V>, k: K) => V | undefined,
    weakMapSet: uncurry(win.WeakMap.prototype.set) as <K extends object, V>(m: WeakMap<K, V>, k: K, v: V) => void,
    Error: win.Error,
    /** {name, message} of a DOMException (of any realm) through its native getters; undefined for anything else */
    domException: ((name, message) => (e: unknown): { name: string; message: string } | undefined => {
      try { return { name: name(e), message: message(e) }; } catch { return undefined; }
    })(uncurry(getter(win.DOMException.prototype, 'name')) as (e: unknown) => string,
      uncurry(getter(win.DOMException.prototype, 'message')) as (e: unknown) => string),
    Reflect: {
      construct: Reflect.construct, apply: Reflect.apply, getPrototypeOf: Reflect.getPrototypeOf,
      setPrototypeOf: Reflect.setPrototypeOf, ownKeys: Reflect.ownKeys,
    },
    /** at run time, only with descriptors without a prototype (`{ __proto__: null, … }` or getOwnPropertyDescriptor's) */
    defineProperty: Object.defineProperty,
    /** descriptors without a prototype (see ownDescriptor) */
    getOwnPropertyDescriptor: ownDescriptor(win),
    MessageChannel: win.MessageChannel,
    channelPort1: uncurry(getter<MessageChannel>(win.MessageChannel.prototype, 'port1')) as (c: MessageChannel) => MessagePort,
    channelPort2: uncurry(getter<MessageChannel>(win.MessageChannel.prototype, 'port2')) as (c: MessageChannel) => MessagePort,
    /** port.onmessage = fn (which also starts the port) */
    portOnMessage: uncurry(Object.getOwnPropertyDescriptor(win.MessagePort.prototype, 'onmessage')!.set!) as
      (p: MessagePort, fn: (e: MessageEvent) => void) => void,
    messageSource: uncurry(getter<MessageEvent>(win.MessageEvent.prototype, 'source')) as (e: MessageEvent) => unknown,
    messageOrigin: uncurry(getter<MessageEvent>(win.MessageEvent.prototype, 'origin')) as (e: MessageEvent) => string,
    postMessage: win.postMessage.bind(win),
    portPostMessage: uncurry(win.MessagePort.prototype.postMessage) as (p: MessagePort, m: unknown, t?: Transferable[]) => void,
    // ---- for DevTools actions (actions.ts): inject messages, simulate closes, find sockets by id ----
    dispatchEvent: uncurry(win.EventTarget.prototype.dispatchEvent) as (t: EventTarget, e: Event) => boolean,
    stopImmediatePropagation: uncurry(win.Event.prototype.stopImmediatePropagation) as (e: Event) => void,
    Event: win.Event,
    MessageEvent: win.MessageEvent,
    CloseEvent: win.CloseEvent,
    Blob: win.Blob,
    URL: win.URL,
    urlOrigin: uncurry(getter<URL>(win.URL.prototype, 'origin')) as (u: URL) => string,
    WeakRef: win.WeakRef,
    weakRefDeref: uncurry(win.WeakRef.prototype.deref) as (r: WeakRef<WebSocket>) => WebSocket | undefined,
    WeakSet: win.WeakSet,
    weakSetAdd: uncurry(win.WeakSet.prototype.add) as (s: WeakSet<object>, v: object) => void,
    weakSetHas: uncurry(win.WeakSet.prototype.has) as (s: WeakSet<object>, v: object) => boolean,
  };
}
