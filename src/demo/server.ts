/**
 * Demo / fixture server: one HTTP server on loopback that serves the demo page and a handful of
 * WebSocket endpoints, each exercising a different part of the inspector (subprotocols,
 * permessage-deflate, text/binary frames, large payloads, server close codes, abrupt drops).
 *
 * Used by `npm start` (src/demo/start.ts) and reusable by end-to-end tests.
 *
 * Endpoints (all on the same port):
 *   GET  /            the demo page (src/demo/page.html)
 *   GET  /frame.html  the iframe page (src/demo/frame.html)
 *   WS   /echo        echoes every message as received (text as text, binary as binary);
 *                     subprotocol: the first one the client requested out of DEMO_SUBPROTOCOLS;
 *                     permessage-deflate enabled
 *   WS   /ticker      JSON `{"type":"tick","n":N,"price":P}` every `?ms=` ms (default 500)
 *   WS   /binary      on connect: 16 bytes 0..15, 4 KiB and 100 KiB patterned buffers; then echoes
 *   WS   /close       server closes with `?code=` (default 4000) and `?reason=` after `?after=` ms (default 300)
 *   WS   /drop        server destroys the TCP socket after `?after=` ms (default 300): browser sees 1006
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';

export interface DemoServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
}

export interface DemoServer {
  /** Demo page URL, with trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** WebSocket base URL, without trailing slash, e.g. `ws://127.0.0.1:41234` (append `/echo` …). */
  wsUrl: string;
  /** Terminates all WebSocket clients and closes the servers. Safe to call twice. */
  close(): Promise<void>;
}

/** Subprotocols `/echo` accepts, the first one the client requested wins. */
export const DEMO_SUBPROTOCOLS = ['chat.v1', 'json'] as const;

/** WebSocket endpoint paths served by the demo server. */
export const DEMO_WS_PATHS = ['/echo', '/ticker', '/binary', '/close', '/drop'] as const;
export type DemoWsPath = (typeof DEMO_WS_PATHS)[number];

const PAGES: Record<string, string> = {
  '/': 'page.html',
  '/index.html': 'page.html',
  '/frame.html': 'frame.html',
};

function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) return fallback;
  return n;
}

/** Close codes an endpoint may send on the wire (RFC 6455 §7.4): 1000-1003, 1007-1014, 3000-4999. */
function isSendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
  );
}

/** Truncates a string to at most `max` UTF-8 bytes without splitting a character. */
function truncateUtf8(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

function patterned(size: number, seed = 0): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i + seed) & 0xff;
  return b;
}

function tickPrice(n: number): number {
  // Deterministic, plausible-looking price series (tests can rely on it).
  return Math.round((100 + 5 * Math.sin(n / 7) + 2 * Math.cos(n / 3)) * 100) / 100;
}

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const host = opts.host ?? '127.0.0.1';
  const pageCache = new Map<string, string>();
  const loadPage = async (file: string): Promise<string> => {
    let html = pageCache.get(file);
    if (html === undefined) {
      html = await readFile(new URL(`./${file}`, import.meta.url), 'utf8');
      pageCache.set(file, html);
    }
    return html;
  };

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number, repeat = false): NodeJS.Timeout => {
    const t = repeat ? setInterval(fn, ms) : setTimeout(() => (timers.delete(t), fn()), ms);
    timers.add(t);
    return t;
  };
  const cancel = (t: NodeJS.Timeout): void => {
    clearTimeout(t);
    timers.delete(t);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = PAGES[path];
    if ((req.method === 'GET' || req.method === 'HEAD') && file !== undefined) {
      loadPage(file).then(
        (html) => {
          res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-length': Buffer.byteLength(html),
          });
          res.end(req.method === 'HEAD' ? undefined : html);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`demo server: cannot read ${file}: ${String(err)}\n`);
        },
      );
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: true,
    handleProtocols: (protocols: Set<string>) => {
      for (const p of protocols) if ((DEMO_SUBPROTOCOLS as readonly string[]).includes(p)) return p;
      return false;
    },
  });

  const onEcho = (ws: WebSocket): void => {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      ws.send(isBinary ? data : data.toString('utf8'), { binary: isBinary });
    });
  };

  const onTicker = (ws: WebSocket, params: URLSearchParams): void => {
    const ms = intParam(params, 'ms', 500, 10, 3_600_000);
    let n = 0;
    const t = later(
      () => {
        if (ws.readyState !== ws.OPEN) return;
        n += 1;
        ws.send(JSON.stringify({ type: 'tick', n, price: tickPrice(n) }));
      },
      ms,
      true,
    );
    ws.once('close', () => cancel(t));
  };

  const onBinary = (ws: WebSocket): void => {
    ws.send(patterned(16), { binary: true });
    ws.send(patterned(4 * 1024, 1), { binary: true });
    ws.send(patterned(100 * 1024, 2), { binary: true });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      ws.send(isBinary ? data : data.toString('utf8'), { binary: isBinary });
    });
  };

  const onClose = (ws: WebSocket, params: URLSearchParams): void => {
    const requested = intParam(params, 'code', 4000, 0, 65535);
    const code = isSendableCloseCode(requested) ? requested : 4000;
    const reason = truncateUtf8(params.get('reason') ?? 'demo: server closing', 123);
    const t = later(() => {
      if (ws.readyState === ws.OPEN) ws.close(code, reason);
    }, intParam(params, 'after', 300, 0, 3_600_000));
    ws.once('close', () => cancel(t));
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname as DemoWsPath;
    if (!(DEMO_WS_PATHS as readonly string[]).includes(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.on('error', () => {
      /* abrupt client disconnects are expected in a demo */
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {
        /* ignore protocol errors from clients */
      });
      switch (path) {
        case '/echo':
          return onEcho(ws);
        case '/ticker':
          return onTicker(ws, url.searchParams);
        case '/binary':
          return onBinary(ws);
        case '/close':
          return onClose(ws, url.searchParams);
        case '/drop': {
          // No close frame: destroy the TCP connection under the WebSocket.
          const t = later(() => socket.destroy(), intParam(url.searchParams, 'after', 300, 0, 3_600_000));
          ws.once('close', () => cancel(t));
          return;
        }
      }
    });
  };
  server.on('upgrade', onUpgrade);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.off('upgrade', onUpgrade);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
    });
    return closing;
  };

  return { url: `http://${hostInUrl}:${port}/`, wsUrl: `ws://${hostInUrl}:${port}`, close };
}
