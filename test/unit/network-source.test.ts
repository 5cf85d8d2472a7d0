/**
 * DevTools' network log as the panel's second source (src/network): which entries become connections
 * (workers', the service worker's, WebSocketStreams) and which are the hook's (never twice: by the hook's
 * frame, or URL + open time + first frames; the hook's record wins even when it arrives late), how only
 * new messages are taken from each poll of the whole log, and what the source says when it cannot work.
 * Entries have the shape Chromium 156's getHAR() gives (see platform-notes).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classify, workerScriptsOf, type LogContext } from '../../src/network/classify';
import type { HarEntry, HarMessage } from '../../src/network/har-entry';
import { GRACE_MS, HarMerger, NETWORK_FRAME, NETWORK_HOOK, type HookView } from '../../src/network/har-merge';
import { NetworkSource, type DevtoolsNetwork, type SourceState } from '../../src/network/network-source';
import type { WireEvent } from '../../src/protocol/messages';
import { Store } from '../../src/store/store';

const OWN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const PAGE = 'http://app.test/';
const T0 = Date.parse('2026-01-02T10:00:00.000Z');

const msg = (type: 'send' | 'receive', data: string, at: number, opcode = 1): HarMessage => ({ type, time: at / 1000, opcode, data });

function wsEntry(o: { url: string; at?: number; script?: string; fn?: string; msgs?: HarMessage[]; status?: number; parentId?: boolean }): HarEntry {
  const at = o.at ?? T0;
  return {
    startedDateTime: new Date(at).toISOString(), time: 5, _resourceType: 'websocket',
    request: { url: o.url },
    response: { status: o.status ?? 101, headers: [{ name: 'Sec-WebSocket-Protocol', value: 'chat' }, { name: 'Sec-WebSocket-Extensions', value: 'permessage-deflate' }] },
    timings: { wait: 5 },
    _initiator: {
      type: 'script',
      stack: { callFrames: [{ functionName: o.fn ?? '', url: o.script ?? `${PAGE}app.js`, lineNumber: 3, columnNumber: 9 }], ...(o.parentId ? { parentId: { id: '2' } } : {}) },
    },
    _webSocketMessages: o.msgs ?? [],
  };
}
const scriptEntry = (url: string, initiator: { type: string; url?: string }): HarEntry =>
  ({ request: { url }, _resourceType: 'script', _initiator: initiator, startedDateTime: new Date(T0).toISOString() });

const ctx = (o: Partial<LogContext> = {}): LogContext => ({
  workerScripts: new Set(), serviceWorkerScripts: new Set(), windowScripts: new Set([PAGE, `${PAGE}app.js`]), hookInTab: true, ...o,
});

/** The store as the merger sees it. */
const viewOf = (store: Store): HookView => ({
  connections: store.order,
  firstFrames: (c) => c.frames.map((f) => ({ out: f.dir === 'out', binary: f.kind === 'binary', data: typeof f.data === 'string' ? f.data : f.data?.b64 ?? '' })),
});

/** A page hook's connection in the store, with frames. */
function hookSocket(store: Store, url: string, at: number, frames: [dir: 'out' | 'in', text: string][]): void {
  const events: WireEvent[] = [{ k: 'created', c: 'hook1.0', seq: 0, t: at, url, resolvedUrl: url, frameUrl: PAGE }];
  frames.forEach(([dir, data], i) => events.push({ k: 'frame', c: 'hook1.0', seq: i + 1, t: at + i + 1, dir, kind: 'text', as: 'string', size: data.length, data }));
  store.ingest(0, 'hook1', events);
}

const frames = (events: WireEvent[]) => events.filter((e) => e.k === 'frame');

describe('classify: what opened a socket the log lists', () => {
  it("the hook's own (its frame innermost), a worker's, the service worker's, a WebSocketStream, or unknown", () => {
    const workers = workerScriptsOf([
      scriptEntry('http://app.test/w.js', { type: 'other', url: PAGE }), scriptEntry('http://app.test/m.js', { type: 'other', url: PAGE }),
      scriptEntry('http://app.test/dep.js', { type: 'script', url: 'http://app.test/m.js' }), scriptEntry('http://app.test/lib.js', { type: 'parser', url: PAGE }),
      scriptEntry('http://app.test/sw.js', { type: 'other', url: PAGE }),
    ]);
    expect([...workers].sort()).toEqual(['http://app.test/dep.js', 'http://app.test/m.js', 'http://app.test/sw.js', 'http://app.test/w.js']);
    const c = ctx({ workerScripts: workers, serviceWorkerScripts: new Set(['http://app.test/sw.js']) });
    const hooked = { ...wsEntry({ url: 'ws://s/a' }), _initiator: { type: 'script', stack: { callFrames: [{ functionName: 'WebSocket', url: `${OWN}extension/page/index.js` }, { url: `${PAGE}app.js` }] } } };
    expect(classify(hooked, OWN, c)).toMatchObject({ byHook: true });
    expect(classify(wsEntry({ url: 'ws://s/a', script: 'http://app.test/dep.js' }), OWN, c)).toMatchObject({ byHook: false, source: 'worker' });
    expect(classify(wsEntry({ url: 'ws://s/a', script: 'http://app.test/sw.js' }), OWN, c)).toMatchObject({ source: 'service-worker' });
    expect(classify(wsEntry({ url: 'ws://s/a', script: 'blob:http://app.test/1-2' }), OWN, c)).toMatchObject({ source: 'worker' });
    expect(classify(wsEntry({ url: 'ws://s/a', script: 'http://elsewhere.test/x.js', parentId: true }), OWN, c)).toMatchObject({ source: 'worker' });
    expect(classify(wsEntry({ url: 'ws://s/a', script: PAGE }), OWN, c)).toMatchObject({ source: 'stream', script: PAGE });
    // without a hook in the tab, a window's socket may be any WebSocket: not called a stream
    expect(classify(wsEntry({ url: 'ws://s/a', script: PAGE }), OWN, ctx({ hookInTab: false }))).toMatchObject({ source: 'network' });
    expect(classify(wsEntry({ url: 'ws://s/a', script: 'http://unknown.test/x.js' }), OWN, c)).toMatchObject({ source: 'network' });
  });
});

describe('HarMerger: the log merged into the panel', () => {
  let store: Store;
  beforeEach(() => { store = new Store(); });

  it("a worker's socket becomes a network connection once the grace for a hook's record is over, with its stack, open and frames", () => {
    const m = new HarMerger(OWN);
    const c = ctx({ workerScripts: new Set(['http://app.test/w.js']) });
    const e = wsEntry({ url: 'ws://s/echo?from=worker', script: 'http://app.test/w.js', fn: 'connect', msgs: [msg('send', 'hi', T0 + 10), msg('receive', 'hi', T0 + 12)] });
    expect(m.update([e], viewOf(store), c, T0 + 100).events).toEqual([]);
    const { events } = m.update([e], viewOf(store), c, T0 + 100 + GRACE_MS);
    expect(events.map((x) => x.k)).toEqual(['created', 'state', 'open', 'frame', 'frame']);
    expect(events[0]).toMatchObject({
      c: `${NETWORK_HOOK}.0`, seq: 0, t: T0, url: 'ws://s/echo?from=worker', frameUrl: 'http://app.test/w.js', source: 'worker', network: true,
      stack: [{ fn: 'connect', url: 'http://app.test/w.js', line: 4, col: 10 }],
    });
    expect(events[2]).toMatchObject({ k: 'open', protocol: 'chat', extensions: 'permessage-deflate' });
    expect(frames(events)).toMatchObject([{ dir: 'out', kind: 'text', data: 'hi', size: 2, t: T0 + 10 }, { dir: 'in', data: 'hi' }]);
    expect(events.map((x) => x.seq)).toEqual([0, 1, 2, 3, 4]);

    store.ingest(NETWORK_FRAME, NETWORK_HOOK, events);
    const conn = store.order[0]!;
    expect(conn).toMatchObject({ source: 'worker', network: true, state: 1, framesOut: 1, framesIn: 1, protocol: 'chat' });
    expect(conn.key).toBe(`${NETWORK_FRAME}/${NETWORK_HOOK}.0`);
  });

  it('takes only the messages that are new in each poll of the whole log (binary as base64), seqs continuing', () => {
    const m = new HarMerger(OWN);
    const c = ctx({ workerScripts: new Set(['http://app.test/w.js']) });
    const list: HarMessage[] = [msg('send', 'a', T0 + 1)];
    const entry = () => wsEntry({ url: 'ws://s/x', script: 'http://app.test/w.js', msgs: [...list] });
    m.update([entry()], viewOf(store), c, T0);
    const first = m.update([entry()], viewOf(store), c, T0 + GRACE_MS).events;
    expect(frames(first)).toHaveLength(1);
    for (let i = 0; i < 1000; i++) list.push(msg(i % 2 ? 'receive' : 'send', `m${i}`, T0 + 10 + i));
    list.push(msg('receive', 'AQID', T0 + 2000, 2));
    const second = m.update([entry()], viewOf(store), c, T0 + GRACE_MS + 1000).events;
    expect(second).toHaveLength(1001);
    expect(second[0]).toMatchObject({ seq: first.at(-1)!.seq + 1, data: 'm0' });
    expect(second.at(-1)).toMatchObject({ kind: 'binary', as: 'ArrayBuffer', size: 3, data: { b64: 'AQID' } });
    expect(m.update([entry()], viewOf(store), c, T0 + GRACE_MS + 2000).events).toEqual([]);
  });

  it("never shows the hook's own sockets: made through the hook, or the same URL, open time and first frames", () => {
    const m = new HarMerger(OWN);
    hookSocket(store, 'ws://s/page', T0, [['out', 'hello'], ['in', 'hello']]);
    const viaHook: HarEntry = { ...wsEntry({ url: 'ws://s/other' }), _initiator: { type: 'script', stack: { callFrames: [{ functionName: 'WebSocket', url: `${OWN}extension/page/index.js` }] } } };
    // no hook frame (a stack from an older DevTools, say), but the same socket: URL, time, first frames each way
    const same = wsEntry({ url: 'ws://s/page', at: T0 + 3, msgs: [msg('receive', 'hello', T0 + 20), msg('send', 'hello', T0 + 10)] });
    for (const now of [T0, T0 + GRACE_MS, T0 + 10 * GRACE_MS]) expect(m.update([viaHook, same], viewOf(store), ctx(), now).events).toEqual([]);
  });

  it('a socket to the same URL at the same time with other frames is another socket (a WebSocketStream): shown', () => {
    const m = new HarMerger(OWN);
    hookSocket(store, 'ws://s/page', T0, [['out', 'hello']]);
    const stream = wsEntry({ url: 'ws://s/page', at: T0 + 2, script: PAGE, msgs: [msg('send', 'stream says hi', T0 + 5)] });
    m.update([stream], viewOf(store), ctx(), T0);
    const { events } = m.update([stream], viewOf(store), ctx(), T0 + GRACE_MS);
    expect(events[0]).toMatchObject({ k: 'created', source: 'stream', network: true });
    // two sockets of one URL: the second entry (another worker, same URL, same first frames) cannot also be the hook's one socket
    const m2 = new HarMerger(OWN);
    const twin = (at: number) => wsEntry({ url: 'ws://s/page', at, script: PAGE, msgs: [msg('send', 'hello', at + 5)] });
    m2.update([twin(T0 + 1), twin(T0 + 2)], viewOf(store), ctx(), T0);
    const shown = m2.update([twin(T0 + 1), twin(T0 + 2)], viewOf(store), ctx(), T0 + GRACE_MS).events.filter((e) => e.k === 'created');
    expect(shown).toHaveLength(1);
  });

  it("hands a network connection back when the hook's record turns up later (the hook's record wins)", () => {
    const m = new HarMerger(OWN);
    const e = wsEntry({ url: 'ws://s/late', at: T0, msgs: [msg('send', 'x', T0 + 1)] });
    m.update([e], viewOf(store), ctx(), T0);
    const shown = m.update([e], viewOf(store), ctx(), T0 + GRACE_MS);
    store.ingest(NETWORK_FRAME, NETWORK_HOOK, shown.events);
    expect(store.order).toHaveLength(1);
    hookSocket(store, 'ws://s/late', T0 + 1, [['out', 'x']]);
    const later = m.update([e], viewOf(store), ctx(), T0 + GRACE_MS + 1000);
    expect(later).toEqual({ events: [], replaced: [`${NETWORK_HOOK}.0`] });
    store.remove(later.replaced.map((id) => `${NETWORK_FRAME}/${id}`));
    expect(store.order.map((c) => c.hook)).toEqual(['hook1']);
  });

  it('marks a socket CLOSED (code unknown) when DevTools says it finished, with its last messages', () => {
    const m = new HarMerger(OWN);
    const c = ctx({ workerScripts: new Set(['http://app.test/w.js']) });
    const e = wsEntry({ url: 'ws://s/x', script: 'http://app.test/w.js', msgs: [msg('send', 'a', T0 + 1)] });
    m.update([e], viewOf(store), c, T0);
    store.ingest(NETWORK_FRAME, NETWORK_HOOK, m.update([e], viewOf(store), c, T0 + GRACE_MS).events);
    const last = { ...e, _webSocketMessages: [msg('send', 'a', T0 + 1), msg('receive', 'bye', T0 + 3000)] };
    const fin = m.finished(last, viewOf(store), c, T0 + 4000);
    expect(fin.events.map((x) => x.k)).toEqual(['frame', 'state']);
    store.ingest(NETWORK_FRAME, NETWORK_HOOK, fin.events);
    expect(store.order[0]).toMatchObject({ state: 3, framesIn: 1 });
    expect(store.order[0]!.close).toBeUndefined();
    expect(m.finished(last, viewOf(store), c, T0 + 5000).events).toEqual([]);
  });

  it('a socket that finished while it waited for a hook\'s record is shown closed', () => {
    const m = new HarMerger(OWN);
    const c = ctx({ workerScripts: new Set(['http://app.test/w.js']) });
    const e = wsEntry({ url: 'ws://s/quick', script: 'http://app.test/w.js', msgs: [msg('send', 'a', T0 + 1)] });
    m.update([e], viewOf(store), c, T0);
    expect(m.finished(e, viewOf(store), c, T0 + 100).events).toEqual([]);
    const shown = m.update([e], viewOf(store), c, T0 + GRACE_MS).events;
    expect(shown.map((x) => x.k)).toEqual(['created', 'state', 'open', 'frame', 'state']);
    expect(shown.at(-1)).toMatchObject({ state: 3, via: 'close', t: T0 + 100 });
  });

  it('a socket that finished before any poll listed it is shown closed', () => {
    const m = new HarMerger(OWN);
    const c = ctx({ workerScripts: new Set(['http://app.test/w.js']) });
    const e = wsEntry({ url: 'ws://s/quicker', script: 'http://app.test/w.js', msgs: [msg('send', 'a', T0 + 1)] });
    expect(m.finished(e, viewOf(store), c, T0 + 50).events).toEqual([]);
    m.update([e], viewOf(store), c, T0 + 100);
    expect(m.update([e], viewOf(store), c, T0 + 100 + GRACE_MS).events.at(-1)).toMatchObject({ k: 'state', state: 3, t: T0 + 50 });
  });

  it('a socket whose close event came before the panel listened is closed by the entry itself (timings.receive, time)', () => {
    // DevTools counts timings.receive up to the request's end: 0 while the socket is open, > 0 once it closed
    const m = new HarMerger(OWN);
    const c = ctx({ workerScripts: new Set(['http://app.test/w.js']) });
    const open = wsEntry({ url: 'ws://s/missed', script: 'http://app.test/w.js', msgs: [msg('send', 'a', T0 + 1), msg('receive', 'a', T0 + 2)] });
    open.timings = { wait: 5, receive: 0 };
    m.update([open], viewOf(store), c, T0);
    expect(m.update([open], viewOf(store), c, T0 + GRACE_MS).events.map((x) => x.k)).toEqual(['created', 'state', 'open', 'frame', 'frame']);
    // no onRequestFinished: the next poll's entry says it ended, at start + time
    const closed = { ...open, time: 40, timings: { wait: 5, receive: 35 } };
    expect(m.update([closed], viewOf(store), c, T0 + GRACE_MS + 1000).events).toEqual([
      { k: 'state', c: `${NETWORK_HOOK}.0`, seq: 5, t: T0 + 40, state: 3, via: 'close' },
    ]);
    // said once: neither a later poll nor a late onRequestFinished closes it again
    expect(m.update([closed], viewOf(store), c, T0 + GRACE_MS + 2000).events).toEqual([]);
    expect(m.finished(closed, viewOf(store), c, T0 + GRACE_MS + 2500).events).toEqual([]);
    // an entry listed already finished (before the panel was shown) is shown closed at once
    const before = { ...wsEntry({ url: 'ws://s/earlier', script: 'http://app.test/w.js', msgs: [msg('send', 'b', T0 + 1)] }), time: 20, timings: { wait: 5, receive: 15 } };
    m.update([closed, before], viewOf(store), c, T0 + 10_000);
    expect(m.update([closed, before], viewOf(store), c, T0 + 10_000 + GRACE_MS).events.map((x) => x.k)).toEqual(['created', 'state', 'open', 'frame', 'state']);
  });

  it('a refused handshake shows as an error and CLOSED; sockets DevTools dropped from its log are forgotten', () => {
    const m = new HarMerger(OWN);
    const c = ctx({ workerScripts: new Set(['http://app.test/w.js']) });
    const refused = wsEntry({ url: 'ws://s/nope', script: 'http://app.test/w.js', status: 404 });
    m.update([refused], viewOf(store), c, T0);
    expect(m.update([refused], viewOf(store), c, T0 + GRACE_MS).events.map((e) => e.k)).toEqual(['created', 'error', 'state']);
    // the log was cleared (a navigation): nothing more to say about it, and no error either
    expect(m.update([], viewOf(store), c, T0 + 2 * GRACE_MS).events).toEqual([]);
  });
});

describe('NetworkSource: polling the log gently, and saying when it cannot', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  function fakeNetwork(entries: () => HarEntry[]) {
    const finished = new Set<(e: HarEntry) => void>();
    let calls = 0;
    const network: DevtoolsNetwork = {
      getHAR: (cb) => { calls++; queueMicrotask(() => cb({ entries: entries() })); },
      onRequestFinished: { addListener: (fn) => finished.add(fn), removeListener: (fn) => finished.delete(fn) },
    };
    return { network, calls: () => calls, finish: (e: HarEntry) => { for (const fn of finished) fn(e); } };
  }

  it('outside DevTools it is unavailable, and says why', () => {
    const states: SourceState[] = [];
    const src = new NetworkSource({ network: null, store: new Store(), ownScripts: OWN, onState: (s) => states.push(s) });
    src.setEnabled(true);
    expect(states.at(-1)).toEqual({ kind: 'unavailable', why: expect.stringContaining('not inside DevTools') });
  });

  it('polls once a second while shown, never while hidden or off, and merges into the store', async () => {
    const store = new Store();
    let now = T0;
    const e = wsEntry({ url: 'ws://s/x', script: PAGE, msgs: [msg('send', 'a', T0)] });
    const net = fakeNetwork(() => [e]);
    const states: SourceState[] = [];
    const src = new NetworkSource({ network: net.network, store, ownScripts: OWN, onState: (s) => states.push(s), now: () => now });
    src.setEnabled(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(net.calls()).toBe(1);
    now += 2 * GRACE_MS;
    await vi.advanceTimersByTimeAsync(1000);
    expect(net.calls()).toBe(2);
    expect(store.order).toHaveLength(1);
    expect(store.order[0]).toMatchObject({ network: true, source: 'network', framesOut: 1 });
    expect(states.at(-1)).toMatchObject({ kind: 'watching', sockets: 1 });
    src.setShown(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(net.calls()).toBe(2);
    src.setShown(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(net.calls()).toBe(3);
    src.setEnabled(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(net.calls()).toBe(3);
    expect(states.at(-1)).toEqual({ kind: 'off' });
  });

  it('says the log leaves WebSockets out when the hook reports sockets opened while watching that the log never lists', async () => {
    const store = new Store();
    let now = T0;
    const net = fakeNetwork(() => []);
    const states: SourceState[] = [];
    const src = new NetworkSource({ network: net.network, store, ownScripts: OWN, onState: (s) => states.push(s), now: () => now });
    src.setEnabled(true);
    hookSocket(store, 'ws://s/page', T0 + 5000, [['out', 'x']]);
    for (let i = 0; i < 5; i++) { now += 1000; await vi.advanceTimersByTimeAsync(1000); }
    expect(states.at(-1)).toEqual({ kind: 'unavailable', why: expect.stringContaining('leaves WebSockets out') });
  });

  it('a socket that finished is closed at once (onRequestFinished)', async () => {
    const store = new Store();
    let now = T0;
    const e = wsEntry({ url: 'ws://s/x', script: PAGE, msgs: [msg('send', 'a', T0)] });
    const net = fakeNetwork(() => [e]);
    const src = new NetworkSource({ network: net.network, store, ownScripts: OWN, onState: () => {}, now: () => now });
    src.setEnabled(true);
    await vi.advanceTimersByTimeAsync(0);
    now += 2 * GRACE_MS;
    await vi.advanceTimersByTimeAsync(1000);
    net.finish(e);
    expect(store.order[0]).toMatchObject({ state: 3 });
  });
});
