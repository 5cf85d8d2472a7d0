/**
 * The user's bounds for the page hook's in-page history, kept in
 * storage.local under one key (only what the user set; defaults elsewhere).
 */
import type { Storage } from 'webextension-polyfill';
import type { HistoryCaps } from '../protocol/messages';

export const HISTORY_CAPS_KEY = 'historyCaps';

const positive = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** Read and validate; unknown or invalid fields are ignored. */
export async function loadHistoryCaps(area: Storage.StorageArea): Promise<Partial<HistoryCaps> | undefined> {
  const raw = (await area.get(HISTORY_CAPS_KEY))[HISTORY_CAPS_KEY] as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  const caps: Partial<HistoryCaps> = {};
  if (positive(raw.maxFrames)) caps.maxFrames = raw.maxFrames;
  if (positive(raw.maxBytes)) caps.maxBytes = raw.maxBytes;
  if (positive(raw.maxConnections)) caps.maxConnections = raw.maxConnections;
  return Object.keys(caps).length ? caps : undefined;
}

export async function saveHistoryCaps(area: Storage.StorageArea, caps: Partial<HistoryCaps>): Promise<void> {
  await area.set({ [HISTORY_CAPS_KEY]: caps });
}
