/**
 * The DevTools page: it adds the panel, and tells the panel when DevTools shows or hides it (the panel
 * reads DevTools' network log only while shown). Paths start with "/" because Firefox resolves relative
 * ones against this page, Chrome against the root.
 */
import browser from 'webextension-polyfill';
import { PANEL_HIDDEN, PANEL_SHOWN } from '../../src/platform/devtools';

void browser.devtools.panels.create('WebSocket', '/icons/icon-32.png', '/extension/panel/panel.html').then((panel) => {
  // the panel's window, and its own Event (an event of this page's realm would do too; its own is tidier)
  let win: (Window & { Event: typeof Event }) | undefined;
  panel.onShown.addListener((w: Window) => {
    win = w as typeof win;
    win!.dispatchEvent(new win!.Event(PANEL_SHOWN));
  });
  panel.onHidden.addListener(() => win?.dispatchEvent(new win.Event(PANEL_HIDDEN)));
});
