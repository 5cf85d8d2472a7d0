/** Words the panel shows for model values, in one place so every view says the same thing. */
import type { ReadyStateValue, SocketSource } from '../../protocol/events';
import type { Connection, Frame } from '../../store/model';

const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

export function stateName(s: ReadyStateValue | 'failed'): string {
  return s === 'failed' ? 'failed' : STATE_NAMES[s];
}

export function dirWord(dir: Frame['dir']): 'sent' | 'received' {
  return dir === 'out' ? 'sent' : 'received';
}

export function dirArrow(dir: Frame['dir']): string {
  return dir === 'out' ? '↑' : '↓';
}

/** "text · string", "binary · Uint8Array" */
export function frameType(f: Pick<Frame, 'kind' | 'as'>): string {
  return `${f.kind} · ${f.as}`;
}

/** What opened a socket that is not a window's WebSocket, in a word (the connection list's badge). */
export const SOURCE_BADGES: Record<SocketSource, string> = {
  stream: 'stream', worker: 'worker', 'service-worker': 'service worker', network: 'network',
};

/** The same in a sentence (connection details). */
export function sourceText(c: Pick<Connection, 'source' | 'network'>): string {
  const what = c.source === 'stream' ? 'a WebSocketStream' : c.source === 'worker' ? 'a WebSocket in a worker'
    : c.source === 'service-worker' ? "a WebSocket in the page's service worker" : 'a WebSocket';
  return c.network
    ? `${c.source === 'network' ? 'A socket of a context DevTools does not name' : what}, seen in DevTools' network log (no page hook there)`
    : `${what}, captured by the page hook`;
}

/**
 * Where a socket lives: "top" for the main document, else "frame N", plus the document URL; a worker's
 * socket says so (and its script), one seen only in the network log says what opened it.
 */
export function frameLabel(c: Pick<Connection, 'frameId' | 'frameUrl' | 'source' | 'network'>): string {
  const kind = c.source === 'worker' ? 'worker' : c.source === 'service-worker' ? 'service worker' : '';
  const host = c.frameId === 0 ? 'top' : `frame ${c.frameId}`;
  const where = c.network ? kind || (c.source === 'stream' ? 'page' : 'network log') : kind ? `${host} ${kind}` : host;
  return c.frameUrl ? `${where} · ${c.frameUrl}` : where;
}

/** Why nothing can be done to this socket from the panel, if so (an imported file, a socket only the network log saw). */
export function readOnlyReason(c: Pick<Connection, 'imported' | 'network' | 'source'>): string | undefined {
  if (c.imported) return `Imported from ${c.imported}: an offline copy, nothing on the page to act on.`;
  if (c.network) return "Seen in DevTools' network log, where no page hook runs: the panel can show it, not act on it.";
  if (c.source === 'stream') return 'A WebSocketStream: the panel shows its traffic; sending, injecting and closing from here act on WebSockets only.';
  return undefined;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The readable form of the protocols argument. */
export function protocolsText(p: string | string[] | undefined): string {
  if (p === undefined) return '(none)';
  if (typeof p === 'string') return p;
  return p.length ? p.join(', ') : '(empty list)';
}
