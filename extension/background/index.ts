// Service worker: only routing. No state of record lives here (MV3 may stop it at any time).
import browser from 'webextension-polyfill';
import workerHook from 'virtual:wsi-worker-hook';
import { WORKER_HOOK } from '../../src/protocol/messages';
import { Router } from '../../src/transport/router';

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
