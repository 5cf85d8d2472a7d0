/**
 * The panel's own settings, kept in storage.local only when the user sets
 * them: the memory cap (key `panel:memoryCap`, bytes) and saved filters (key
 * `panel:savedFilters`). What storage returns is checked like any other input.
 */
import { loadCaptureOptions, SEND_SITES_KEY, WORKERS_KEY, type CaptureOptions } from '../settings/capture-options';
import { LIGHTWEIGHT_KEY } from '../settings/lightweight';
import type { KeyValueArea } from '../compose/library';
import type { Direction, FilterSpec } from './filter';
import { MIN_MEMORY_CAP } from './store';

export const HIDDEN_COLUMNS_KEY = 'panel:hiddenColumns';
export const MEMORY_CAP_KEY = 'panel:memoryCap';
export const SAVED_FILTERS_KEY = 'panel:savedFilters';
export const SAVED_FILTERS_MAX = 50;
/** DevTools' network log as a second source (src/network): on unless the user turned it off. */
export const NETWORK_LOG_KEY = 'panel:networkLog';
/** The largest cap the panel offers: the renderer's heap is limited to a few GB. */
export const MAX_MEMORY_CAP = 4096 * 1024 * 1024;

/** A filter as saved: everything but the connection (connections do not outlive the page). */
export type SavedFilterSpec = Pick<FilterSpec, 'dir' | 'text' | 'binary' | 'lifecycle' | 'query' | 'invert'>;
export interface SavedFilter { name: string; spec: SavedFilterSpec }

const DIRS: readonly Direction[] = ['all', 'out', 'in'];

function asSpec(v: unknown): SavedFilterSpec | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const bools = ['text', 'binary', 'lifecycle', 'invert'] as const;
  if (!DIRS.includes(o.dir as Direction) || typeof o.query !== 'string' || o.query.length > 4096) return null;
  if (!bools.every((k) => typeof o[k] === 'boolean')) return null;
  return { dir: o.dir as Direction, text: !!o.text, binary: !!o.binary, lifecycle: !!o.lifecycle, query: o.query, invert: !!o.invert };
}

export function asSavedFilters(v: unknown): SavedFilter[] {
  if (!Array.isArray(v)) return [];
  const out: SavedFilter[] = [];
  for (const x of v.slice(0, SAVED_FILTERS_MAX)) {
    if (typeof x !== 'object' || x === null) continue;
    const { name, spec } = x as Record<string, unknown>;
    const s = asSpec(spec);
    if (typeof name === 'string' && name.length <= 200 && s) out.push({ name, spec: s });
  }
  return out;
}

export function clampCap(bytes: number): number {
  return Math.min(MAX_MEMORY_CAP, Math.max(MIN_MEMORY_CAP, Math.round(bytes)));
}

export class PanelSettings {
  constructor(private readonly area: KeyValueArea) {}

  /** The cap the user set, if any. */
  async memoryCap(): Promise<number | undefined> {
    const v = (await this.area.get(MEMORY_CAP_KEY))[MEMORY_CAP_KEY];
    return typeof v === 'number' && Number.isFinite(v) ? clampCap(v) : undefined;
  }

  setMemoryCap(bytes: number): Promise<void> {
    return this.area.set({ [MEMORY_CAP_KEY]: clampCap(bytes) });
  }

  /** Optional frame-grid columns the user hid (ids). */
  async hiddenColumns(): Promise<string[]> {
    const v = (await this.area.get(HIDDEN_COLUMNS_KEY))[HIDDEN_COLUMNS_KEY];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length <= 32).slice(0, 32) : [];
  }

  setHiddenColumns(ids: readonly string[]): Promise<void> {
    return this.area.set({ [HIDDEN_COLUMNS_KEY]: [...ids] });
  }

  /** Lightweight mode (src/settings/lightweight.ts: the relays read the same key). */
  async lightweight(): Promise<boolean> {
    return (await this.area.get(LIGHTWEIGHT_KEY))[LIGHTWEIGHT_KEY] === true;
  }

  setLightweight(on: boolean): Promise<void> {
    return this.area.set({ [LIGHTWEIGHT_KEY]: on });
  }

  /** The capture options (src/settings/capture-options.ts: every page's relay reads the same keys). */
  captureOptions(): Promise<CaptureOptions> {
    return loadCaptureOptions(this.area);
  }

  setCaptureOption(option: keyof CaptureOptions, on: boolean): Promise<void> {
    return this.area.set({ [option === 'sendSites' ? SEND_SITES_KEY : WORKERS_KEY]: on });
  }

  async networkLog(): Promise<boolean> {
    return (await this.area.get(NETWORK_LOG_KEY))[NETWORK_LOG_KEY] !== false;
  }

  setNetworkLog(on: boolean): Promise<void> {
    return this.area.set({ [NETWORK_LOG_KEY]: on });
  }

  async savedFilters(): Promise<SavedFilter[]> {
    return asSavedFilters((await this.area.get(SAVED_FILTERS_KEY))[SAVED_FILTERS_KEY]);
  }

  /** Save (or replace, by name) a filter; newest first. */
  async saveFilter(f: SavedFilter): Promise<SavedFilter[]> {
    const list = [f, ...(await this.savedFilters()).filter((x) => x.name !== f.name)].slice(0, SAVED_FILTERS_MAX);
    await this.area.set({ [SAVED_FILTERS_KEY]: list });
    return list;
  }

  async deleteFilter(name: string): Promise<SavedFilter[]> {
    const list = (await this.savedFilters()).filter((x) => x.name !== name);
    await this.area.set({ [SAVED_FILTERS_KEY]: list });
    return list;
  }
}

export function savedSpec(spec: FilterSpec): SavedFilterSpec {
  return { dir: spec.dir, text: spec.text, binary: spec.binary, lifecycle: spec.lifecycle, query: spec.query, invert: spec.invert };
}
