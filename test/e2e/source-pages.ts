/**
 * A page whose sockets live everywhere but in the window's WebSocket: a dedicated worker, a module worker
 * (which imports a module of its own), the page's service worker and a WebSocketStream — and one window
 * WebSocket of its own. Each socket sends a text and three bytes and gets them echoed; the dedicated
 * worker then closes its socket. `go()` starts them (after DevTools opened: its log starts then); the page
 * sets `window.done` once every echo came back.
 */
import type { TestServer } from '../fixtures/server';

const JS = 'text/javascript; charset=utf-8';

/** The socket body every context runs: open, send text and bytes, report the echoes, maybe close. */
const SOCKET = (ws: string, from: string, report: string, close: boolean) => `
  const s = new WebSocket(${JSON.stringify(`${ws}/echo?from=${from}`)});
  s.binaryType = 'arraybuffer';
  let got = 0;
  s.onopen = () => { s.send(${JSON.stringify(`${from} says hi`)}); s.send(new Uint8Array([1, 2, 3])); };
  s.onmessage = () => { if (++got === 2) { ${report}; ${close ? 's.close(1000, "done");' : ''} } };`;

export function serveSourcePages(server: TestServer): string {
  const ws = server.wsOrigin;
  server.file('/src/worker.js', SOCKET(ws, 'worker', "postMessage('worker')", true), JS);
  server.file('/src/dep.js', "export const from = 'module-worker';", JS);
  server.file('/src/module-worker.js', `import { from } from './dep.js';${SOCKET(ws, 'module-worker', 'postMessage(from)', false)}`, JS);
  server.file('/src/sw.js', `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => {${SOCKET(ws, 'service-worker', "e.source.postMessage('service-worker')", false)}
});`, JS);
  return server.page('/src/page', `<!doctype html><html><head><meta charset="utf-8"><title>sources</title></head><body><script>
window.seen = [];
window.go = async () => {
  const page = new WebSocket(${JSON.stringify(`${ws}/echo?from=page`)});
  page.onopen = () => page.send('page says hi');
  page.onmessage = () => seen.push('page');
  const w = new Worker('/src/worker.js');
  w.onmessage = (e) => seen.push(e.data);
  const m = new Worker('/src/module-worker.js', { type: 'module' });
  m.onmessage = (e) => seen.push(e.data);
  const reg = await navigator.serviceWorker.register('/src/sw.js');
  const sw = reg.active || reg.waiting || reg.installing;
  navigator.serviceWorker.onmessage = (e) => seen.push(e.data);
  if (sw.state !== 'activated') await new Promise((r) => sw.addEventListener('statechange', () => sw.state === 'activated' && r()));
  sw.postMessage('go');
  const stream = new WebSocketStream(${JSON.stringify(`${ws}/echo?from=stream`)});
  const { readable, writable } = await stream.opened;
  const writer = writable.getWriter();
  await writer.write('stream says hi');
  await writer.write(new Uint8Array([1, 2, 3]));
  const reader = readable.getReader();
  await reader.read();
  await reader.read();
  seen.push('stream');
  for (let i = 0; i < 200 && seen.length < 5; i++) await new Promise((r) => setTimeout(r, 50));
  window.done = seen.length >= 5;
  if (!window.done) window.failed = 'echoes: ' + seen.join(',');
};
</script></body></html>`);
}
