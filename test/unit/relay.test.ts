/**
 * The relay (isolated world) between a page's hook and the background, on fakes: it takes exactly one
 * channel, from the hook's trusted handshake, and page listeners never see it; it forwards only
 * well-formed hook messages (binary as base64 over Chrome's JSON ports); commands reach the hook only
 * from the background port; nothing the page posts or dispatches makes it act. The hook here is
 * scripted (a channel and what it posts), so each guard can be fed what a real hook never sends.
 */
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WireBatch } from '../../src/protocol/batch';
import type { CaptureEvent } from '../../src/protocol/events';
import { DATA_PORT, envelope, HANDSHAKE, PING, WORKER_SCRIPT } from '../../src/protocol/messages';
import {
  FakeExtension, FakeMessageChannel, FakeWindow, ofType, settle, types, useFakeTime, type FakeMessagePort, type FakePort, type Serialize,
} from './fake-ports';
import type { CaptureOptions } from '../../src/settings/capture-options';
import { batchOf, binary, created, eventsIn, startRelayIn, text, type RelayOptions } from './fake-page';

// the codec as it is, unless a test makes it fail (as Firefox's Xray wrappers once made it: see relay.ts)
const codec = vi.hoisted(() => ({ failNext: false }));
vi.mock('../../src/protocol/batch-codec', async (original) => {
  const real = await original<typeof import('../../src/protocol/batch-codec')>();
  return {
    ...real,
    toWireBatch: (...args: Parameters<typeof real.toWireBatch>) => {
      if (codec.failNext) { codec.failNext = false; throw new Error('Permission denied to access property "constructor"'); }
      return real.toWireBatch(...args);
    },
  };
});

beforeEach(() => { useFakeTime(); });
afterEach(() => { vi.useRealTimers(); });

const TAB = 4;
const HOOK = 'hook1';

/** A page with the relay, a scripted hook, and a background that records its relay ports. */
async function setup(o: { lightweight?: boolean; serialize?: Serialize } & Pick<RelayOptions, 'options' | 'workerHook' | 'workerScript'> = {}) {
  const ext = new FakeExtension(o.serialize);
  const background: Runtime.Port[] = [];
  ext.startBackground((port) => { background.push(port); });
  const win = new FakeWindow();
  let lightweightChanged: (on: boolean) => void = () => {};
  let optionsChanged: (c: Partial<CaptureOptions>) => void = () => {};
  startRelayIn(ext, win, TAB, 0, {
    lightweight: o.lightweight, onLightweightChange: (fn) => { lightweightChanged = fn; },
    options: o.options, onOptionsChange: (fn) => { optionsChanged = fn; }, workerHook: o.workerHook,
    ...(o.workerScript ? { workerScript: o.workerScript } : {}),
  });
  // what the page's own listeners see (added after the relay's, as any page script is)
  const pageSaw: unknown[] = [];
  win.addEventListener('message', (ev) => pageSaw.push(ev.data));
  const hook = new FakeMessageChannel();
  const fromRelay: unknown[] = [];
  hook.port1.onmessage = (ev) => fromRelay.push(ev.data);
  win.postMessage({ type: HANDSHAKE, hook: HOOK }, '*', [hook.port2]);
  await settle();
  const toRelay = (m: unknown) => hook.port1.postMessage(m);
  /** the hook's first socket: the relay connects to the background; returns the background's end of the port */
  const activate = async () => {
    toRelay(envelope('wsi-hook', { type: 'active' }));
    await settle();
    return background.at(-1) as unknown as FakePort;
  };
  return {
    ext, win, background, pageSaw, hook, fromRelay, toRelay, activate, lightweightChanged: (on: boolean) => lightweightChanged(on),
    optionsChanged: (c: Partial<CaptureOptions>) => optionsChanged(c),
  };
}

const frames = (...events: CaptureEvent<ArrayBuffer>[]) => envelope('wsi-hook', { type: 'batch', batch: batchOf(events) });

describe('relay: the channel to the hook', () => {
  it('takes the channel of the first trusted handshake and hides every handshake from the page', async () => {
    const ext = new FakeExtension();
    const win = new FakeWindow();
    startRelayIn(ext, win, TAB, 0);
    const pageSaw: unknown[] = [];
    win.addEventListener('message', (ev) => pageSaw.push(ev.data));
    const listen = (ch: FakeMessageChannel) => { const got: unknown[] = []; ch.port1.onmessage = (ev) => got.push(ev.data); return got; };
    // a page script's synthetic handshake comes first (at once), then the hook's real one, then another real one from the page
    const synthetic = new FakeMessageChannel();
    const real = new FakeMessageChannel();
    const late = new FakeMessageChannel();
    const [gotSynthetic, gotReal, gotLate] = [listen(synthetic), listen(real), listen(late)];
    win.dispatchSynthetic({ type: HANDSHAKE, hook: 'evil' }, [synthetic.port2]);
    win.postMessage({ type: HANDSHAKE, hook: HOOK }, '*', [real.port2]);
    win.postMessage({ type: HANDSHAKE, hook: 'evil2' }, '*', [late.port2]);
    await settle();
    expect(types(gotReal)).toEqual(['ready']);
    expect([gotSynthetic, gotLate]).toEqual([[], []]);
    // the page saw the relay's "ready for the handshake" call, never a handshake
    expect(pageSaw).toEqual([{ type: 'wsi-relay-ready' }]);
  });

  it('connects to the extension only once the page has a socket, and says hello with the hook and the page\'s URL', async () => {
    const { ext, background, activate } = await setup();
    await ext.sendToTab(TAB, { type: PING }); // a panel opened on the tab: not before the page has a socket
    await settle();
    expect(background).toEqual([]);
    const port = await activate();
    expect(port.sender).toMatchObject({ tab: { id: TAB }, frameId: 0 });
    expect(port.received).toEqual([envelope('wsi-relay', { type: 'hello', hook: HOOK, url: 'https://page.test/' })]);
  });

  it('gives the hook the user\'s settings, and lightweight mode again when it changes', async () => {
    const { fromRelay, lightweightChanged } = await setup({ lightweight: true });
    lightweightChanged(false);
    await settle();
    expect(fromRelay).toEqual([envelope('wsi-relay', { type: 'ready', lightweight: true }), envelope('wsi-relay', { type: 'ready', lightweight: false })]);
  });
});

describe('relay: the capture options', () => {
  it('hands the hook send() call sites and deep capture of workers with the worker hook\'s code, and changes to them', async () => {
    const { fromRelay, optionsChanged } = await setup({ options: async () => ({ sendSites: true, workers: true }), workerHook: async () => '/* hook */' });
    optionsChanged({ workers: false });
    optionsChanged({ sendSites: false });
    await settle();
    expect(fromRelay).toEqual([
      envelope('wsi-relay', { type: 'ready', lightweight: false, sendSites: true, workers: true, workerHook: '/* hook */' }),
      envelope('wsi-relay', { type: 'ready', workers: false }), envelope('wsi-relay', { type: 'ready', sendSites: false }),
    ]);
  });

  it('does not ask the hook to capture workers when there is no worker hook to give it', async () => {
    const { fromRelay } = await setup({ options: async () => ({ sendSites: false, workers: true }), workerHook: async () => undefined });
    expect(fromRelay).toEqual([envelope('wsi-relay', { type: 'ready', lightweight: false, sendSites: false, workers: false })]);
  });

  it('Firefox: tells the hook the background hooks worker scripts, and passes on its words with the hook\'s id (well-formed ones only)', async () => {
    const words: unknown[] = [];
    const { fromRelay, toRelay } = await setup({ options: async () => ({ sendSites: false, workers: true }), workerScript: (w) => words.push(w) });
    expect(fromRelay).toEqual([envelope('wsi-relay', { type: 'ready', lightweight: false, sendSites: false, workers: true, workerScripts: true })]);
    toRelay(envelope('wsi-hook', { type: 'worker-script', url: 'https://app.test/w.js', base: 4194304 }));
    toRelay(envelope('wsi-hook', { type: 'worker-script', url: 'https://app.test/w.js', base: -1 }));
    toRelay(envelope('wsi-hook', { type: 'worker-script', url: 42, base: 4194304 }));
    await settle();
    expect(words).toEqual([{ type: WORKER_SCRIPT, url: 'https://app.test/w.js', hook: HOOK, base: 4194304 }]);
  });

  it('gives the hook its settings before anything a panel asks (an attach waits for a slow storage)', async () => {
    let storageAnswers: (o: CaptureOptions) => void = () => {};
    const { fromRelay, activate } = await setup({ options: () => new Promise((r) => { storageAnswers = r; }) });
    const port = await activate();
    port.postMessage(envelope('wsi-background', { type: 'attach', cursors: {} }));
    await settle();
    expect(fromRelay).toEqual([]);
    storageAnswers({ sendSites: true, workers: false });
    await settle();
    expect(types(fromRelay)).toEqual(['ready', 'attach']);
  });
});

describe('relay: hook → background', () => {
  it('forwards batches, payloads and command answers, binary as base64 (Chrome\'s ports carry JSON)', async () => {
    const { toRelay, activate } = await setup();
    const port = await activate();
    toRelay(frames(text('hook1.0', 1, 'héllo ✓'), binary('hook1.0', 2, [0, 1, 254, 255])));
    toRelay(envelope('wsi-hook', { type: 'payload', req: 3, c: 'hook1.0', seq: 2, data: new Uint8Array([9, 8, 7]).buffer }));
    toRelay(envelope('wsi-hook', { type: 'command-result', req: 4, result: { ok: true } }));
    await settle();
    expect(types(port.received)).toEqual(['hello', 'batch', 'payload', 'command-result']);
    const [, batch, payload, result] = port.received;
    expect(batch).toMatchObject({ src: 'wsi-relay', hook: HOOK });
    expect(eventsIn(batch).map((e) => (e as { data: unknown }).data)).toEqual(['héllo ✓', { b64: 'AAH+/w==' }]);
    expect(payload).toEqual(envelope('wsi-relay', { type: 'payload', hook: HOOK, req: 3, c: 'hook1.0', seq: 2, data: { b64: 'CQgH' } }));
    expect(result).toEqual(envelope('wsi-relay', { type: 'command-result', hook: HOOK, req: 4, result: { ok: true } }));
  });

  it('drops what is not a well-formed hook message, and counts each in a batch of its own: never silent', async () => {
    const { toRelay, activate } = await setup();
    const port = await activate();
    const good = frames(text('hook1.0', 1, 'ok'));
    for (const bad of [
      null, 'batch', { ...good, src: 'wsi-page' }, { ...good, v: 2 }, { ...good, batch: { events: [{ k: 'frame' }] } },
      frames(created('x'.repeat(65))), // a connection id too long
      frames({ ...text('hook1.0', 1, 'x'), kind: 'binary' } as CaptureEvent<ArrayBuffer>), // text bytes on a binary row
      envelope('wsi-hook', { type: 'payload', req: -1, c: 'hook1.0', seq: 1, data: 'x' }),
      envelope('wsi-hook', { type: 'command-result', req: 1, result: { ok: 'yes' } }),
      envelope('wsi-hook', { type: 'command', req: 1, cmd: { op: 'send', c: 'hook1.0', data: 'x' } }),
    ]) toRelay(bad);
    toRelay(good);
    await settle();
    const bad = 10;
    expect(types(port.received)).toEqual(['hello', ...Array<string>(bad + 1).fill('batch')]);
    const batches = port.received.slice(1) as { batch: WireBatch }[];
    // nothing of a refused message goes on: each says only how many were refused so far
    expect(batches.slice(0, bad).map((m) => [m.batch.rows, m.batch.events.length, m.batch.health])).toEqual(
      Array.from({ length: bad }, (_, i) => [0, 0, { relayRejected: i + 1 }]));
    // the good batch goes on whole, with the count
    expect(batches[bad]!.batch.rows).toBe(1);
    expect(batches[bad]!.batch.health).toEqual({ relayRejected: bad });
  });
});

describe('relay: bytes as they are where ports carry structured clones', () => {
  for (const serialize of ['clone', 'json'] as const) {
    it(`learns it from the attach's empty ArrayBuffer (${serialize})`, async () => {
      const { toRelay, activate } = await setup({ serialize });
      const bg = await activate();
      bg.postMessage(envelope('wsi-background', { type: 'attach', cursors: {}, clone: new ArrayBuffer(0) }));
      await settle();
      toRelay(frames(binary('hook1.0', 1, [0, 1, 254, 255])));
      await settle();
      const [m] = ofType<{ batch: WireBatch }>(bg.received, 'batch');
      if (serialize === 'clone') {
        expect(m!.batch.binary).toBeInstanceOf(ArrayBuffer);
        expect(m!.batch.cols).toBeInstanceOf(ArrayBuffer);
      } else {
        expect(typeof m!.batch.binary).toBe('string');
      }
      expect(eventsIn(m).map((e) => (e as { data: unknown }).data)).toEqual([{ b64: 'AAH+/w==' }]);
    });
  }
});

describe('relay: a panel\'s data port (Chrome)', () => {
  it('moves the batches onto it at the next attach, and back to the background when it goes', async () => {
    const { ext, toRelay, activate } = await setup();
    const bg = await activate();
    const rows = (msgs: unknown[]) => ofType<{ batch: WireBatch }>(msgs, 'batch').reduce((n, m) => n + m.batch.rows, 0);
    // the panel's end of a data port to this frame
    const data = ext.tabConnector(ext.pageSender())(TAB, 0, DATA_PORT) as unknown as FakePort;
    await settle();
    // not before an attach: what the hook streams now may still be overtaken on the new path
    toRelay(frames(text('hook1.0', 1, 'a')));
    await settle();
    expect([rows(bg.received), rows(data.received)]).toEqual([1, 0]);
    bg.postMessage(envelope('wsi-background', { type: 'attach', cursors: {} }));
    await settle();
    toRelay(frames(text('hook1.0', 2, 'b'), text('hook1.0', 3, 'c')));
    await settle();
    expect([rows(bg.received), rows(data.received)]).toEqual([1, 2]);
    // the panel goes: the background's port again
    data.disconnect();
    await settle();
    toRelay(frames(text('hook1.0', 4, 'd')));
    await settle();
    expect([rows(bg.received), rows(data.received)]).toEqual([2, 2]);
  });

  it('takes one only from a page of this extension, by its name', async () => {
    const { ext, toRelay, activate } = await setup();
    const bg = await activate();
    const data = ext.tabConnector({ id: 'another-extension', url: 'chrome-extension://another-extension/panel.html' })(TAB, 0, DATA_PORT) as unknown as FakePort;
    const named = ext.tabConnector(ext.pageSender())(TAB, 0, 'wsi-other') as unknown as FakePort;
    await settle();
    bg.postMessage(envelope('wsi-background', { type: 'attach', cursors: {} }));
    toRelay(frames(text('hook1.0', 1, 'a')));
    await settle();
    expect(data.received).toEqual([]);
    expect(named.received).toEqual([]);
    expect(ofType(bg.received, 'batch')).toHaveLength(1);
  });
});

describe('relay: a batch it cannot put on the port', () => {
  it('counts it with the refused ones and says so in a batch of its own, then goes on', async () => {
    const { toRelay, activate } = await setup();
    const port = await activate();
    codec.failNext = true;
    toRelay(frames(text('hook1.0', 1, 'lost')));
    toRelay(frames(text('hook1.0', 2, 'next')));
    await settle();
    const batches = (port.received.slice(1) as { batch: WireBatch }[]).map((m) => [m.batch.rows, m.batch.health]);
    expect(batches).toEqual([[0, { relayRejected: 1 }], [1, { relayRejected: 1 }]]);
  });
});

describe('relay: background → hook', () => {
  it('passes attach, detach and payload requests to the hook, and commands with binary data as bytes', async () => {
    const { fromRelay, activate } = await setup();
    const bg = await activate();
    bg.postMessage(envelope('wsi-background', { type: 'attach', cursors: { 'hook1.0': 3 } }));
    bg.postMessage(envelope('wsi-background', { type: 'fetch-payload', req: 2, c: 'hook1.0', seq: 3 }));
    bg.postMessage(envelope('wsi-background', { type: 'command', req: 7, cmd: { op: 'inject', c: 'hook1.0', data: { b64: 'AAH+/w==' } } }));
    bg.postMessage(envelope('wsi-background', { type: 'command', req: 8, cmd: { op: 'send', c: 'hook1.0', data: 'text' } }));
    bg.postMessage(envelope('wsi-background', { type: 'detach' }));
    await settle();
    expect(types(fromRelay)).toEqual(['ready', 'attach', 'fetch-payload', 'command', 'command', 'detach']);
    expect(fromRelay[1]).toEqual(envelope('wsi-relay', { type: 'attach', cursors: { 'hook1.0': 3 } }));
    const [inject, send] = ofType<{ req: number; cmd: { data: unknown } }>(fromRelay, 'command');
    expect(inject!.req).toBe(7);
    expect([...new Uint8Array(inject!.cmd.data as ArrayBuffer)]).toEqual([0, 1, 254, 255]);
    expect(send!.cmd.data).toBe('text');
  });

  it('answers a command with undecodable base64 itself, without troubling the hook', async () => {
    const { fromRelay, activate } = await setup();
    const port = await activate();
    port.postMessage(envelope('wsi-background', { type: 'command', req: 9, cmd: { op: 'send', c: 'hook1.0', data: { b64: '*!*' } } }));
    await settle();
    expect(ofType(fromRelay, 'command')).toEqual([]);
    expect(ofType(port.received, 'command-result')).toEqual([
      envelope('wsi-relay', { type: 'command-result', hook: HOOK, req: 9, result: { ok: false, error: { name: 'SyntaxError', message: 'the binary payload is not valid base64' } } }),
    ]);
  });

  it('tells the hook the background is restarting when its port drops, and comes back when pinged', async () => {
    const { ext, background, fromRelay, activate } = await setup();
    await activate();
    ext.stopBackground();
    ext.startBackground((port) => { background.push(port); });
    await settle();
    expect(fromRelay.at(-1)).toEqual(envelope('wsi-relay', { type: 'detach', restarting: true }));
    expect(background).toHaveLength(1); // it waits to be asked: the new background pings when a panel subscribes
    await ext.sendToTab(TAB, { type: PING });
    await settle();
    expect(background).toHaveLength(2);
    expect(types((background[1] as unknown as FakePort).received)).toEqual(['hello']);
  });
});

describe('relay: the page cannot make it act', () => {
  it('ignores every protocol message the page posts or dispatches, and a fake handshake\'s port', async () => {
    const { win, fromRelay, activate, pageSaw } = await setup();
    const port = await activate();
    const c = 'hook1.0';
    const shapes: unknown[] = [];
    for (const src of ['wsi-panel', 'wsi-background', 'wsi-relay', 'wsi-hook']) {
      shapes.push(
        { src, v: 1, type: 'command', req: 1, cmd: { op: 'send', c, data: 'forged' } },
        { src, v: 1, type: 'command', frameId: 0, hook: HOOK, req: 1, cmd: { op: 'close', c, code: 3000 } },
        { src, v: 1, type: 'attach', cursors: {} }, { src, v: 1, type: 'fetch-payload', req: 1, c, seq: 0 },
        { src, v: 1, type: 'batch', hook: HOOK, batch: batchOf([text(c, 99, 'forged')]) }, { src, v: 1, type: 'active' },
      );
    }
    shapes.push({ type: PING }, { type: 'wsi-relay-ready' });
    const evil = new FakeMessageChannel();
    const evilGot: unknown[] = [];
    evil.port1.onmessage = (ev) => evilGot.push(ev.data);
    win.postMessage({ type: HANDSHAKE, hook: HOOK }, '*', [evil.port2]);
    for (const s of shapes) {
      win.postMessage(s, '*');
      win.postMessage({ type: HANDSHAKE, hook: HOOK, msg: s }, '*');
      win.dispatchSynthetic(s, [evil.port2 as FakeMessagePort]);
      evil.port1.postMessage(s);
    }
    await settle();
    expect(types(port.received)).toEqual(['hello']);
    expect(types(fromRelay)).toEqual(['ready']);
    expect(evilGot).toEqual([]);
    // the page sees the relay's call for a handshake and its own messages, never a handshake
    expect(pageSaw).toHaveLength(1 + shapes.length * 2);
  });
});
