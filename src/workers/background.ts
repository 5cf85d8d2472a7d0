/**
 * Wiring of Firefox's deep capture of workers in the background (script-filter.ts): the user's setting
 * turns the webRequest listener on and off, and the relays' words reach it with their tab and frame.
 * Chrome has no `webRequest.filterResponseData` (and we ask for no webRequest permission there): deep
 * capture goes through blob: workers made by the page hook instead (src/capture/workers.ts).
 */
import type { Storage } from 'webextension-polyfill';
import { asWorkerScriptWord } from '../protocol/guards';
import { captureOptionsChange, loadCaptureOptions } from '../settings/capture-options';
import { WorkerScripts, type WebRequestApi } from './script-filter';

export interface WorkerScriptsHost {
  /** `browser.webRequest`, when it can filter responses (Firefox) */
  webRequest: Partial<WebRequestApi> | undefined;
  storage: Pick<Storage.Static, 'local' | 'onChanged'>;
  onMessage: (fn: (msg: unknown, sender: { id?: string; tab?: { id?: number }; frameId?: number }) => void) => void;
  onTabRemoved: (fn: (tabId: number) => void) => void;
  extensionId: string;
  /** the worker hook's code (src/build/worker-hook.ts) */
  code: string;
}

/** Start filtering worker scripts where the browser can (else undefined). */
export function startWorkerScripts(host: WorkerScriptsHost): WorkerScripts | undefined {
  const api = host.webRequest;
  if (!api || typeof api.filterResponseData !== 'function' || !api.onBeforeSendHeaders) return undefined;
  const scripts = new WorkerScripts(api as WebRequestApi, host.code);
  void loadCaptureOptions(host.storage.local).then((o) => scripts.setOn(o.workers), () => { /* off */ });
  host.storage.onChanged.addListener((changes, area) => {
    const o = captureOptionsChange(changes, area);
    if (o?.workers !== undefined) scripts.setOn(o.workers);
  });
  host.onMessage((msg, sender) => {
    const word = sender.id === host.extensionId ? asWorkerScriptWord(msg) : null;
    const tabId = sender.tab?.id;
    if (word && tabId !== undefined && sender.frameId !== undefined) scripts.word(tabId, sender.frameId, word);
  });
  host.onTabRemoved((tabId) => scripts.forgetTab(tabId));
  return scripts;
}
