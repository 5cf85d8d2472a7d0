// Helpers for conformance scenarios. Plain JS, loaded by the page before the scenario, so the test
// tooling never rewrites it. Everything returned must be JSON and the same on every run.
(function () {
  'use strict';
  const tag = (v) => Object.prototype.toString.call(v);
  const lib = {
    /** A worker's first answer: its message's data, or the error event it fired instead. */
    answer(w) {
      return new Promise((r) => {
        w.onmessage = (e) => r(e.data);
        w.onerror = (e) => r({ errorEvent: e.constructor.name, message: e.message });
      });
    },
    /** An error, as the page can observe it. */
    error(e) {
      if (e === undefined) return 'undefined';
      return {
        tag: tag(e), ctor: e && e.constructor && e.constructor.name, name: e && e.name,
        message: e && e.message, code: e && e.code, isDOMException: e instanceof DOMException,
      };
    },
    /** Run fn; report its value's shape or the error it threw. */
    attempt(fn) {
      try {
        const v = fn();
        return { ok: v === undefined ? 'undefined' : tag(v) };
      } catch (e) {
        return { threw: lib.error(e) };
      }
    },
    once(target, type) {
      return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
    },
    async open(url, protocols) {
      const ws = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols);
      await lib.once(ws, 'open');
      return ws;
    },
    closed(ws) {
      return ws.readyState === 3 ? Promise.resolve(null) : lib.once(ws, 'close');
    },
    sleep(ms) { return new Promise((r) => setTimeout(r, ms)); },
    /** Receive n messages (as the page sees them), with the event's readyState. */
    messages(ws, n) {
      return new Promise((resolve) => {
        const got = [];
        ws.addEventListener('message', function on(e) {
          got.push(e.data);
          if (got.length === n) { ws.removeEventListener('message', on); resolve(got); }
        });
      });
    },
    /** A payload as comparable JSON: strings as is, binary as byte arrays. */
    async bytes(data) {
      if (typeof data === 'string') return { string: data };
      if (data instanceof Blob) return { blob: Array.from(new Uint8Array(await data.arrayBuffer())), type: data.type };
      if (data instanceof ArrayBuffer) return { arraybuffer: Array.from(new Uint8Array(data)) };
      return { other: tag(data) };
    },
    /** Own property names and how each is defined (data/accessor, flags, value type). */
    descriptors(obj) {
      const out = {};
      for (const key of Reflect.ownKeys(obj)) {
        const d = Object.getOwnPropertyDescriptor(obj, key);
        const flags = (d.enumerable ? 'e' : '-') + (d.configurable ? 'c' : '-');
        out[String(key)] = 'value' in d
          ? `data ${d.writable ? 'w' : '-'}${flags} ${typeof d.value}`
          : `accessor ${d.get ? 'get' : '-'} ${d.set ? 'set' : '-'} ${flags}`;
      }
      return out;
    },
    /** What a function looks like from outside. */
    fn(f) {
      return {
        typeof: typeof f, name: f.name, length: f.length, toString: Function.prototype.toString.call(f),
        ownToString: String(f), hasPrototype: 'prototype' in f, descriptors: lib.descriptors(f),
      };
    },
  };
  window.lib = lib;
  // where the test server is; `run` tells runs apart for servers that keep state per run
  window.env = {
    origin: location.origin,
    ws: location.origin.replace(/^http/, 'ws'),
    run: new URLSearchParams(location.search).get('run') || '',
  };
})();
