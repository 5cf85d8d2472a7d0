/**
 * The DevTools page: it only adds the panel. Paths start with "/" because
 * Firefox resolves relative ones against this page, Chrome against the root.
 */
import browser from 'webextension-polyfill';

void browser.devtools.panels.create('WebSocket', '/icons/icon-32.png', '/extension/panel/panel.html');
