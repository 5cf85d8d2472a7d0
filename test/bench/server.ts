/**
 * The benchmark's WebSocket server and pages (127.0.0.1, port 0). Endpoints:
 *   /flood?n=&size=           n text messages of `size` bytes, as fast as the socket drains
 *   /sink?n=                  counts what the page sends; answers "ack" after the n-th
 *   /binary?n=&size=          n binary messages of `size` bytes
 *   /rate?perSec=&seconds=&size=&tag=
 *                             perSec messages a second for `seconds`, paced by the clock (every 10 ms, what is
 *                             due so far: 20/s is 20/s, not one per tick), then a close 1000; each message is
 *                             text `<tag> <index, 7 digits> <send time>` padded to `size` bytes (default 100),
 *                             so a row's first characters name its frame
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface BenchServer { origin: string; ws: string; page(path: string, html: string): string; close(): Promise<void> }

/** Send lazily, a chunk at a time, so a 100k flood does not sit in memory. */
function pump(ws: WebSocket, n: number, make: (i: number) => string | Buffer, done?: () => void): void {
  let i = 0;
  const step = () => {
    while (i < n && ws.bufferedAmount < 1 << 20) ws.send(make(i++));
    if (i < n && ws.readyState === ws.OPEN) setImmediate(step);
    else done?.();
  };
  step();
}

export async function startBenchServer(): Promise<BenchServer> {
  const pages = new Map<string, string>();
  const http = createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (html === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (k: string, d: number) => Number(url.searchParams.get(k) ?? d);
    switch (url.pathname) {
      case '/flood': {
        const size = q('size', 100);
        if (url.searchParams.has('json')) {
          const pad = 'x'.repeat(Math.max(0, size - 30));
          return pump(ws, q('n', 1000), (i) => `{"i":${i},"pad":"${pad}"}`);
        }
        const body = 'x'.repeat(Math.max(0, size - 8));
        return pump(ws, q('n', 1000), (i) => `${String(i).padStart(7, '0')}:${body}`);
      }
      case '/binary': {
        const buf = Buffer.alloc(q('size', 1024), 7);
        return pump(ws, q('n', 10), () => buf);
      }
      case '/sink': {
        let got = 0;
        const n = q('n', 1000);
        return void ws.on('message', () => { if (++got === n) ws.send('ack'); });
      }
      case '/rate': {
        const perSec = q('perSec', 1000), total = Math.round(perSec * q('seconds', 1)), size = q('size', 100);
        const tag = url.searchParams.get('tag') ?? 'r';
        const t0 = Date.now();
        let sent = 0;
        const timer = setInterval(() => {
          if (ws.readyState !== ws.OPEN) return clearInterval(timer);
          const due = Math.min(total, Math.floor(((Date.now() - t0) * perSec) / 1000));
          for (; sent < due; sent++) {
            const head = `${tag} ${String(sent).padStart(7, '0')} ${Date.now()} `;
            ws.send(head.padEnd(size, 'x'));
          }
          if (sent >= total) { clearInterval(timer); ws.close(1000, 'done'); }
        }, 10);
      }
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    ws: origin.replace('http', 'ws'),
    page(path, html) { pages.set(path, html); return origin + path; },
    async close() {
      for (const c of wss.clients) c.terminate();
      http.closeAllConnections();
      await new Promise((r) => http.close(() => r(undefined)));
    },
  };
}
