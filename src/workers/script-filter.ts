/**
 * Firefox's deep capture of workers, the background's half: the worker hook goes in front of a worker's
 * own script as the browser fetches it (`webRequest.filterResponseData`), so the worker runs from its
 * real URL — `self.location`, relative URLs, `import.meta.url`, its CSP all stay its own.
 *
 * Only scripts a page hook asked for are changed. A page hook that captures its workers says, just
 * before `new Worker`, which script is about to load and which connection numbers the worker's sockets
 * get (a WorkerScriptWord, through its relay; src/capture/workers.ts). Worker script requests carry
 * `Sec-Fetch-Dest: worker` (Firefox sends fetch metadata to secure and local origins): such a request
 * that comes before its word waits for it, up to WAIT_MS, then goes on unchanged. Requests without that
 * header (plain http: sites) are changed only when the word came first. A worker's own imports and
 * workers (their `originUrl` is a worker script's) never wait. Anything that goes wrong lets the script
 * through as it came.
 *
 * The listener exists only while the user's *Capture workers* is on: off, no request of any page passes
 * through the extension.
 */
import { hookStatement } from '../capture/worker-script';
import type { WorkerScriptWord } from '../protocol/messages';
import { withHook } from './prologue';

/** How long a worker script request waits for its page hook's word. */
export const WAIT_MS = 500;
/** How long a word waits for its request (a worker the browser refused never fetches its script). */
export const WORD_TTL_MS = 30_000;
/** Worker script URLs remembered per tab (to tell a worker's own imports from a page's new workers). */
const MAX_WORKER_URLS = 1000;

export interface RequestDetails {
  requestId: string;
  url: string;
  tabId: number;
  frameId: number;
  originUrl?: string;
  requestHeaders?: { name: string; value?: string }[];
}

/** What of Firefox's StreamFilter this uses. */
export interface ResponseFilter {
  ondata: ((e: { data: ArrayBuffer }) => void) | null;
  onstop: (() => void) | null;
  onerror: (() => void) | null;
  write(data: ArrayBuffer | Uint8Array): void;
  close(): void;
}

type Listener = (d: RequestDetails) => Promise<object> | undefined;

/** What of `browser.webRequest` this uses. */
export interface WebRequestApi {
  onBeforeSendHeaders: {
    addListener(fn: Listener, filter: { urls: string[]; types: string[] }, extra: string[]): void;
    removeListener(fn: Listener): void;
  };
  filterResponseData(requestId: string): ResponseFilter;
}

interface Word { base: number; hook: string; until: number }

export class WorkerScripts {
  private on = false;
  /** words by tab, frame and script URL, oldest first */
  private readonly words = new Map<string, Word[]>();
  /** requests waiting for their word */
  private readonly waiting = new Map<string, ((w: Word) => void)[]>();
  /** worker script URLs seen per tab */
  private readonly workerUrls = new Map<number, Set<string>>();
  /** what happened, for tests and the README's claims: changed, waited, passed unchanged */
  readonly counts = { hooked: 0, waited: 0, timedOut: 0, failed: 0 };

  constructor(private readonly api: WebRequestApi, private readonly code: string, private readonly clock: {
    now(): number; setTimeout(fn: () => void, ms: number): unknown;
  } = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms) }) {}

  /** The user's setting: the listener is there only while it is on. */
  setOn(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    if (on) this.api.onBeforeSendHeaders.addListener(this.onRequest, { urls: ['<all_urls>'], types: ['script'] }, ['blocking', 'requestHeaders']);
    else {
      this.api.onBeforeSendHeaders.removeListener(this.onRequest);
      this.words.clear();
      this.workerUrls.clear();
    }
  }

  /** A page hook's word (already guarded), from the relay of this tab and frame. */
  word(tabId: number, frameId: number, w: WorkerScriptWord): void {
    if (!this.on) return;
    const now = this.clock.now();
    const word: Word = { base: w.base, hook: w.hook, until: now + WORD_TTL_MS };
    const key = keyOf(tabId, frameId, w.url);
    const waiter = this.waiting.get(key)?.shift();
    if (waiter) { waiter(word); return; }
    this.dropStale(now);
    const list = this.words.get(key) ?? [];
    list.push(word);
    this.words.set(key, list);
  }

  /** A tab went away: forget its words and worker scripts. */
  forgetTab(tabId: number): void {
    this.workerUrls.delete(tabId);
    for (const key of this.words.keys()) if (key.startsWith(`${tabId}|`)) this.words.delete(key);
  }

  private readonly onRequest: Listener = (d) => {
    try {
      if (d.tabId < 0) return undefined;
      const dest = d.requestHeaders?.find((h) => h.name.toLowerCase() === 'sec-fetch-dest')?.value;
      if (dest !== undefined && dest !== 'worker') return undefined;
      // a worker's own import or worker: never the page's (even if a word for its URL was left over)
      if (d.originUrl !== undefined && this.workerUrls.get(d.tabId)?.has(d.originUrl)) {
        if (dest === 'worker') this.rememberWorkerUrl(d.tabId, d.url);
        return undefined;
      }
      const key = keyOf(d.tabId, d.frameId, d.url);
      const word = this.take(key);
      if (dest === 'worker') this.rememberWorkerUrl(d.tabId, d.url);
      if (word) { this.hook(d.requestId, word); return undefined; }
      // no fetch metadata: only a word that came first counts
      if (dest === undefined) return undefined;
      this.counts.waited++;
      return new Promise<object>((resolve) => {
        const list = this.waiting.get(key) ?? [];
        const waiter = (w: Word) => { this.hook(d.requestId, w); resolve({}); };
        list.push(waiter);
        this.waiting.set(key, list);
        this.clock.setTimeout(() => {
          const at = list.indexOf(waiter);
          if (at < 0) return;
          list.splice(at, 1);
          if (list.length === 0) this.waiting.delete(key);
          this.counts.timedOut++;
          resolve({});
        }, WAIT_MS);
      });
    } catch {
      this.counts.failed++;
      return undefined;
    }
  };

  private take(key: string): Word | undefined {
    const list = this.words.get(key);
    const now = this.clock.now();
    while (list && list.length > 0) {
      const w = list.shift()!;
      if (list.length === 0) this.words.delete(key);
      if (w.until >= now) return w;
    }
    return undefined;
  }

  private rememberWorkerUrl(tabId: number, url: string): void {
    let urls = this.workerUrls.get(tabId);
    if (!urls) this.workerUrls.set(tabId, urls = new Set());
    if (urls.size >= MAX_WORKER_URLS) urls.clear();
    urls.add(url);
  }

  private dropStale(now: number): void {
    for (const [key, list] of this.words) {
      const fresh = list.filter((w) => w.until >= now);
      if (fresh.length === 0) this.words.delete(key);
      else if (fresh.length !== list.length) this.words.set(key, fresh);
    }
  }

  /** Put the worker hook in front of this response's script; whatever fails, the script goes through as it came. */
  private hook(requestId: string, word: Word): void {
    let filter: ResponseFilter;
    try { filter = this.api.filterResponseData(requestId); } catch { this.counts.failed++; return; }
    const chunks: ArrayBuffer[] = [];
    filter.ondata = (e) => { chunks.push(e.data); };
    filter.onerror = () => { this.counts.failed++; };
    filter.onstop = () => {
      try {
        // worker scripts are UTF-8 whatever their Content-Type says (HTML: fetch a classic worker script)
        const text = new TextDecoder().decode(concat(chunks));
        const config = JSON.stringify({ hook: word.hook, base: word.base });
        filter.write(new TextEncoder().encode(withHook(text, hookStatement(this.code, config))));
        this.counts.hooked++;
      } catch {
        this.counts.failed++;
        for (const c of chunks) filter.write(c);
      } finally {
        filter.close();
      }
    };
  }
}

const keyOf = (tabId: number, frameId: number, url: string) => `${tabId}|${frameId}|${url}`;

function concat(chunks: ArrayBuffer[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.byteLength;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) { out.set(new Uint8Array(c), at); at += c.byteLength; }
  return out;
}
