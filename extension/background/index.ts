// Service worker: only routing. No state of record lives here (MV3 may stop it at any time).
import browser from 'webextension-polyfill';
import { Router } from '../../src/transport/router';

const router = new Router({
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  pingTab: (tabId, msg) => browser.tabs.sendMessage(tabId, msg),
});
browser.runtime.onConnect.addListener((port) => router.onConnect(port));
