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
 * Saved messages persist in `area` (saving is the user's explicit act);
 * the send history lives in `historyArea`, by default the same, in the panel
 * storage.session: memory only, gone when the browser closes — nothing is
 * written to disk unless the user asks for it.
 */
export class LibraryStore {
  constructor(private readonly area: KeyValueArea, private readonly historyArea: KeyValueArea = area) {}

  private key(origin: string): string {
    return LIBRARY_KEY_PREFIX + origin;
  }

  private async part(area: KeyValueArea, origin: string): Promise<Library> {
    const key = this.key(origin);
    return sanitizeLibrary((await area.get(key))[key]);
  }

  async load(origin: string): Promise<Library> {
    const [saved, history] = await Promise.all([this.part(this.area, origin), this.part(this.historyArea, origin)]);
    return { saved: saved.saved, history: history.history };
  }

  private async put(area: KeyValueArea, origin: string, lib: Library): Promise<void> {
    const key = this.key(origin);
    if (!lib.history.length && !lib.saved.length) await area.remove(key);
    else await area.set({ [key]: lib });
  }

  /** Write both parts, each to its own area (the same area holds both when they are one). */
  private async write(origin: string, lib: Library): Promise<Library> {
    if (this.historyArea === this.area) await this.put(this.area, origin, lib);
    else {
      await this.put(this.area, origin, { history: [], saved: lib.saved });
      await this.put(this.historyArea, origin, { history: lib.history, saved: [] });
    }
    return lib;
  }

  async addHistory(origin: string, d: Draft): Promise<Library> {
    const lib = await this.load(origin);
    return this.write(origin, { ...lib, history: remember(lib.history, d, HISTORY_MAX) });
  }

  async save(origin: string, d: Draft): Promise<Library> {
    const lib = await this.load(origin);
    return this.write(origin, { ...lib, saved: remember(lib.saved, d, SAVED_MAX) });
  }

  async clearSaved(origin: string): Promise<Library> {
    return this.write(origin, { ...(await this.load(origin)), saved: [] });
  }

  async clearHistory(origin: string): Promise<Library> {
    return this.write(origin, { ...(await this.load(origin)), history: [] });
  }
}
