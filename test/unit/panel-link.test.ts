/**
 * PanelLink, the panel's end, on a fake port to a scripted background, into a real Store (read as
 * the automation API reads it): it subscribes to its tab, attaches to every frame the background
 * announces with the store's cursors, starts afresh on a new document unless the log is preserved,
 * fetches payloads, and runs commands that always end (answer, timeout, or not connected).
 */
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureHealth } from '../../src/protocol/batch';
import { healthBatch } from '../../src/protocol/batch-codec';
import type { CaptureEvent } from '../../src/protocol/events';
import { DATA_PORT, envelope, type Base64 } from '../../src/protocol/messages';
import { COMMAND_TIMEOUT_MS } from '../../src/transport/panel-link';
import { FakeExtension, ofType, settle, types, useFakeTime, type FakePort } from './fake-ports';
import { openPanel, wireBatchOf } from './fake-page';

beforeEach(() => { useFakeTime(); });
afterEach(() => { vi.useRealTimers(); });

const TAB = 3;

const created = (c: string): CaptureEvent<Base64> =>
  ({ k: 'created', c, seq: 0, t: 1, url: `wss://${c}/`, resolvedUrl: `wss://${c}/`, frameUrl: 'https://page.test/' });
const msg = (c: string, seq: number, data: string | Base64, truncated = false): CaptureEvent<Base64> => ({
  k: 'frame', c, seq, t: 1 + seq, dir: 'in', kind: typeof data === 'string' ? 'text' : 'binary', as: typeof data === 'string' ? 'string' : 'ArrayBuffer',
  size: typeof data === 'string' ? data.length : 3, data, ...(truncated ? { truncated } : {}),
});

/** A panel, and a background that records its port (`bg()`: the background's end of the current one). */
async function setup(o: { preserveLog?: () => boolean } = {}) {
  const ext = new FakeExtension();
  const ports: Runtime.Port[] = [];
  ext.startBackground((port) => { ports.push(port); });
  const panel = openPanel(ext, TAB, o);
  await settle();
  const bg = () => ports.at(-1) as unknown as FakePort;
  const hello = (frameId: number, hook: string) => bg().postMessage(envelope('wsi-background', { type: 'frame-hello', frameId, hook, url: 'https://page.test/' }));
  const batch = (frameId: number, hook: string, ...events: CaptureEvent<Base64>[]) =>
    bg().postMessage(envelope('wsi-background', { type: 'batches', items: [{ frameId, hook, batch: wireBatchOf(events) }] }));
  return { ext, ports, panel, bg, hello, batch };
}

describe('PanelLink: data ports (Chrome)', () => {
  /** A panel that opens data ports, and the relay end of each port it opens to frame 0 of its tab. */
  async function withDataPorts() {
    const ext = new FakeExtension();
    const ports: Runtime.Port[] = [];
    ext.startBackground((port) => { ports.push(port); });
    const relayEnds: FakePort[] = [];
    ext.onContentConnect(TAB, 0)((port) => relayEnds.push(port as unknown as FakePort));
    const panel = openPanel(ext, TAB, { dataPorts: true });
    await settle();
    const bg = () => ports.at(-1) as unknown as FakePort;
    const hello = (hook: string) => bg().postMessage(envelope('wsi-background', { type: 'frame-hello', frameId: 0, hook, url: 'https://page.test/' }));
    return { panel, bg, hello, relayEnds };
  }

  it('opens one to a frame before attaching to its hook, and a new one for the frame\'s next document', async () => {
    const { bg, hello, relayEnds } = await withDataPorts();
    hello('h1');
    await settle();
    expect(relayEnds.map((p) => p.name)).toEqual([DATA_PORT]);
    expect(ofType(bg().received, 'attach')).toHaveLength(1);
    // the same hook again (the background restarted): the port it has will do
    hello('h1');
    await settle();
    expect(relayEnds).toHaveLength(1);
    // a new document: the old one's port goes
    hello('h2');
    await settle();
    expect(relayEnds).toHaveLength(2);
    expect(relayEnds[0]!.connected).toBe(false);
  });

  it('takes the frame hook\'s batches from it, checked in full: a forged one, or another hook\'s, is refused and counted', async () => {
    const { panel, hello, relayEnds } = await withDataPorts();
    hello('h1');
    await settle();
    const relay = relayEnds[0]!;
    const batch = (hook: string, ...events: CaptureEvent<Base64>[]) => envelope('wsi-relay', { type: 'batch', hook, batch: wireBatchOf(events) });
    relay.postMessage(batch('h1', created('h1.0'), msg('h1.0', 1, 'one')));
    relay.postMessage(batch('h2', created('h2.0'))); // not the hook this port is for
    relay.postMessage({ ...batch('h1', msg('h1.0', 2, 'two')), batch: { ...wireBatchOf([msg('h1.0', 2, 'two')]), cols: 'AAAA' } });
    relay.postMessage(envelope('wsi-background', { type: 'batches', items: [] })); // not what a relay sends
    relay.postMessage(batch('h1', msg('h1.0', 2, 'two')));
    await settle();
    expect(panel.frames('h1.0')).toEqual(['in one', 'in two']);
    expect(panel.api.connections().map((c) => c.id)).toEqual(['h1.0']);
    expect(panel.api.captureErrors()).toBe(3);
  });

  it('lets its data ports go when it stops', async () => {
    const { panel, hello, relayEnds } = await withDataPorts();
    hello('h1');
    await settle();
    panel.link.stop();
    await settle();
    expect(relayEnds[0]!.connected).toBe(false);
  });
});

describe('PanelLink', () => {
  it('subscribes to its tab, and attaches to each frame the background announces with what the store already has', async () => {
    const { bg, hello, batch, panel } = await setup();
    expect(bg().received).toEqual([envelope('wsi-panel', { type: 'subscribe', tabId: TAB })]);
    hello(0, 'h1');
    await settle();
    expect(ofType(bg().received, 'attach')).toEqual([envelope('wsi-panel', { type: 'attach', frameId: 0, hook: 'h1', cursors: {} })]);
    batch(0, 'h1', created('h1.0'), msg('h1.0', 1, 'one'), msg('h1.0', 2, 'two'));
    await settle();
    expect(panel.frames('h1.0')).toEqual(['in one', 'in two']);
    // the same hook again (the background restarted): resume after what the store has, keep it
    hello(0, 'h1');
    await settle();
    expect(ofType(bg().received, 'attach').at(-1)).toEqual(envelope('wsi-panel', { type: 'attach', frameId: 0, hook: 'h1', cursors: { 'h1.0': 2 } }));
    expect(panel.frames('h1.0')).toEqual(['in one', 'in two']);
  });

  it('starts afresh when a frame has a new document, that frame only, unless the log is preserved', async () => {
    let preserve = false;
    const { hello, batch, panel } = await setup({ preserveLog: () => preserve });
    hello(0, 'top1');
    hello(5, 'sub1');
    batch(0, 'top1', created('top1.0'));
    batch(5, 'sub1', created('sub1.0'));
    await settle();
    hello(5, 'sub2'); // the iframe navigated
    await settle();
    expect(panel.api.connections().map((c) => c.id)).toEqual(['top1.0']);
    preserve = true;
    batch(5, 'sub2', created('sub2.0'));
    hello(0, 'top2'); // the page reloaded, with Preserve log on
    await settle();
    expect(panel.api.connections().map((c) => c.id)).toEqual(['top1.0', 'sub2.0']);
    preserve = false;
    hello(0, 'top3'); // and again, with it off
    await settle();
    expect(panel.api.connections()).toEqual([]);
  });

  it('fetches a whole payload into the store; a request with no answer, or no connection, ends with an error', async () => {
    const { bg, hello, batch, panel, ext } = await setup();
    hello(0, 'h1');
    batch(0, 'h1', created('h1.0'), msg('h1.0', 1, 'prev', true));
    await settle();
    const asked = panel.link.fetchPayload(0, 'h1', 'h1.0', 1);
    await settle();
    const [req] = ofType<{ req: number }>(bg().received, 'fetch-payload');
    expect(req).toMatchObject({ frameId: 0, hook: 'h1', c: 'h1.0', seq: 1 });
    bg().postMessage(envelope('wsi-background', { type: 'payload', frameId: 0, hook: 'h1', req: req!.req, c: 'h1.0', seq: 1, data: 'preview no more' }));
    await settle();
    await expect(asked).resolves.toEqual({ data: 'preview no more' });
    expect(panel.frames('h1.0')).toEqual(['in preview no more']);

    const unanswered = panel.link.fetchPayload(0, 'h1', 'h1.0', 1);
    await settle(5_000);
    await expect(unanswered).resolves.toEqual({ error: 'the page did not answer (navigated away?)' });

    ext.stopBackground();
    await settle();
    await expect(panel.link.fetchPayload(0, 'h1', 'h1.0', 1)).resolves.toEqual({ error: 'not connected to the page' });
  });

  it('ends every command: with its answer, a timeout, or "not connected"; an answer to another request is not it', async () => {
    const { bg, panel, ext } = await setup();
    const cmd = { op: 'close', c: 'h1.0', code: 1000 } as const;
    const answered = panel.link.command(0, 'h1', cmd);
    const ignored = panel.link.command(0, 'h1', cmd);
    await settle();
    const [a, b] = ofType<{ req: number }>(bg().received, 'command');
    expect(a).toMatchObject({ frameId: 0, hook: 'h1', cmd });
    const result = (req: number, ok: boolean) => envelope('wsi-background', {
      type: 'command-result', frameId: 0, hook: 'h1', req, result: ok ? { ok: true as const } : { ok: false as const, error: { name: 'InvalidStateError', message: 'closed' } },
    });
    bg().postMessage(result(a!.req + b!.req + 100, true)); // nobody asked this
    bg().postMessage(result(a!.req, false));
    await settle();
    await expect(answered).resolves.toEqual({ ok: false, error: { name: 'InvalidStateError', message: 'closed' } });
    await settle(COMMAND_TIMEOUT_MS);
    await expect(ignored).resolves.toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    bg().postMessage(result(b!.req, true)); // too late: already answered by the timeout
    await settle();

    ext.stopBackground();
    await settle();
    await expect(panel.link.command(0, 'h1', cmd)).resolves.toMatchObject({ ok: false, error: { name: 'NetworkError' } });
  });

  it('says "reconnecting" when the background goes, comes back, and subscribes again', async () => {
    const { ext, ports, panel } = await setup();
    ext.stopBackground();
    ext.startBackground((port) => { ports.push(port); });
    await settle();
    expect(panel.statuses).toEqual(['connected', 'reconnecting']);
    await settle(1_000);
    expect(panel.statuses).toEqual(['connected', 'reconnecting', 'connected']);
    expect(ports).toHaveLength(2);
    expect(types((ports[1] as unknown as FakePort).received)).toEqual(['subscribe']);
  });

  it('keeps the background awake while open (it subscribes again every 20 s), and lets go when stopped', async () => {
    const { bg, panel } = await setup();
    await settle(60_000);
    expect(types(bg().received)).toEqual(['subscribe', 'subscribe', 'subscribe', 'subscribe']);
    panel.link.stop();
    await settle(60_000);
    expect(bg().received).toHaveLength(4);
    expect(bg().connected).toBe(false);
  });

  it('drops what is not a well-formed background message', async () => {
    const { bg, hello, batch, panel } = await setup();
    hello(0, 'h1');
    batch(0, 'h1', created('h1.0'));
    await settle();
    for (const junk of [null, [], { type: 'batch' }, envelope('wsi-relay', { type: 'frame-hello', frameId: 0, hook: 'h9', url: '' }),
      envelope('wsi-background', { type: 'batches', items: [{ frameId: 0, hook: 'h1', batch: { events: [{ k: 'frame', c: 'h1.0', seq: 1 }] } }] }),
      envelope('wsi-background', { type: 'frame-hello', frameId: -1, hook: 'h9', url: '' })]) {
      bg().postMessage(junk);
    }
    await settle();
    expect(panel.api.connections().map((c) => [c.id, c.frameCount])).toEqual([['h1.0', 0]]);
    expect(ofType(bg().received, 'attach')).toHaveLength(1);
    // each is a capture error the panel counts and shows
    expect(panel.api.captureErrors()).toBe(6);
  });

  it('keeps the largest count each hop reported, per frame\'s document and per connection; a new document starts afresh', async () => {
    const { hello, batch, panel, bg } = await setup();
    hello(0, 'h1');
    batch(0, 'h1', created('h1.0'));
    await settle();
    const health = (h: CaptureHealth) => bg().postMessage(envelope('wsi-background', { type: 'batches', items: [{ frameId: 0, hook: 'h1', batch: healthBatch(h) }] }));
    health({ hookErrors: 2, connErrors: [0, 2] });
    health({ relayRejected: 1 });
    health({ hookErrors: 1, backgroundRejected: 3 }); // an older count arriving late changes nothing
    await settle();
    expect(panel.api.captureErrors()).toBe(2 + 1 + 3);
    expect(panel.api.connections()[0]!.captureErrors).toBe(2);
    hello(0, 'h2'); // a new document in the top frame
    await settle();
    expect(panel.api.captureErrors()).toBe(0);
  });
});
