/**
 * The background's half of Firefox's deep capture of workers (src/workers/script-filter.ts), against a
 * fake webRequest: only scripts a page hook named are changed; a worker script request that comes before
 * its word waits for it, at most WAIT_MS; page scripts, a worker's own imports and nested workers never
 * wait; without fetch metadata only a word that came first counts; off means no listener at all; the
 * response keeps its bytes, with the hook in front, and anything that fails lets it through as it came.
 */
import { describe, expect, it } from 'vitest';
import { WAIT_MS, WORD_TTL_MS, WorkerScripts, type RequestDetails, type ResponseFilter, type WebRequestApi } from '../../src/workers/script-filter';
import { WORKER_SCRIPT } from '../../src/protocol/messages';

type Listener = (d: RequestDetails) => Promise<object> | undefined;

class FakeFilter implements ResponseFilter {
  ondata: ((e: { data: ArrayBuffer }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: (() => void) | null = null;
  out: Uint8Array[] = [];
  closed = false;
  write(d: ArrayBuffer | Uint8Array) { this.out.push(new Uint8Array(d instanceof Uint8Array ? d : d.slice(0))); }
  close() { this.closed = true; }
  /** the server's body, in chunks, then the end */
  respond(...chunks: string[]) {
    for (const c of chunks) this.ondata?.({ data: new TextEncoder().encode(c).buffer as ArrayBuffer });
    this.onstop?.();
  }
  text() { return new TextDecoder().decode(Buffer.concat(this.out)); }
}

function setup() {
  let listener: Listener | undefined;
  let t = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const filters = new Map<string, FakeFilter>();
  const api: WebRequestApi = {
    onBeforeSendHeaders: {
      addListener: (fn, filter, extra) => { listener = fn; expect(filter.types).toEqual(['script']); expect(extra).toEqual(['blocking', 'requestHeaders']); },
      removeListener: (fn) => { if (fn === listener) listener = undefined; },
    },
    filterResponseData: (id) => { const f = new FakeFilter(); filters.set(id, f); return f; },
  };
  const scripts = new WorkerScripts(api, 'HOOK', { now: () => t, setTimeout: (fn, ms) => timers.push({ at: t + ms, fn }) });
  let id = 0;
  const request = (url: string, dest: string | undefined, extra: Partial<RequestDetails> = {}) => {
    const d: RequestDetails = {
      requestId: String(++id), url, tabId: 1, frameId: 0, originUrl: 'https://app.test/page',
      ...(dest ? { requestHeaders: [{ name: 'Sec-Fetch-Dest', value: dest }] } : { requestHeaders: [] }), ...extra,
    };
    return { result: listener!(d), filter: () => filters.get(d.requestId) };
  };
  const word = (url: string, base = 1 << 22, tab = 1, frame = 0) => scripts.word(tab, frame, { type: WORKER_SCRIPT, url, hook: 'h1', base });
  const advance = (ms: number) => { t += ms; for (const x of timers.splice(0)) if (x.at <= t) x.fn(); else timers.push(x); };
  return { scripts, request, word, advance, hasListener: () => listener !== undefined };
}

const W = 'https://app.test/w.js';

describe('WorkerScripts', () => {
  it('off: no listener; on: one, for scripts only; off again: gone', () => {
    const s = setup();
    expect(s.hasListener()).toBe(false);
    s.scripts.setOn(true);
    expect(s.hasListener()).toBe(true);
    s.scripts.setOn(false);
    expect(s.hasListener()).toBe(false);
  });

  it('a word that came first: the response gets the hook in front, with the word\'s hook id and numbers, its own bytes after', () => {
    const s = setup();
    s.scripts.setOn(true);
    s.word(W, 2 << 22);
    const r = s.request(W, 'worker');
    expect(r.result).toBeUndefined(); // no wait
    r.filter()!.respond('"use strict";\nself.x = "é";', '\npostMessage(1);');
    expect(r.filter()!.text()).toBe('"use strict";;try{(function(){HOOK;__wsiWorker.boot(self,{"hook":"h1","base":8388608});})();}catch(e){};\nself.x = "é";\npostMessage(1);');
    expect(r.filter()!.closed).toBe(true);
    expect(s.scripts.counts).toMatchObject({ hooked: 1, waited: 0 });
  });

  it('a worker request before its word waits for it; the word then hooks it', async () => {
    const s = setup();
    s.scripts.setOn(true);
    const r = s.request(W, 'worker');
    expect(r.result).toBeInstanceOf(Promise);
    expect(r.filter()).toBeUndefined();
    s.word(W);
    await expect(r.result).resolves.toEqual({});
    r.filter()!.respond('x();');
    expect(r.filter()!.text()).toMatch(/^;try\{.*HOOK.*\};x\(\);$/);
  });

  it('a word that never comes: the request goes on unchanged after WAIT_MS; a word after that is not used for it', async () => {
    const s = setup();
    s.scripts.setOn(true);
    const r = s.request(W, 'worker');
    s.advance(WAIT_MS);
    await expect(r.result).resolves.toEqual({});
    expect(r.filter()).toBeUndefined();
    expect(s.scripts.counts.timedOut).toBe(1);
  });

  it('page scripts, importScripts and shared workers never wait and are never changed, word or not', () => {
    const s = setup();
    s.scripts.setOn(true);
    for (const dest of ['script', 'sharedworker', 'serviceworker']) {
      s.word(W);
      const r = s.request(W, dest);
      expect(r.result).toBeUndefined();
      expect(r.filter()).toBeUndefined();
    }
  });

  it("a worker's own imports and nested workers (their origin is a worker script) never wait", () => {
    const s = setup();
    s.scripts.setOn(true);
    s.word(W);
    s.request(W, 'worker');
    const dep = s.request('https://app.test/dep.js', 'worker', { originUrl: W });
    expect(dep.result).toBeUndefined();
    expect(dep.filter()).toBeUndefined();
    // not even with a word for its URL left over
    s.word(W);
    const nested = s.request(W, 'worker', { originUrl: W });
    expect(nested.result).toBeUndefined();
    expect(nested.filter()).toBeUndefined();
  });

  it('without fetch metadata (plain http: sites) only a word that came first counts', () => {
    const s = setup();
    s.scripts.setOn(true);
    const early = s.request(W, undefined);
    expect(early.result).toBeUndefined();
    expect(early.filter()).toBeUndefined();
    s.word(W);
    expect(s.request(W, undefined).filter()).toBeDefined();
  });

  it('words are per tab and frame, used once, and forgotten after WORD_TTL_MS', () => {
    const s = setup();
    s.scripts.setOn(true);
    s.word(W, 1 << 22, 2); // another tab
    s.word(W, 1 << 22, 1, 3); // another frame
    expect(s.request(W, undefined).filter()).toBeUndefined();
    s.word(W);
    expect(s.request(W, undefined).filter()).toBeDefined();
    expect(s.request(W, undefined).filter()).toBeUndefined(); // used
    s.word(W);
    s.advance(WORD_TTL_MS + 1);
    expect(s.request(W, undefined).filter()).toBeUndefined();
  });

  it('fails open: a response that cannot be changed goes through as it came', () => {
    const s = setup();
    s.scripts.setOn(true);
    s.word(W);
    const r = s.request(W, 'worker');
    const f = r.filter()!;
    // a body the encoder cannot take (a forced failure): the original bytes, closed
    const chunks = ['abc', 'def'].map((c) => new TextEncoder().encode(c).buffer as ArrayBuffer);
    const original = TextEncoder.prototype.encode;
    TextEncoder.prototype.encode = () => { throw new Error('no'); };
    try {
      for (const data of chunks) f.ondata!({ data });
      f.onstop!();
    } finally { TextEncoder.prototype.encode = original; }
    expect(f.text()).toBe('abcdef');
    expect(f.closed).toBe(true);
    expect(s.scripts.counts.failed).toBe(1);
  });

  it('words are not kept while off', () => {
    const s = setup();
    s.word(W);
    s.scripts.setOn(true);
    expect(s.request(W, undefined).filter()).toBeUndefined();
  });
});
