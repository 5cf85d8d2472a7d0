/**
 * Test pages of the interception suites: a page that opens echo sockets on demand (`open_(q, binaryType)`),
 * records what its onmessage and onclose get (`seen`), and sends on demand (`send_(q, data)`).
 */
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

export interface Seen {
  q: string; ev: string; isTrusted?: boolean; type?: string; data?: string | number[]; code?: number; reason?: string; readyState?: number;
}
