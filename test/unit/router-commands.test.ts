/**
 * The router's part of the command path, with fake ports: commands go only
 * from a panel to the relay of the tab it subscribed to; the answer goes back
 * to that panel alone; a missing or vanished frame is answered, not ignored.
 */
import type { Runtime } from 'webextension-polyfill';
import { describe, expect, it } from 'vitest';
import { envelope, PANEL_PORT, RELAY_PORT } from '../../src/protocol/messages';
import { Router } from '../../src/transport/router';

const EXT = 'ext-id';
const ORIGIN = 'chrome-extension://ext-id/';

class FakePort {
  sent: unknown[] = [];
  private onMsg: ((m: unknown) => void)[] = [];
  private onDisc: (() => void)[] = [];
  constructor(public name: string, public sender: Runtime.MessageSender) {}
  onMessage = { addListener: (fn: (m: unknown) => void) => { this.onMsg.push(fn); } };
  onDisconnect = { addListener: (fn: () => void) => { this.onDisc.push(fn); } };
  postMessage(m: unknown) { this.sent.push(structuredClone(m)); }
  disconnect() { /* our own disconnect fires nothing here, as in Chrome */ }
  /** the other side sends */
  receive(m: unknown) { for (const fn of this.onMsg) fn(m); }
  /** the other side goes away */
  drop() { for (const fn of this.onDisc) fn(); }
  of(type: string) { return this.sent.filter((m) => (m as { type: string }).type === type) as Record<string, unknown>[]; }
}

function setup() {
  const router = new Router({ extensionId: EXT, extensionOrigin: ORIGIN, pingTab: async () => undefined });
  const relay = (tab: number, frameId: number, hook: string) => {
    const p = new FakePort(RELAY_PORT, { id: EXT, tab: { id: tab } as Runtime.MessageSender['tab'], frameId });
    router.onConnect(p as unknown as Runtime.Port);
    p.receive(envelope('wsi-relay', { type: 'hello', hook, url: 'http://page/' }));
    return p;
  };
  const panel = (tab: number) => {
    const p = new FakePort(PANEL_PORT, { id: EXT, url: ORIGIN + 'extension/panel/panel.html' });
    router.onConnect(p as unknown as Runtime.Port);
    p.receive(envelope('wsi-panel', { type: 'subscribe', tabId: tab }));
    return p;
  };
  const unsubscribed = () => {
    const p = new FakePort(PANEL_PORT, { id: EXT, url: ORIGIN + 'extension/panel/panel.html' });
    router.onConnect(p as unknown as Runtime.Port);
    return p;
  };
  return { relay, panel, unsubscribed };
}

const cmd = { op: 'send', c: 'h1.0', data: 'hi' };
const ask = (req: number, frameId = 0, hook = 'h1') => envelope('wsi-panel', { type: 'command', frameId, hook, req, cmd });

describe('router: commands', () => {
  it('forwards a panel command to the relay of its tab and frame, and the answer to that panel only', () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h1');
    const other = relay(8, 0, 'h1'); // same hook id in another tab: never addressed
    const a = panel(7);
    const b = panel(7);
    a.receive(ask(5));
    b.receive(ask(5)); // same request id from another panel
    const forwarded = r.of('command');
    expect(forwarded).toHaveLength(2);
    expect(forwarded[0]).toMatchObject({ src: 'wsi-background', cmd });
    expect(forwarded[0]!.req).not.toBe(forwarded[1]!.req); // the router's own ids
    expect(other.of('command')).toEqual([]);

    r.receive(envelope('wsi-relay', { type: 'command-result', hook: 'h1', req: forwarded[1]!.req as number, result: { ok: true } }));
    expect(b.of('command-result')).toEqual([expect.objectContaining({ frameId: 0, hook: 'h1', req: 5, result: { ok: true } })]);
    expect(a.of('command-result')).toEqual([]);
    // answered once only
    r.receive(envelope('wsi-relay', { type: 'command-result', hook: 'h1', req: forwarded[1]!.req as number, result: { ok: true } }));
    expect(b.of('command-result')).toHaveLength(1);
  });

  it('answers NotFoundError for a frame or hook that is not there, and when the frame goes away', () => {
    const { relay, panel } = setup();
    const r = relay(7, 0, 'h1');
    const p = panel(7);
    p.receive(ask(1, 3)); // no such frame
    p.receive(ask(2, 0, 'old-hook')); // the frame has a newer document
    p.receive(ask(3));
    r.drop();
    const answers = p.of('command-result');
    expect(answers.map((m) => [m.req, (m.result as { error?: { name: string } }).error?.name])).toEqual([
      [1, 'NotFoundError'], [2, 'NotFoundError'], [3, 'NotFoundError']]);
  });

  it('ignores commands from a panel that has not subscribed, and malformed ones', () => {
    const { relay, panel, unsubscribed } = setup();
    const r = relay(7, 0, 'h1');
    const p = unsubscribed();
    p.receive(ask(1));
    const q = panel(7);
    q.receive(envelope('wsi-panel', { type: 'command', frameId: 0, hook: 'h1', req: 1, cmd: { op: 'eval', c: 'h1.0' } }));
    q.receive({ ...ask(2), src: 'wsi-relay' });
    expect(r.of('command')).toEqual([]);
    expect([...p.of('command-result'), ...q.of('command-result')]).toEqual([]);
  });
});
