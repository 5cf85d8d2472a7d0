// Service worker: only routing. No state of record lives here (MV3 may stop it at any time).
import browser, { type Runtime } from 'webextension-polyfill';
import workerHook from 'virtual:wsi-worker-hook';
import { WORKER_HOOK } from '../../src/protocol/messages';
import { Router } from '../../src/transport/router';
import { startWorkerScripts } from '../../src/workers/background';
import type { WebRequestApi } from '../../src/workers/script-filter';

const router = new Router({
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  pingTab: (tabId, msg) => browser.tabs.sendMessage(tabId, msg),
});
browser.runtime.onConnect.addListener((port) => router.onConnect(port));
// a relay whose page captures its workers (the user's Capture workers) asks for the worker hook's code
browser.runtime.onMessage.addListener((msg: unknown, sender: { id?: string }) => {
  if (sender.id !== browser.runtime.id || (msg as { type?: unknown } | null)?.type !== WORKER_HOOK) return undefined;
  return Promise.resolve(workerHook);
});
// Firefox: deep capture of workers puts the worker hook in front of the worker scripts the page hooks name
startWorkerScripts({
  webRequest: browser.webRequest as unknown as Partial<WebRequestApi> | undefined,
  storage: browser.storage,
  onMessage: (fn) => browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => { fn(msg, sender); }),
  onTabRemoved: (fn) => browser.tabs.onRemoved.addListener(fn),
  extensionId: browser.runtime.id,
  code: workerHook,
});
