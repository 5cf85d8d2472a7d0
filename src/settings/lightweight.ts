/**
 * Lightweight mode: the page hook records messages only while a WebSocket
 * panel is attached to the page (connections, states and closes always). Off
 * by default; kept in storage.local under one key once the user turns it on.
 */
import type { Storage } from 'webextension-polyfill';

export const LIGHTWEIGHT_KEY = 'captureLightweight';

export async function loadLightweight(area: Storage.StorageArea): Promise<boolean> {
  return (await area.get(LIGHTWEIGHT_KEY))[LIGHTWEIGHT_KEY] === true;
}

export async function saveLightweight(area: Storage.StorageArea, on: boolean): Promise<void> {
  await area.set({ [LIGHTWEIGHT_KEY]: on });
}

/** The new value when the setting changes in `area` ('local'), else undefined. */
export function lightweightChange(changes: Record<string, Storage.StorageChange>, areaName: string): boolean | undefined {
  if (areaName !== 'local' || !(LIGHTWEIGHT_KEY in changes)) return undefined;
  return changes[LIGHTWEIGHT_KEY]!.newValue === true;
}
