/**
 * The composer's history (what you sent or injected last) and saved messages,
 * per socket origin (e.g. wss://chat.example.com), kept only in the browser's
 * storage.local under one key per origin. Nothing leaves the machine; "Clear
 * saved" and "Clear history" delete them. What storage returns is checked
 * (it is data like any other).
 */
import { FORMATS, type Format } from './parse';

export interface Draft { format: Format; text: string }
export interface Library { history: Draft[]; saved: Draft[] }

export const HISTORY_MAX = 30;
export const SAVED_MAX = 100;
/** Longer drafts are not kept (storage.local has a quota); the message still goes out. */
export const DRAFT_MAX_CHARS = 64 * 1024;
export const LIBRARY_KEY_PREFIX = 'composer:';

/** The minimal storage the library needs (storage.local fits). */
export interface KeyValueArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export const emptyLibrary = (): Library => ({ history: [], saved: [] });

/** The origin messages are filed under: the socket URL's origin, or the URL itself if it has none. */
export function libraryOrigin(socketUrl: string): string {
  try {
    const o = new URL(socketUrl).origin;
    return o && o !== 'null' ? o : socketUrl;
  } catch {
    return socketUrl;
  }
}

const same = (a: Draft, b: Draft): boolean => a.format === b.format && a.text === b.text;

/** Newest first, no duplicates, at most `max`; drafts too long to keep are left out. */
export function remember(list: readonly Draft[], d: Draft, max: number): Draft[] {
  if (d.text.length > DRAFT_MAX_CHARS || d.text === '') return [...list];
  return [{ format: d.format, text: d.text }, ...list.filter((x) => !same(x, d))].slice(0, max);
}

function drafts(v: unknown, max: number): Draft[] {
  if (!Array.isArray(v)) return [];
  const out: Draft[] = [];
  for (const d of v) {
    if (out.length >= max) break;
    const r = d as Partial<Draft> | null;
    if (r && typeof r.text === 'string' && r.text.length <= DRAFT_MAX_CHARS && FORMATS.includes(r.format as Format)) {
      out.push({ format: r.format as Format, text: r.text });
    }
  }
  return out;
}

/** Read what storage holds, dropping anything malformed. */
export function sanitizeLibrary(v: unknown): Library {
  const r = (typeof v === 'object' && v !== null ? v : {}) as Partial<Record<keyof Library, unknown>>;
  return { history: drafts(r.history, HISTORY_MAX), saved: drafts(r.saved, SAVED_MAX) };
}

/**
 * Runs `fn` holding an exclusive lock called `name`; what `navigator.locks.request`
 * does. Injected so tests (Node has no Web Locks) can share one between two stores.
 */
export type LockFn = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Web Locks, if the page has them. Every page of the extension has the same origin and so the
 * same lock manager: two panels (two DevTools windows) on sockets of one origin queue their
 * updates instead of each reading the list, adding and writing over the other's entry.
 */
export function webLocks(): LockFn | undefined {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return locks && (async <T>(name: string, fn: () => Promise<T>): Promise<T> => await locks.request(name, fn));
}

/**
 * Saved messages persist in `area` (saving is the user's explicit act);
 * the send history lives in `historyArea`, by default the same, in the panel
 * storage.session: memory only, gone when the browser closes — nothing is
 * written to disk unless the user asks for it.
 *
 * Every change is a read-modify-write of a list in storage, and storage calls are
 * async: two sends close together (a sequence replay, two quick clicks) used to both
 * read the same list, each add its entry and write, and the second write dropped the
 * first entry. So all calls for one origin go through a queue (and, across panels, a
 * lock): each reads storage only when the one before it has written. Storage stays the
 * only copy — no cache to keep in step with another panel; reading it again inside the
 * queue is what makes the change land on top of whatever was written last, by anyone.
 */
export class LibraryStore {
  /** Per storage key: the last queued call, settled (never rejects, so one failure does not block the next). */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly area: KeyValueArea,
    private readonly historyArea: KeyValueArea = area,
    private readonly lock: LockFn | undefined = webLocks(),
  ) {}

  private key(origin: string): string {
    return LIBRARY_KEY_PREFIX + origin;
  }

  /** Run `fn` after every call queued before it for this origin has settled, failed or not. */
  private queued<T>(origin: string, fn: () => Promise<T>): Promise<T> {
    const key = this.key(origin);
    const run = async (): Promise<T> => {
      if (!this.lock) return fn();
      let ran = false;
      try {
        return await this.lock(key, () => { ran = true; return fn(); });
      } catch (e) {
        // the lock manager refused (it may, e.g. SecurityError in an odd context): run without it,
        // still queued inside this panel, which is the case that matters (quick sends, replay)
        if (ran) throw e;
        return fn();
      }
    };
    const result = (this.queues.get(key) ?? Promise.resolve()).then(run);
    const settled = result.then(() => undefined, () => undefined);
    this.queues.set(key, settled);
    // forget idle origins (a panel may see many over its life)
    void settled.then(() => { if (this.queues.get(key) === settled) this.queues.delete(key); });
    return result;
  }

  private async part(area: KeyValueArea, origin: string): Promise<Library> {
    const key = this.key(origin);
    return sanitizeLibrary((await area.get(key))[key]);
  }

  private async read(origin: string): Promise<Library> {
    const [saved, history] = await Promise.all([this.part(this.area, origin), this.part(this.historyArea, origin)]);
    return { saved: saved.saved, history: history.history };
  }

  /** Queued too, so what it returns includes every change asked for before it (the panel shows the last answer). */
  load(origin: string): Promise<Library> {
    return this.queued(origin, () => this.read(origin));
  }

  private async put(area: KeyValueArea, origin: string, lib: Library): Promise<void> {
    const key = this.key(origin);
    if (!lib.history.length && !lib.saved.length) await area.remove(key);
    else await area.set({ [key]: lib });
  }

  /**
   * Change one list: read both (the answer is the whole library), write only the area that
   * holds the changed one — with two areas, one write that can fail instead of two that can
   * half succeed. Inside the queue, so the read sees every earlier change.
   */
  private update(origin: string, which: keyof Library, change: (list: readonly Draft[]) => Draft[]): Promise<Library> {
    return this.queued(origin, async () => {
      const lib = await this.read(origin);
      const next: Library = { ...lib, [which]: change(lib[which]) };
      if (this.historyArea === this.area) await this.put(this.area, origin, next);
      else if (which === 'history') await this.put(this.historyArea, origin, { history: next.history, saved: [] });
      else await this.put(this.area, origin, { history: [], saved: next.saved });
      return next;
    });
  }

  addHistory(origin: string, d: Draft): Promise<Library> {
    return this.update(origin, 'history', (l) => remember(l, d, HISTORY_MAX));
  }

  save(origin: string, d: Draft): Promise<Library> {
    return this.update(origin, 'saved', (l) => remember(l, d, SAVED_MAX));
  }

  clearSaved(origin: string): Promise<Library> {
    return this.update(origin, 'saved', () => []);
  }

  clearHistory(origin: string): Promise<Library> {
    return this.update(origin, 'history', () => []);
  }
}
