// A hostile page's kit, for the hostile-* scenarios: after the hook installed (page scripts always run after
// it), replace every built-in the hook or the relay could touch with a spy that counts its calls — the
// methods of Array, Object, Map, Set, WeakMap, WeakSet, String, Function, Reflect, Math, JSON, Promise,
// EventTarget, MessagePort, typed arrays, ArrayBuffer, Blob, FileReader, URL …, the getters of events,
// ports, channels and sockets, the species getters a built-in asks when it copies (slice, subarray, then),
// setters on Array.prototype's first indexes, and accessors on Object.prototype for every field name the
// hook's records and messages use. What the page observes is the count of each call (what it was called
// on), so a call the extension makes shows as a difference from the run without it. In `throwing` mode each
// spy also throws when the page itself is not the caller. `freeze` freezes Object.prototype and
// Array.prototype afterwards (for good: a page can do that too).
//
// The kit uses only what it saved before patching, and never counts its own work.
(function () {
  'use strict';
  const apply = Reflect.apply;
  const construct = Reflect.construct;
  const defineProperty = Object.defineProperty;
  const gOPD = Object.getOwnPropertyDescriptor;
  const ownKeys = Reflect.ownKeys;
  const getPrototypeOf = Object.getPrototypeOf;
  const hasOwn = Object.hasOwn;
  const freeze = Object.freeze;
  const objectToString = Object.prototype.toString;
  const ObjectProto = Object.prototype;
  const ArrayProto = Array.prototype;
  const tagOf = (v) => apply(objectToString, v, []);

  /** Field names of the hook's records, events, batches, messages, descriptors and option bags. */
  const FIELD_NAMES = ['c', 'n', 'seq', 't', 'k', 'e', 'row', 'id', 'ws', 'data', 'type', 'src', 'v', 'hook', 'caps', 'restarting',
    'lightweight', 'cursors', 'op', 'req', 'cmd', 'code', 'reason', 'wasClean', 'batch', 'rows', 'cols', 'text', 'binary', 'events',
    'at', 'state', 'via', 'url', 'resolvedUrl', 'protocols', 'frameUrl', 'subclass', 'error', 'name', 'message', 'stack', 'by',
    'frames', 'initiator', 'simulated', 'truncated', 'result', 'ok', 'dir', 'size', 'aux', 'flags', 'as', 'buffer', 'offset',
    'get', 'set', 'value', 'writable', 'enumerable', 'configurable', 'apply', 'construct', 'has', 'ownKeys', 'toJSON', 'then',
    'transfer', 'targetOrigin', 'once', 'capture', 'passive', 'signal', 'bubbles', 'cancelable', 'composed', 'origin', 'lastEventId',
    'source', 'ports', 'endings', 'initial', 'maximum', 'shared', 'index', 'address', 'done', 'next', 'handleEvent'];
  /** Keys that make an object look like one of the hook's own. */
  const HOOK_KEYS = ['c', 'seq', 'k', 'src', 'hook', 'cols', 'rows', 'cursors', 'op', 'caps', 'e', 'row', 'ws', 'pending', 'log'];

  const state = { recording: false, throwing: false, inPage: 0, busy: false };
  let counts = Object.create(null);
  const patches = [];

  /** What a call was made on: a kind, and "hook-like" when it carries the hook's field names or a port. */
  const kindOf = (v) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return typeof v === 'string' && v.length > 3 && v[0] === 'w' && v[1] === 's' && v[2] === 'i' ? 'wsi-string' : typeof v;
    const tag = tagOf(v);
    if (tag === '[object MessagePort]') return 'MessagePort!';
    const proto = getPrototypeOf(v);
    if (proto === null || proto === ObjectProto || proto === ArrayProto) {
      for (let i = 0; i < HOOK_KEYS.length; i++) if (hasOwn(v, HOOK_KEYS[i])) return tag + '!';
      if (proto === null) return 'null-proto ' + tag + '!';
    }
    return tag;
  };

  /** Count a call of `name` on `self` with `args`; in throwing mode, throw unless the page is the caller. */
  function note(name, self, args) {
    if (!state.recording || state.busy) return;
    state.busy = true;
    let key;
    try {
      let suspicious = kindOf(self);
      for (let i = 0; i < args.length; i++) {
        const k = kindOf(args[i]);
        if (k[k.length - 1] === '!' || k === 'wsi-string') suspicious = k;
      }
      key = name + ' on ' + suspicious;
      counts[key] = (counts[key] | 0) + 1;
    } finally {
      state.busy = false;
    }
    if (state.throwing && state.inPage === 0) {
      counts[key + ' (threw)'] = (counts[key + ' (threw)'] | 0) + 1;
      throw new Error('hostile page: ' + name);
    }
  }

  function patch(obj, key, desc) {
    const old = gOPD(obj, key);
    if (old && !old.configurable) return;
    defineProperty(obj, key, desc);
    patches[patches.length] = { obj, key, old };
  }

  /** Replace a method with a counting one (same flags). */
  function method(obj, key, label) {
    const d = gOPD(obj, key);
    if (!d || typeof d.value !== 'function') return;
    const orig = d.value;
    const name = label + '.' + (typeof key === 'symbol' ? '[' + key.description + ']' : key);
    const spy = function () {
      note(name, this, arguments);
      return new.target ? construct(orig, arguments, new.target) : apply(orig, this, arguments);
    };
    patch(obj, key, { __proto__: null, value: spy, writable: d.writable, enumerable: d.enumerable, configurable: true });
  }

  /** Replace an accessor with counting getter and setter (same flags). */
  function accessor(obj, key, label) {
    const d = gOPD(obj, key);
    if (!d || (!d.get && !d.set)) return;
    const name = label + '.' + (typeof key === 'symbol' ? '[' + key.description + ']' : key);
    const get = d.get, set = d.set;
    patch(obj, key, {
      __proto__: null, enumerable: d.enumerable, configurable: true,
      get: get ? function () { note(name + ' get', this, arguments); return apply(get, this, arguments); } : undefined,
      set: set ? function () { note(name + ' set', this, arguments); return apply(set, this, arguments); } : undefined,
    });
  }

  /** Every method and accessor of an object (its own properties). */
  function everything(obj, label) {
    if (!obj) return;
    const keys = ownKeys(obj);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'constructor' || key === 'prototype' || key === 'caller' || key === 'arguments') continue;
      const d = gOPD(obj, key);
      if (typeof d.value === 'function') method(obj, key, label);
      else if (d.get || d.set) accessor(obj, key, label);
    }
  }

  /** A property the hook's objects must never reach: an accessor on a prototype, counting gets and sets. */
  function trap(obj, key, label) {
    if (hasOwn(obj, key)) return;
    const name = label + '.' + key;
    patch(obj, key, {
      __proto__: null, configurable: true, enumerable: false,
      get() { note(name + ' get', this, arguments); return undefined; },
      set(v) {
        note(name + ' set', this, arguments);
        defineProperty(this, key, { __proto__: null, value: v, writable: true, enumerable: true, configurable: true });
      },
    });
  }

  /** A data property (`constructor`) read through a counting getter that gives the same value. */
  function watchValue(obj, key, label) {
    const d = gOPD(obj, key);
    if (!d || !('value' in d) || !d.configurable) return;
    const value = d.value;
    const name = label + '.' + key;
    patch(obj, key, {
      __proto__: null, configurable: true, enumerable: d.enumerable,
      get() { note(name + ' get', this, arguments); return value; },
      set(v) { defineProperty(this, key, { __proto__: null, value: v, writable: true, enumerable: true, configurable: true }); },
    });
  }

  function install() {
    const typedArray = getPrototypeOf(Uint8Array);
    const protos = [
      [ArrayProto, 'Array.prototype'], [Array, 'Array'], [getPrototypeOf([][Symbol.iterator]()), 'ArrayIterator'],
      [ObjectProto, 'Object.prototype'], [Object, 'Object'],
      [Map.prototype, 'Map.prototype'], [Map, 'Map'], [Set, 'Set'], [Set.prototype, 'Set.prototype'], [WeakMap.prototype, 'WeakMap.prototype'],
      [WeakSet.prototype, 'WeakSet.prototype'], [WeakRef.prototype, 'WeakRef.prototype'],
      [String.prototype, 'String.prototype'], [String, 'String'], [Number.prototype, 'Number.prototype'], [Symbol.prototype, 'Symbol.prototype'],
      [Function.prototype, 'Function.prototype'], [Reflect, 'Reflect'], [Math, 'Math'], [JSON, 'JSON'],
      [Promise.prototype, 'Promise.prototype'], [Promise, 'Promise'],
      [EventTarget.prototype, 'EventTarget.prototype'], [Event.prototype, 'Event.prototype'], [MessageEvent.prototype, 'MessageEvent.prototype'],
      [CloseEvent.prototype, 'CloseEvent.prototype'], [MessagePort.prototype, 'MessagePort.prototype'],
      [MessageChannel.prototype, 'MessageChannel.prototype'], [WebSocket.prototype, 'WebSocket.prototype'],
      [Performance.prototype, 'Performance.prototype'],
      [typedArray.prototype, 'TypedArray.prototype'], [typedArray, 'TypedArray'], [Uint8Array.prototype, 'Uint8Array.prototype'],
      [DataView.prototype, 'DataView.prototype'], [ArrayBuffer.prototype, 'ArrayBuffer.prototype'], [ArrayBuffer, 'ArrayBuffer'],
      [Blob.prototype, 'Blob.prototype'], [FileReader.prototype, 'FileReader.prototype'], [URL.prototype, 'URL.prototype'], [URL, 'URL'],
      [TextEncoder.prototype, 'TextEncoder.prototype'], [TextDecoder.prototype, 'TextDecoder.prototype'],
      [Error, 'Error'], [Error.prototype, 'Error.prototype'], [DOMException.prototype, 'DOMException.prototype'],
      [RegExp.prototype, 'RegExp.prototype'], [Location.prototype, 'Location.prototype'],
    ];
    for (let i = 0; i < protos.length; i++) everything(protos[i][0], protos[i][1]);
    // the window's own functions the hook could call: timers, postMessage, queueMicrotask, structuredClone
    const timers = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'postMessage', 'structuredClone',
      'requestAnimationFrame', 'addEventListener', 'removeEventListener', 'dispatchEvent'];
    for (let i = 0; i < timers.length; i++) method(window, timers[i], 'window');
    // species and constructor lookups: what slice, subarray, then, map … ask of the object they copy
    const ctors = [[Promise.prototype, 'Promise'], [ArrayBuffer.prototype, 'ArrayBuffer'], [typedArray.prototype, 'TypedArray'],
      [Uint8Array.prototype, 'Uint8Array'], [Uint16Array.prototype, 'Uint16Array'], [Uint32Array.prototype, 'Uint32Array'],
      [Float64Array.prototype, 'Float64Array'], [ArrayProto, 'Array'], [Map.prototype, 'Map'], [RegExp.prototype, 'RegExp']];
    for (let i = 0; i < ctors.length; i++) watchValue(ctors[i][0], 'constructor', ctors[i][1] + '.prototype');
    // indexed setters on Array.prototype: an index write into an array that lacks it reaches them
    for (let i = 0; i < 8; i++) trap(ArrayProto, String(i), 'Array.prototype');
    // every field name of the hook's records and messages, on Object.prototype
    for (let i = 0; i < FIELD_NAMES.length; i++) trap(ObjectProto, FIELD_NAMES[i], 'Object.prototype');
  }

  function uninstall() {
    state.recording = false;
    for (let i = patches.length - 1; i >= 0; i--) {
      const p = patches[i];
      if (p.old) defineProperty(p.obj, p.key, p.old);
      else delete p.obj[p.key];
    }
    patches.length = 0;
  }

  /**
   * Wait without the page's promises asking anything the kit patched: an `await` of a native promise reads
   * its `constructor`, and a resolution with an object reads its `then`; an await of an object with its own
   * `then`, resolved with nothing, reads neither. `setup(done)` runs as the page's own code.
   */
  const waitFor = (setup) => ({ __proto__: null, then(resolve) { hostile.page(() => setup(() => resolve())); } });

  let warm = null;

  /** Before anything is patched: one socket open and echoing (the test attaches the panel meanwhile). */
  async function prepare(env, tag) {
    warm = new WebSocket(env.ws + '/echo?hostile=' + tag + '-warm');
    await new Promise((r) => { warm.onopen = r; });
    warm.send('warm');
    await new Promise((r) => { warm.onmessage = r; });
  }

  /**
   * With everything patched: a socket used as pages do — texts (one that looks like the hook's records),
   * binary of each kind as arraybuffer, a Blob, then binaryType blob, the errors send(), close() and the
   * constructor throw, and a close with a code and reason — and what the page saw of it.
   */
  async function exercise(env, tag, opts) {
    const P = hostile.page;
    await null; // the runner's own calls (catch, race, setTimeout) are done before anything is patched
    hostile.arm(opts);
    const seen = [];
    const errors = [];
    let ws;
    let onData = null;
    const record = (d) => {
      if (typeof d === 'string') seen[seen.length] = 'text:' + d;
      else if (d instanceof ArrayBuffer) seen[seen.length] = 'bytes:' + new Uint8Array(d).join(',');
      else if (d instanceof Blob) {
        const reader = new FileReader();
        reader.onload = () => P(() => { seen[seen.length] = 'blob:' + new Uint8Array(reader.result).join(','); if (onData) onData(); });
        reader.readAsArrayBuffer(d);
        return;
      }
      if (onData) onData();
    };
    // V8 formats a stack with the page's prepareStackTrace when the page reads it, not before: errors the
    // page never reads must not call it
    let prepared = 0;
    P(() => {
      Error.prepareStackTrace = () => { prepared++; return 'prepared'; };
      try { new WebSocket('ftp://127.0.0.1/'); } catch (e) { errors[errors.length] = e.name; }
      try { WebSocket(env.ws + '/echo'); } catch (e) { errors[errors.length] = e.name; }
      ws = new WebSocket(env.ws + '/echo?hostile=' + tag);
      try { ws.send('too early'); } catch (e) { errors[errors.length] = e.name; }
      try { ws.send(); } catch (e) { errors[errors.length] = e.name; }
      try { ws.send(Symbol('s')); } catch (e) { errors[errors.length] = e.name; }
      try { WebSocket.prototype.send.call({}, 'x'); } catch (e) { errors[errors.length] = e.name; }
      try { WebSocket.prototype.close.call({}); } catch (e) { errors[errors.length] = e.name; }
      delete Error.prepareStackTrace;
      ws.binaryType = 'arraybuffer';
      ws.onmessage = (e) => P(() => record(e.data));
    });
    await waitFor((done) => { ws.onopen = done; });
    const texts = ['plain', 'non-ASCII é ✓ 😀', '{"c":"x.0","seq":1,"k":"frame","src":"wsi-hook","type":"batch"}', '[[[[[]]]]]'];
    const expectEchoes = (n) => waitFor((done) => {
      onData = () => { if (seen.length >= n) { onData = null; done(); } };
      onData();
    });
    P(() => {
      for (let i = 0; i < texts.length; i++) ws.send(texts[i]);
      const buf = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]).buffer;
      ws.send(buf);
      ws.send(new Uint8Array(buf, 2, 3));
      ws.send(new DataView(buf, 5, 2));
      ws.send(new Int16Array([-2, 300]));
      ws.send(new Blob(['blob ', 'parts']));
      ws.send(42);
      ws.send({ toString() { return 'from toString'; } });
    });
    await expectEchoes(11);
    P(() => {
      ws.binaryType = 'blob';
      ws.send(new Uint8Array([7, 7, 7]));
      ws.send(new Blob(['as blob']));
    });
    await expectEchoes(13);
    const closed = waitFor((done) => {
      ws.onclose = (e) => P(() => { seen[seen.length] = 'close:' + e.code + ' ' + e.reason + ' ' + e.wasClean; done(); });
    });
    P(() => {
      try { ws.close(5); } catch (e) { errors[errors.length] = e.name; }
      ws.close(4000, 'bye');
      warm.close();
    });
    await closed;
    const calls = hostile.disarm();
    return { seen: seen.sort(), errors, prepared, readyState: ws.readyState, bufferedAmount: ws.bufferedAmount, calls };
  }

  window.hostile = {
    /** Patch everything and start counting (and throwing, in throwing mode). */
    arm(opts) {
      state.throwing = !!(opts && opts.throwing);
      install();
      state.recording = true;
      if (opts && opts.freeze) { freeze(ObjectProto); freeze(ArrayProto); }
    },
    /** Stop, restore what can be restored (a freeze cannot), and give the counts, sorted. */
    disarm() {
      state.recording = false;
      if (!Object.isFrozen(ObjectProto)) uninstall();
      const out = {};
      const keys = Object.keys(counts).sort();
      for (const k of keys) out[k] = counts[k];
      counts = Object.create(null);
      return out;
    },
    prepare,
    exercise,
    /** Run the page's own code: its calls of the patched built-ins are counted but never made to throw. */
    page(fn) {
      state.inPage++;
      try { return fn(); } finally { state.inPage--; }
    },
  };
})();
