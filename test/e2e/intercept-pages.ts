/**
 * Test pages of the interception suites: a page that opens echo sockets on demand (`open_(q, binaryType)`),
 * records what its onmessage and onclose get (`seen`), and sends on demand (`send_(q, data)`).
 */
import { DATA_PORT } from '../../src/protocol/messages';

export function interceptPage(ws: string): string {
  return `<!doctype html><title>intercept</title><script>
  window.seen = [];
  window.sockets = {};
  const bytes = (d) => Array.from(new Uint8Array(d));
  window.open_ = (q, binaryType = 'arraybuffer') => new Promise((resolve) => {
    const s = new WebSocket(${JSON.stringify(ws)} + '/echo?' + q);
    s.binaryType = binaryType;
    s.onmessage = async (e) => {
      // in the order events came (a Blob's bytes are read later)
      const entry = { q, ev: 'message', isTrusted: e.isTrusted, type: typeof e.data === 'string' ? 'string' : e.data.constructor.name };
      seen.push(entry);
      entry.data = typeof e.data === 'string' ? e.data : bytes(e.data instanceof Blob ? await e.data.arrayBuffer() : e.data);
    };
    s.onclose = (e) => seen.push({ q, ev: 'close', code: e.code, reason: e.reason, readyState: s.readyState });
    sockets[q] = s;
    s.onopen = () => resolve(true);
  });
  window.send_ = (q, d) => sockets[q].send(typeof d === 'string' ? d : new Uint8Array(d));
  window.done = true;
</script>`;
}

/**
 * A script for a panel page (evaluated there): its own port to the background, subscribed to the tab, as
 * PanelLink does; resolves with the top frame's hook id. `window.wsiCommand(msg)` sends a command envelope and
 * resolves with its result; `window.wsiIntercepts` collects the intercept events of the batches it gets.
 * `api`: `chrome` (Chromium) or `browser` (Firefox).
 */
export function panelPortScript(api: 'chrome' | 'browser', port: string, tabId: number): string {
  return `new Promise((resolve) => {
    const port = ${api}.runtime.connect({ name: ${JSON.stringify(port)} });
    const waiting = new Map();
    let req = 1;
    window.wsiIntercepts = [];
    const take = (batch) => { for (const e of batch.events) if (e.k === 'intercept') wsiIntercepts.push(e); };
    port.onMessage.addListener((m) => {
      if (m.type === 'frame-hello' && m.frameId === 0) {
        resolve(m.hook);
        // as PanelLink does: a data port to the frame before the attach, where the relay then sends its batches
        if (${api}.tabs?.connect) ${api}.tabs.connect(${tabId}, { name: ${JSON.stringify(DATA_PORT)}, frameId: 0 }).onMessage.addListener((d) => { if (d.type === 'batch') take(d.batch); });
        port.postMessage({ src: 'wsi-panel', v: 1, type: 'attach', frameId: 0, hook: m.hook, cursors: {} });
      }
      if (m.type === 'batches') for (const it of m.items) take(it.batch);
      if (m.type === 'command-result') { waiting.get(m.req)?.(m.result); waiting.delete(m.req); }
    });
    window.wsiCommand = (m) => new Promise((answer) => { const r = req++; waiting.set(r, answer); port.postMessage({ ...m, req: r }); });
    port.postMessage({ src: 'wsi-panel', v: 1, type: 'subscribe', tabId: ${tabId} });
  })`;
}

export interface Seen {
  q: string; ev: string; isTrusted?: boolean; type?: string; data?: string | number[]; code?: number; reason?: string; readyState?: number;
}
