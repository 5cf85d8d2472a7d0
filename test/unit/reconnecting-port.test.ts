/**
 * ReconnectingPort: the panel's and the relay's runtime.Port, which must come back after the service
 * worker stops. On fake ports (fake-ports.ts) with fake timers.
 */
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingPort, type PortStatus } from '../../src/transport/reconnecting-port';
import { FakeExtension, FakePort, settle, useFakeTime } from './fake-ports';

beforeEach(() => { useFakeTime(); });
afterEach(() => { vi.useRealTimers(); });

/** A background that says hello on every connection and remembers its ends. */
function background(ext: FakeExtension) {
  const ends: Runtime.Port[] = [];
  ext.startBackground((port) => {
    ends.push(port);
    port.postMessage({ type: 'hello', n: ends.length });
  });
  return ends;
}

function client(ext: FakeExtension, o: { eager?: boolean } = {}) {
  const got: unknown[] = [];
  const statuses: PortStatus[] = [];
  let connects = 0;
  const port: ReconnectingPort<unknown, unknown> = new ReconnectingPort({
    name: 'test', connect: ext.connector(ext.pageSender()), eager: o.eager ?? true,
    onMessage: (m) => got.push(m), onStatus: (s) => statuses.push(s), onConnect: () => { connects++; port.post({ type: 'subscribe' }); },
  });
  return { port, got, statuses, connects: () => connects };
}

/** A client connected to a background that says hello, once that hello arrived. */
async function connected(o: { eager?: boolean } = {}) {
  const ext = new FakeExtension();
  background(ext);
  const c = client(ext, o);
  c.port.reconnect();
  await settle();
  return { ext, ...c };
}

describe('ReconnectingPort', () => {
  it('connects, says so, subscribes at once, and hears the first message (its listener is attached in the same tick)', async () => {
    const ext = new FakeExtension();
    const ends = background(ext);
    const c = client(ext);
    c.port.reconnect();
    expect(c.port.connected).toBe(true);
    expect(c.statuses).toEqual(['connected']);
    expect(c.connects()).toBe(1);
    await settle();
    expect(c.got).toEqual([{ type: 'hello', n: 1 }]);
    expect(ends[0]!.sender?.url).toBe(ext.pageSender().url);
    expect((ext.ports[0]![1] as FakePort).received).toEqual([{ type: 'subscribe' }]);
  });

  it('would lose that first message with a listener attached a tick later (what the fakes model)', async () => {
    const ext = new FakeExtension();
    background(ext);
    const port = ext.connector(ext.pageSender())('late');
    await settle();
    const got: unknown[] = [];
    port.onMessage.addListener((m: unknown) => { got.push(m); });
    await settle();
    expect(got).toEqual([]);
  });

  it('reconnects after the background goes away, says "reconnecting" meanwhile, and subscribes again', async () => {
    const { ext, ...c } = await connected();
    ext.stopBackground();
    const ends = background(ext); // the next connect wakes a new service worker
    await settle();
    expect(c.statuses).toEqual(['connected', 'reconnecting']);
    expect(c.port.connected).toBe(false);
    expect(c.port.post({ type: 'lost' })).toBe(false);
    await settle(50);
    expect(c.statuses).toEqual(['connected', 'reconnecting', 'connected']);
    expect(c.connects()).toBe(2);
    expect(c.got).toEqual([{ type: 'hello', n: 1 }, { type: 'hello', n: 1 }]);
    expect((ends[0] as unknown as FakePort).received).toEqual([{ type: 'subscribe' }]);
  });

  it('backs off while every connection drops at once, and starts over once the other end answered', async () => {
    const ext = new FakeExtension();
    // a background that hangs up on everyone
    ext.startBackground((port) => port.disconnect());
    const c = client(ext);
    c.port.reconnect();
    const attemptsAt: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 8; i++) {
      const before = ext.ports.length;
      while (ext.ports.length === before) await settle(10);
      attemptsAt.push(Date.now() - start);
    }
    const gaps = attemptsAt.map((t, i) => t - (i ? attemptsAt[i - 1]! : 0));
    // each wait doubles from 50 ms up to 1 s (delivery and polling add a few ms to each)
    expect(gaps.map((g) => Math.floor(g / 50) * 50)).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);

    // a background that works: once it answered, the next drop is retried quickly again
    background(ext);
    await settle(1000);
    expect(c.port.connected).toBe(true);
    const n = ext.ports.length;
    ext.stopBackground();
    background(ext);
    await settle(60);
    expect(ext.ports.length).toBe(n + 1);
    expect(c.port.connected).toBe(true);
  });

  it('treats a post that throws (the port died under it) as a drop', async () => {
    const { ext, ...c } = await connected();
    (ext.ports[0]![0] as FakePort).connected = false; // dead, and the disconnect event not yet delivered
    expect(c.port.post({ type: 'x' })).toBe(false);
    expect(c.statuses.at(-1)).toBe('reconnecting');
    await settle(50);
    expect(c.port.connected).toBe(true);
  });

  it('does not reconnect by itself when not eager (the relay waits to be asked)', async () => {
    const { ext, ...c } = await connected({ eager: false });
    ext.stopBackground();
    background(ext);
    await settle(5000);
    expect(c.port.connected).toBe(false);
    expect(ext.ports).toHaveLength(1);
    c.port.reconnect();
    expect(c.port.connected).toBe(true);
    expect(ext.ports).toHaveLength(2);
  });

  it('stops for good when closed, or when connect throws (the extension was reloaded)', async () => {
    const { ext, ...c } = await connected();
    c.port.close();
    await settle(5000);
    expect(c.port.connected).toBe(false);
    expect(ext.ports).toHaveLength(1);
    expect((ext.ports[0]![1] as FakePort).connected).toBe(false); // the background saw it go
    c.port.reconnect();
    expect(ext.ports).toHaveLength(1);

    const connect = vi.fn(() => { throw new Error('Extension context invalidated.'); });
    const orphan = new ReconnectingPort<unknown, unknown>({ name: 'x', connect, eager: true, onMessage: () => {}, onConnect: () => {} });
    orphan.reconnect();
    orphan.reconnect();
    expect(connect).toHaveBeenCalledTimes(1);
    expect(orphan.connected).toBe(false);
  });
});
