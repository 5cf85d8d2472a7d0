/** Capture events of a few realistic connections, and a comparable snapshot of what a Store made of them. */
import type { WireEvent } from '../../src/protocol/messages';
import type { Connection, Frame } from '../../src/store/model';
import { Store } from '../../src/store/store';

const T = 1_715_678_493_104.25;
const ev = (c: string, seq: number, dt: number, e: Record<string, unknown>) => {
  // whole text frames: the size on the wire is the data's UTF-8 length
  const size = e.k === 'frame' && typeof e.data === 'string' && !e.truncated ? { size: Buffer.byteLength(e.data) } : {};
  return { c, seq, t: T + dt, ...e, ...size } as WireEvent;
};
const b64 = (bytes: number[]) => ({ b64: Buffer.from(bytes).toString('base64') });
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
export const SECRET_JWT = JWT;

/** frameId 0 / hook 'h1': a rich connection, a failed one; frameId 3 / 'h2': one opened before history. */
export function sampleEvents(): { frameId: number; hook: string; events: WireEvent[] }[] {
  const a = 'h1.0';
  const rich = [
    ev(a, 0, 0, { k: 'created', url: 'wss://api.example.com/feed?token=s3cret&x=1', resolvedUrl: 'wss://api.example.com/feed?token=s3cret&x=1', protocols: ['v2.json', 'v1.json'], frameUrl: 'https://app.example.com/' }),
    ev(a, 1, 31.5, { k: 'state', state: 1, via: 'open' }),
    ev(a, 2, 31.5, { k: 'open', protocol: 'v2.json', extensions: 'permessage-deflate', binaryType: 'arraybuffer' }),
    ev(a, 3, 40.1, { k: 'frame', dir: 'out', kind: 'text', as: 'string', size: 53, data: `{"id":1,"method":"auth","params":{"jwt":"${JWT.slice(0, 20)}"}}`, buffered: 53 }),
    ev(a, 4, 90.7, { k: 'buffered', amount: 0 }),
    ev(a, 5, 95, { k: 'frame', dir: 'in', kind: 'text', as: 'string', size: 25, data: `{"id":1,"result":"${JWT}"}` }),
    ev(a, 6, 120, { k: 'frame', dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: 4, data: b64([0, 1, 254, 255]) }),
    ev(a, 7, 130, { k: 'frame', dir: 'out', kind: 'binary', as: 'Blob', size: 3, buffered: 3 }),
    ev(a, 8, 131, { k: 'payload', of: 7, data: b64([7, 8, 9]) }),
    // seq 9 and 10 never arrived (dropped)
    ev(a, 11, 140, { k: 'frame', dir: 'in', kind: 'text', as: 'string', size: 100_000, data: 'x'.repeat(64), truncated: true }),
    ev(a, 12, 150, { k: 'frame', dir: 'in', kind: 'text', as: 'string', size: 9, data: 'injected', by: 'devtools' }),
    ev(a, 13, 160, { k: 'error', state: 1 }),
    ev(a, 14, 170, { k: 'close-call', code: 3001, reason: 'bye' }),
    ev(a, 15, 170, { k: 'state', state: 2, via: 'close-call' }),
    ev(a, 16, 171, { k: 'frame', dir: 'out', kind: 'text', as: 'string', size: 4, data: 'late', notSent: true }),
    ev(a, 17, 172, { k: 'api-error', method: 'close', error: { name: 'SyntaxError', message: 'bad reason' } }),
    ev(a, 18, 200, { k: 'state', state: 3, via: 'close' }),
    ev(a, 19, 200, { k: 'close', code: 3001, reason: 'bye', wasClean: true, initiator: 'page' }),
  ];
  const failed = [ev('h1.1', 0, 500, { k: 'construct-error', url: 'ws://bad:1/', frameUrl: 'https://app.example.com/', error: { name: 'SyntaxError', message: 'bad url' } })];
  const partial = [
    ev('h2.4', 7, 900, { k: 'frame', dir: 'in', kind: 'text', as: 'string', size: 2, data: 'hi' }),
    ev('h2.4', 8, 950, { k: 'state', state: 3, via: 'close' }),
    ev('h2.4', 9, 950, { k: 'close', code: 1006, reason: '', wasClean: false, initiator: 'network', simulated: { as: 'network', code: 1006, reason: '', wasClean: false } }),
  ];
  return [{ frameId: 0, hook: 'h1', events: [...rich, ...failed] }, { frameId: 3, hook: 'h2', events: partial }];
}

export function storeOf(batches: { frameId: number; hook: string; events: WireEvent[] }[]): Store {
  const s = new Store();
  for (const b of batches) s.ingest(b.frameId, b.hook, b.events);
  return s;
}

/** What the panel shows of a connection, as plain data (works whatever holds the frames). */
export function snapshot(c: Connection): Record<string, unknown> {
  const frames = Array.from(c.frames as Iterable<Frame>, ({ conn: _c, id: _i, ...f }) => JSON.parse(JSON.stringify(f)) as unknown);
  return JSON.parse(JSON.stringify({
    key: c.key, frameId: c.frameId, hook: c.hook, id: c.id, url: c.url, resolvedUrl: c.resolvedUrl, protocols: c.protocols, frameUrl: c.frameUrl,
    subclass: c.subclass, state: c.state, createdAt: c.createdAt, openAt: c.openAt, protocol: c.protocol, extensions: c.extensions,
    binaryType: c.binaryType, framesIn: c.framesIn, framesOut: c.framesOut, bytesIn: c.bytesIn, bytesOut: c.bytesOut,
    timeline: c.timeline, buffered: c.buffered, problems: c.problems, closeRequest: c.closeRequest, close: c.close,
    lastSeq: c.lastSeq, dropped: c.dropped, frames,
  })) as Record<string, unknown>;
}
