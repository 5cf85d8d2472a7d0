/**
 * The background's Router on fake ports: relays are keyed by the tab and frame the browser says they
 * are in (never what a message claims), panels by the tab they subscribed to; what a page streams
 * reaches the panels of its tab only; commands go only from a panel to its tab's relay, and the
 * answer only to the panel that asked; a missing or vanished frame is answered, not ignored.
 */
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureEvent } from '../../src/protocol/events';
import { envelope, PANEL_PORT, PING, RELAY_PORT, type Base64 } from '../../src/protocol/messages';
import { BATCH_GATHER_MS } from '../../src/transport/router';
import { FakeExtension, ofType, settle, types, useFakeTime, type FakePort } from './fake-ports';
import { batchItems, eventsIn, startBackground, wireBatchOf } from './fake-page';

beforeEach(() => { useFakeTime(); });
afterEach(() => { vi.useRealTimers(); });

const frame = (c: string, seq: number, data: string): CaptureEvent<Base64> =>
  ({ k: 'frame', c, seq, t: 1, dir: 'in', kind: 'text', as: 'string', size: data.length, data });
const batchFrom = (hook: string, ...events: CaptureEvent<Base64>[]) => envelope('wsi-relay', { type: 'batch', hook, batch: wireBatchOf(events) });

function setup() {
  const ext = new FakeExtension();
  startBackground(ext);
  const pinged: number[] = [];
  const listening = new Set<number>();
  const connect = (sender: Runtime.MessageSender, name: string) => ext.connector(sender)(name) as unknown as FakePort;
  return {
    ext, pinged,
    /** a relay's port from tab/frame; `hook`: it says hello for that hook */
    relay(tab: number, frameId: number, hook?: string): FakePort {
      if (!listening.has(tab)) ext.onContentMessage(tab)((m) => { if ((m as { type?: string }).type === PING) pinged.push(tab); });
      listening.add(tab);
      const p = connect(ext.contentSender(tab, frameId), RELAY_PORT);
      if (hook) p.postMessage(envelope('wsi-relay', { type: 'hello', hook, url: `https://page.test/${tab}/${frameId}` }));
      return p;
    },
    /** a panel's port; `tab`: it subscribes to that tab */
    panel(tab?: number): FakePort {
      const p = connect(ext.pageSender(), PANEL_PORT);
      if (tab !== undefined) p.postMessage(envelope('wsi-panel', { type: 'subscribe', tabId: tab }));
      return p;
    },
    connect,
  };
}

describe('router: routing', () => {
  it('sends what a relay streams to the panels of its tab only, with the frame the browser says it is in', async () => {
    const { relay, panel } = setup();
    const top = relay(7, 0, 'h0');
    const sub = relay(7, 3, 'h3');
    const elsewhere = relay(8, 0, 'h8');
    const [a, b, other] = [panel(7), panel(7), panel(8)];
    await settle();
    top.postMessage(batchFrom('h0', frame('h0.0', 1, 'first')));
    await settle();
    // a batch after a quiet while goes at once
    for (const p of [a, b]) expect(ofType(p.received, 'batches')).toHaveLength(1);
    // a relay cannot claim another frame: the frame id comes from the port's sender
    top.postMessage({ ...batchFrom('h0', frame('h0.0', 2, 'top')), frameId: 3 });
    sub.postMessage(batchFrom('h3', frame('h3.0', 1, 'sub')));
    elsewhere.postMessage(batchFrom('h8', frame('h8.0', 1, 'other tab')));
    await settle(BATCH_GATHER_MS);
    for (const p of [a, b]) {
      const batches = batchItems(p.received);
      expect(batches.map((m) => [m.frameId, m.hook, eventsIn(m).map((e) => (e as { data: string }).data)]))
        .toEqual([[0, 'h0', ['first']], [0, 'h0', ['top']], [3, 'h3', ['sub']]]);
      // the frames' batches that came within BATCH_GATHER_MS of the last went to the panel together, as one message
      expect(ofType(p.received, 'batches')).toHaveLength(2);
    }
    expect(batchItems(other.received).map((m) => eventsIn(m).map((e) => (e as { data: string }).data))).toEqual([['other tab']]);
  });

  it('greets a subscribing panel with every frame whose hook said hello, and pings the tab so dropped relays come back', async () => {
    const { relay, panel, pinged } = setup();
    relay(7, 0, 'h0');
    relay(7, 3, 'h3');
    relay(7, 5); // connected, no hello yet: nothing to announce
    await settle();
    const p = panel(7);
    await settle();
    expect(ofType(p.received, 'frame-hello')).toEqual([
      expect.objectContaining({ src: 'wsi-background', frameId: 0, hook: 'h0', url: 'https://page.test/7/0' }),
      expect.objectContaining({ frameId: 3, hook: 'h3', url: 'https://page.test/7/3' }),
    ]);
    expect(pinged).toEqual([7]);
    // the panel's keep-alive: the same subscription again changes nothing
    p.postMessage(envelope('wsi-panel', { type: 'subscribe', tabId: 7 }));
    await settle();
    expect(ofType(p.received, 'frame-hello')).toHaveLength(2);
    expect(pinged).toEqual([7]);
  });

  it('announces a frame that says hello later; a new document in a frame replaces its old relay port', async () => {
    const { relay, panel } = setup();
    const p = panel(7);
    await settle();
    const old = relay(7, 0, 'doc1');
    await settle();
    const next = relay(7, 0, 'doc2');
    await settle();
    expect(ofType<{ hook: string }>(p.received, 'frame-hello').map((m) => m.hook)).toEqual(['doc1', 'doc2']);
    expect(old.connected).toBe(false); // the router let the old document's port go
    next.postMessage(batchFrom('doc2', frame('doc2.0', 1, 'new')));
    await settle(BATCH_GATHER_MS);
    expect(batchItems(p.received)).toHaveLength(1);
  });

  it('says frame-gone when a relay that said hello leaves, and nothing for one that never did', async () => {
    const { relay, panel } = setup();
    const p = panel(7);
    const quiet = relay(7, 4);
    const r = relay(7, 0, 'h0');
    await settle();
    quiet.disconnect();
    r.disconnect();
    await settle();
    expect(ofType(p.received, 'frame-gone')).toEqual([expect.objectContaining({ frameId: 0, hook: 'h0' })]);
  });

  it('lets only the hook that said hello speak for its frame', async () => {
    const { relay, panel } = setup();
    const p = panel(7);
    const r = relay(7, 0, 'h0');
    await settle();
    r.postMessage(batchFrom('not-h0', frame('not-h0.0', 1, 'forged')));
    r.postMessage(envelope('wsi-relay', { type: 'payload', hook: 'not-h0', req: 1, c: 'h0.0', seq: 1, data: 'x' }));
    await settle();
    expect(types(p.received)).toEqual(['frame-hello']);
  });

  it('passes attach and fetch-payload to the frame of the current hook, and the payload back to the tab\'s panels', async () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h0');
    const p = panel(7);
    const q = panel(7);
    await settle();
    p.postMessage(envelope('wsi-panel', { type: 'attach', frameId: 0, hook: 'h0', cursors: { 'h0.0': 4 } }));
    p.postMessage(envelope('wsi-panel', { type: 'attach', frameId: 0, hook: 'old', cursors: {} })); // a previous document's
    p.postMessage(envelope('wsi-panel', { type: 'attach', frameId: 9, hook: 'h0', cursors: {} })); // no such frame
    p.postMessage(envelope('wsi-panel', { type: 'fetch-payload', frameId: 0, hook: 'h0', req: 3, c: 'h0.0', seq: 2 }));
    await settle();
    expect(r.received).toEqual([
      // with an empty ArrayBuffer, which a port that carries JSON (as this one) turns into {}: see relay.ts
      envelope('wsi-background', { type: 'attach', cursors: { 'h0.0': 4 }, clone: {} as ArrayBuffer }),
      envelope('wsi-background', { type: 'fetch-payload', req: 3, c: 'h0.0', seq: 2 }),
    ]);
    r.postMessage(envelope('wsi-relay', { type: 'payload', hook: 'h0', req: 3, c: 'h0.0', seq: 2, data: { b64: 'AQI=' }, truncated: true }));
    await settle();
    for (const panelPort of [p, q]) {
      expect(ofType(panelPort.received, 'payload')).toEqual([
        envelope('wsi-background', { type: 'payload', frameId: 0, hook: 'h0', req: 3, c: 'h0.0', seq: 2, data: { b64: 'AQI=' }, truncated: true })]);
    }
  });

  it('tells the tab\'s relays to stop streaming when its last panel leaves, not before', async () => {
    const { relay, panel } = setup();
    const r0 = relay(7, 0, 'h0');
    const r3 = relay(7, 3, 'h3');
    const other = relay(8, 0, 'h8');
    const a = panel(7);
    const b = panel(7);
    panel(8);
    await settle();
    a.disconnect();
    await settle();
    expect(ofType(r0.received, 'detach')).toEqual([]);
    b.disconnect();
    await settle();
    expect(ofType(r0.received, 'detach')).toHaveLength(1);
    expect(ofType(r3.received, 'detach')).toHaveLength(1);
    expect(ofType(other.received, 'detach')).toEqual([]);
  });

  it('refuses ports from other extensions, panel ports from web pages, unknown names, relays outside a tab', async () => {
    const { ext, connect } = setup();
    const foreign = connect({ ...ext.contentSender(7, 0), id: 'other-extension' }, RELAY_PORT);
    const pagePanel = connect(ext.contentSender(7, 0), PANEL_PORT); // a content script pretending to be the panel
    const unknown = connect(ext.pageSender(), 'wsi-other');
    const noTab = connect({ id: ext.id, url: ext.origin }, RELAY_PORT);
    await settle();
    expect([foreign, pagePanel, unknown, noTab].map((p) => p.connected)).toEqual([false, false, false, false]);
  });

  it('drops malformed messages and keeps working', async () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h0');
    const p = panel(7);
    await settle();
    for (const junk of [null, 'x', 42, {}, { src: 'wsi-relay', v: 2, type: 'hello', hook: 'h9', url: '' },
      { ...batchFrom('h0'), batch: { events: 'nope' } }, envelope('wsi-panel', { type: 'subscribe', tabId: -1 })]) {
      r.postMessage(junk);
      p.postMessage(junk);
    }
    r.postMessage(batchFrom('h0', frame('h0.0', 1, 'still here')));
    await settle(BATCH_GATHER_MS);
    // the first refusal at once, the rest gathered
    expect(types(p.received)).toEqual(['frame-hello', 'batches', 'batches']);
    // what the relay sent and the background refused is counted, and the panels told: never silent
    const items = ofType<{ items: { hook: string; batch: { rows: number; health?: unknown } }[] }>(p.received, 'batches').flatMap((m) => m.items);
    expect(items.filter((i) => i.batch.rows === 0).map((i) => [i.hook, i.batch.health]))
      .toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => ['h0', { backgroundRejected: n }]));
    expect(items.at(-1)!.batch.rows).toBe(1);
  });

  it('moves a panel that subscribes to another tab out of the old tab\'s list', async () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h0');
    const p = panel(7);
    await settle();
    p.postMessage(envelope('wsi-panel', { type: 'subscribe', tabId: 8 }));
    await settle();
    r.postMessage(batchFrom('h0', frame('h0.0', 1, 'tab 7')));
    await settle(BATCH_GATHER_MS);
    expect(batchItems(p.received)).toEqual([]);
  });
});

describe('router: commands', () => {
  const cmd = { op: 'send', c: 'h1.0', data: 'hi' } as const;
  const ask = (req: number, frameId = 0, hook = 'h1') => envelope('wsi-panel', { type: 'command', frameId, hook, req, cmd });
  const answer = (req: number) => envelope('wsi-relay', { type: 'command-result', hook: 'h1', req, result: { ok: true as const } });

  it('forwards a panel command to the relay of its tab and frame, and the answer to that panel only', async () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h1');
    const other = relay(8, 0, 'h1'); // same hook id in another tab: never addressed
    const a = panel(7);
    const b = panel(7);
    await settle();
    a.postMessage(ask(5));
    b.postMessage(ask(5)); // same request id from another panel
    await settle();
    const forwarded = ofType<{ req: number }>(r.received, 'command');
    expect(forwarded).toHaveLength(2);
    expect(forwarded[0]).toMatchObject({ src: 'wsi-background', cmd });
    expect(forwarded[0]!.req).not.toBe(forwarded[1]!.req); // the router's own ids
    expect(ofType(other.received, 'command')).toEqual([]);

    r.postMessage(answer(forwarded[1]!.req));
    await settle();
    expect(ofType(b.received, 'command-result')).toEqual([expect.objectContaining({ frameId: 0, hook: 'h1', req: 5, result: { ok: true } })]);
    expect(ofType(a.received, 'command-result')).toEqual([]);
    // answered once only
    r.postMessage(answer(forwarded[1]!.req));
    await settle();
    expect(ofType(b.received, 'command-result')).toHaveLength(1);
  });

  it('answers NotFoundError for a frame or hook that is not there, and when the frame goes away', async () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h1');
    const p = panel(7);
    await settle();
    p.postMessage(ask(1, 3)); // no such frame
    p.postMessage(ask(2, 0, 'old-hook')); // the frame has a newer document
    p.postMessage(ask(3));
    await settle();
    r.disconnect();
    await settle();
    const answers = ofType<{ req: number; result: { error?: { name: string } } }>(p.received, 'command-result');
    expect(answers.map((m) => [m.req, m.result.error?.name])).toEqual([[1, 'NotFoundError'], [2, 'NotFoundError'], [3, 'NotFoundError']]);
  });

  it('answers a command whose frame navigated before the relay answered', async () => {
    const { relay, panel } = setup();
    relay(7, 0, 'h1');
    const p = panel(7);
    await settle();
    p.postMessage(ask(1));
    await settle();
    relay(7, 0, 'h2'); // the new document's relay takes the frame
    await settle();
    expect(ofType<{ result: { error?: { name: string } } }>(p.received, 'command-result').map((m) => m.result.error?.name))
      .toEqual(['NotFoundError']);
  });

  it('ignores commands from a panel that has not subscribed, and malformed ones', async () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h1');
    const p = panel();
    const q = panel(7);
    await settle();
    p.postMessage(ask(1));
    q.postMessage(envelope('wsi-panel', { type: 'command', frameId: 0, hook: 'h1', req: 1, cmd: { op: 'eval', c: 'h1.0' } }));
    q.postMessage({ ...ask(2), src: 'wsi-relay' });
    await settle();
    expect(ofType(r.received, 'command')).toEqual([]);
    expect([...ofType(p.received, 'command-result'), ...ofType(q.received, 'command-result')]).toEqual([]);
  });
});
