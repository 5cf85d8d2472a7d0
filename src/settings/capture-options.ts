/**
 * Capture options the user turns on in the panel's toolbar, read by every page's relay and handed to its
 * hook (like lightweight mode), kept in storage.local under one key each once set; off by default:
 * - `captureSendSites`: record where the page called send() (a stack per send: it costs every send);
 * - `captureWorkers`: deep capture of the dedicated and module workers the page creates (the worker gets
 *   the capture hook first; see src/capture/workers.ts).
 */
import type { Storage } from 'webextension-polyfill';

export const SEND_SITES_KEY = 'captureSendSites';
export const WORKERS_KEY = 'captureWorkers';

export interface CaptureOptions { sendSites: boolean; workers: boolean }

export async function loadCaptureOptions(area: Pick<Storage.StorageArea, 'get'>): Promise<CaptureOptions> {
  const v = await area.get([SEND_SITES_KEY, WORKERS_KEY]);
  return { sendSites: v[SEND_SITES_KEY] === true, workers: v[WORKERS_KEY] === true };
}

/** The options that changed in `area` ('local'), or undefined. */
export function captureOptionsChange(changes: Record<string, Storage.StorageChange>, areaName: string): Partial<CaptureOptions> | undefined {
  if (areaName !== 'local') return undefined;
  const out: Partial<CaptureOptions> = {};
  if (SEND_SITES_KEY in changes) out.sendSites = changes[SEND_SITES_KEY]!.newValue === true;
  if (WORKERS_KEY in changes) out.workers = changes[WORKERS_KEY]!.newValue === true;
  return Object.keys(out).length ? out : undefined;
}
