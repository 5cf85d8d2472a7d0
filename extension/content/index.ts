// Isolated world, document_start, every frame: relay between the page hook and the background.
import browser, { type Runtime } from 'webextension-polyfill';
import { WORKER_HOOK, type WorkerScriptWord } from '../../src/protocol/messages';
import { startRelay } from '../../src/transport/relay';
import { loadHistoryCaps } from '../../src/settings/history-caps';
import { captureOptionsChange, loadCaptureOptions } from '../../src/settings/capture-options';
import { lightweightChange, loadLightweight } from '../../src/settings/lightweight';

const FIREFOX = browser.runtime.getURL('').startsWith('moz-extension:');

startRelay({
  win: window,
  connect: (name) => browser.runtime.connect({ name }),
  onRuntimeMessage: (fn) => browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => { fn(msg, sender); }),
  extensionId: browser.runtime.id,
  loadCaps: () => loadHistoryCaps(browser.storage.local),
  loadLightweight: () => loadLightweight(browser.storage.local),
  onLightweightChange: (fn) => browser.storage.onChanged.addListener((changes, area) => {
    const on = lightweightChange(changes, area);
    if (on !== undefined) fn(on);
  }),
  loadOptions: () => loadCaptureOptions(browser.storage.local),
  // the worker hook's code lives in the background (src/build/worker-hook.ts), asked for only when needed
  workerHook: async () => {
    const code: unknown = await browser.runtime.sendMessage({ type: WORKER_HOOK });
    return typeof code === 'string' ? code : undefined;
  },
  // Firefox: the background puts it in front of the worker scripts the page hook names (src/workers/)
  ...(FIREFOX ? { workerScript: (word: WorkerScriptWord) => { browser.runtime.sendMessage(word).catch(() => { /* uncaptured */ }); } } : {}),
  // a panel's data port to this frame (tabs.connect); the relay takes only ours
  onConnect: (fn) => browser.runtime.onConnect.addListener(fn),
  onOptionsChange: (fn) => browser.storage.onChanged.addListener((changes, area) => {
    const o = captureOptionsChange(changes, area);
    if (o) fn(o);
  }),
});
