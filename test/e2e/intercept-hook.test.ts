/**
 * Interception in the page hook, driven at the protocol level from the panel page (its own runtime port,
 * as PanelLink.command does; the Intercept tab is covered by intercept-panel tests): breakpoints hold
 * messages in order, the user's decisions go out as given, rules rewrite, answer, drop, delay and close,
 * keep-alives pass, and everything held goes on when interception is turned off, times out, or the panel
 * goes. The real server's transcript and the page's own listeners say what happened.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Condition, InterceptConfig, Rule } from '../../src/protocol/intercept';
import { envelope, PANEL_PORT, type Command, type CommandResult } from '../../src/protocol/messages';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, openTestPage, until, type Browser } from './harness';
import { interceptPage, panelPortScript, type Seen } from './intercept-pages';

interface Intercepted { k: 'intercept'; c: string; of: number; dir: 'out' | 'in'; outcome: string; cause: string; hold?: number; matched?: string; rule?: { id: string } }

let server: TestServer;
let browser: Browser;
let panel: Page;
let hook: string;
let tabId: number;

const seen = (q: string) => page.evaluate((x) => (window as unknown as { seen: Seen[] }).seen.filter((s) => s.q === x), q);
let page: Page;
const atServer = (q: string) => (server.transcripts.find((t) => t.path.endsWith(`?${q}`))?.entries ?? [])
  .filter((e) => e.dir === 'in').map((e) => (e.binary ? [...e.data] : e.data.toString('utf8')));

/** A command for the top frame's hook, as the panel sends it. */
async function command(cmd: Command): Promise<CommandResult> {
  const msg = envelope('wsi-panel', { type: 'command' as const, frameId: 0, hook, req: 0, cmd });
  return panel.evaluate((m) => (window as unknown as { wsiCommand(m: unknown): Promise<CommandResult> }).wsiCommand(m), msg);
}
/** The intercept events the test's port has seen (the background sends every panel of the tab its batches). */
const events = (): Promise<Intercepted[]> => panel.evaluate(() => (window as unknown as { wsiIntercepts: Intercepted[] }).wsiIntercepts);
const connId = (q: string) => until(() => panel.evaluate((x) => {
  const c = (window as unknown as { wsInspector: { connections(): { id: string; url: string }[] } }).wsInspector.connections().find((s) => s.url.endsWith(`?${x}`));
  return c?.id;
}, q), `connection ${q}`);
/** The hold ids of a connection's held messages, once there are `n`. */
const held = (c: string, n: number) => until(async () => {
  const h = (await events()).filter((e) => e.c === c && e.outcome === 'held');
  return h.length >= n ? h.map((e) => e.hold!) : null;
}, `${n} held on ${c}`);

const cond = (source = '', text?: string): Condition => ({ source, terms: [], ...(text ? { text: { kind: 'substring', value: text } } : {}) });
const base = (o: Partial<InterceptConfig>): InterceptConfig =>
  ({ scope: 'all', heartbeats: false, timeout: { ms: 30_000, action: 'forward' }, rules: [], protocols: {}, ...o });
const rule = (o: Partial<Rule> & Pick<Rule, 'action'>): Rule =>
  ({ id: `r${Math.random()}`, name: 'rule', enabled: true, direction: 'sent', match: cond(), ...o });

const send = (q: string, data: string | number[]) => page.evaluate(([x, d]) => {
  const s = (window as unknown as { sockets: Record<string, WebSocket> }).sockets[x as string]!;
  s.send(typeof d === 'string' ? d : new Uint8Array(d as number[]));
}, [q, data] as const);

beforeAll(async () => {
  server = await startTestServer();
  browser = await launch();
  page = await openTestPage(browser, server.page('/intercept', interceptPage(server.wsOrigin)));
  tabId = await newestTabId(browser);
  // the page's relay connects to the extension once the page has a socket
  await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('first'));
  await openPanelPort();
});

async function openPanelPort(): Promise<void> {
  panel = await openPanel(browser, tabId);
  hook = await panel.evaluate(panelPortScript('chrome', PANEL_PORT, tabId)) as string;
}

afterEach(async () => {
  await command({ op: 'intercept', config: null });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('breakpoints on sent messages', () => {
  it('hold two sends; the first, edited, and then the second reach the server in order; send() returned at once', async () => {
    await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('sent-order'));
    const c = await connId('sent-order');
    expect(await command({ op: 'intercept', config: base({ sent: { condition: cond() } }) })).toEqual({ ok: true });
    await send('sent-order', 'one');
    await send('sent-order', 'two');
    const [h1, h2] = await held(c, 2);
    expect(atServer('sent-order')).toEqual([]);
    expect(await command({ op: 'release', c, hold: h2!, action: 'forward' })).toEqual({ ok: true });
    // the second waits behind the first, still held
    await new Promise((r) => setTimeout(r, 200));
    expect(atServer('sent-order')).toEqual([]);
    expect(await command({ op: 'release', c, hold: h1!, action: 'forward', data: 'ONE (edited)' })).toEqual({ ok: true });
    await until(() => atServer('sent-order').length === 2, 'both at the server');
    expect(atServer('sent-order')).toEqual(['ONE (edited)', 'two']);
    const outcomes = await until(async () => {
      const o = (await events()).filter((e) => e.c === c).map((e) => [e.outcome, e.cause]);
      return o.length >= 4 ? o : null;
    }, 'four intercept events');
    expect(outcomes).toEqual([['held', 'breakpoint'], ['held', 'breakpoint'], ['forwarded', 'user'], ['edited', 'user']]);
  });

  it('drops a held send: the server never gets it; a condition holds only what matches', async () => {
    await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('sent-drop'));
    const c = await connId('sent-drop');
    await command({ op: 'intercept', config: base({ sent: { condition: cond('secret', 'secret') } }) });
    await send('sent-drop', 'plain 1');
    await send('sent-drop', 'the SECRET one');
    const [h] = await held(c, 1);
    expect(await command({ op: 'release', c, hold: h!, action: 'drop' })).toEqual({ ok: true });
    await send('sent-drop', 'plain 2');
    await until(() => atServer('sent-drop').length === 2, 'the plain ones');
    expect(atServer('sent-drop')).toEqual(['plain 1', 'plain 2']);
    expect((await held(c, 1)).length).toBe(1);
    expect((await events()).filter((e) => e.c === c && e.outcome === 'held').map((e) => e.matched)).toEqual(['secret']);
  });
});

describe('breakpoints on received messages', () => {
  for (const binaryType of ['arraybuffer', 'blob'] as const) {
    it(`hold a message; the page gets the edited one, typed by binaryType (${binaryType}), then what waited behind it, then the close`, async () => {
      const q = `recv-${binaryType}`;
      await page.evaluate(([x, b]) => (window as unknown as { open_(q: string, b: string): Promise<void> }).open_(x, b), [q, binaryType] as const);
      const c = await connId(q);
      await command({ op: 'intercept', config: base({ received: { condition: cond('hold', 'hold') } }) });
      await send(q, 'hold me');
      const [h] = await held(c, 1);
      await send(q, 'after');
      await send(q, [1, 2, 3]);
      // the echoes came (the hook recorded them; the page has none yet), then the page closes
      await until(() => panel.evaluate((x) => (window as unknown as { wsInspector: { connections(): { id: string; framesIn: number }[] } })
        .wsInspector.connections().find((k) => k.id === x)?.framesIn === 3, c), 'three echoes recorded');
      await page.evaluate((x) => (window as unknown as { sockets: Record<string, WebSocket> }).sockets[x]!.close(3001, 'bye'), q);
      await until(() => atServer(q).length === 3, 'the server echoed everything');
      await new Promise((r) => setTimeout(r, 300));
      expect(await seen(q)).toEqual([]); // all behind the held one, the close too
      expect(await command({ op: 'release', c, hold: h!, action: 'forward', data: { b64: Buffer.from('edited').toString('base64') } })).toEqual({ ok: true });
      const got = await until(async () => { const s = await seen(q); return s.length === 4 && s.every((x) => x.ev !== 'message' || x.data) ? s : null; }, 'everything at the page')
        .catch(async (e) => { throw new Error(`${String(e)}: ${JSON.stringify(await seen(q))}`); });
      const binType = binaryType === 'blob' ? 'Blob' : 'ArrayBuffer';
      expect(got).toEqual([
        { q, ev: 'message', isTrusted: false, type: binType, data: [...Buffer.from('edited')] },
        { q, ev: 'message', isTrusted: false, type: 'string', data: 'after' },
        { q, ev: 'message', isTrusted: false, type: binType, data: [1, 2, 3] },
        { q, ev: 'close', code: 3001, reason: 'bye', readyState: 3 },
      ]);
    });
  }

  it('lets what does not match pass untouched (trusted, at once) while nothing is held', async () => {
    await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('recv-pass'));
    await command({ op: 'intercept', config: base({ received: { condition: cond('nothing matches this', 'zzz-no-match') } }) });
    await send('recv-pass', 'hello');
    const got = await until(async () => { const s = await seen('recv-pass'); return s.length ? s : null; }, 'the echo');
    expect(got).toEqual([{ q: 'recv-pass', ev: 'message', isTrusted: true, type: 'string', data: 'hello' }]);
  });
});

describe('failing open', () => {
  it('releases what is held, in order and as it was, when interception is turned off and when a timeout fires', async () => {
    await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('fail-off'));
    const c = await connId('fail-off');
    await command({ op: 'intercept', config: base({ sent: { condition: cond() } }) });
    await send('fail-off', 'a');
    await send('fail-off', 'b');
    await held(c, 2);
    await command({ op: 'intercept', config: null });
    await until(() => atServer('fail-off').length === 2, 'both sent');
    expect(atServer('fail-off')).toEqual(['a', 'b']);

    await command({ op: 'intercept', config: base({ sent: { condition: cond('timed', 'timed') }, timeout: { ms: 300, action: 'drop' } }) });
    await send('fail-off', 'timed out');
    await send('fail-off', 'behind it');
    await until(() => atServer('fail-off').length === 3, 'the one behind, after the timeout dropped the first');
    expect(atServer('fail-off')).toEqual(['a', 'b', 'behind it']);
    const timedOut = await until(async () => { const t = (await events()).filter((e) => e.c === c && e.cause === 'timeout'); return t.length ? t : null; }, 'the timeout recorded');
    expect(timedOut.map((e) => e.outcome)).toEqual(['dropped']);
  });

  it('releases everything when the panel goes', async () => {
    await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('fail-panel'));
    const c = await connId('fail-panel');
    await command({ op: 'intercept', config: base({ sent: { condition: cond() } }) });
    await send('fail-panel', 'held when the panel closed');
    await held(c, 1);
    await panel.close();
    await until(() => atServer('fail-panel').length === 1, 'sent after the panel went');
    expect(atServer('fail-panel')).toEqual(['held when the panel closed']);
    await openPanelPort();
  });
});

describe('rules', () => {
  it('replace (regex with groups, and a JSON field), respond with a template, drop, delay, close', async () => {
    await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('rules'));
    const c = await connId('rules');
    await command({
      op: 'intercept', config: base({
        rules: [
          rule({ direction: 'sent', match: cond('price', 'price'), action: { type: 'replace', find: { kind: 'regex', source: 'price=(\\d+)', flags: 'g' }, replace: 'price=0 (was $1)' } }),
          rule({ direction: 'sent', match: { source: 'type:order', terms: [{ name: 'type', negate: false, test: { kind: 'exact', value: 'order' } }] },
            action: { type: 'replace-json', path: 'qty', value: '99' } }),
          rule({ id: 'ask', direction: 'sent', match: { source: 'op:ask', terms: [{ name: 'op', negate: false, test: { kind: 'exact', value: 'ask' } }] },
            action: { type: 'respond', body: '{"reply":"mocked","id":{{id}}}', delayMs: 0, forward: false } }),
          rule({ direction: 'sent', match: cond('noise', 'noise'), action: { type: 'drop' } }),
          rule({ direction: 'received', match: cond('slow', 'slow'), action: { type: 'delay', ms: 300 } }),
        ],
      }),
    });
    await send('rules', 'price=42&price=7');
    await send('rules', '{"type":"order","qty":1}');
    await send('rules', '{"op":"ask","id":17}');
    await send('rules', 'noise');
    await send('rules', 'slow echo');
    await send('rules', 'fast echo');
    await until(() => atServer('rules').length === 4, 'what the rules let go');
    expect(atServer('rules')).toEqual(['price=0 (was 42)&price=0 (was 7)', '{"type":"order","qty":99}', 'slow echo', 'fast echo']);
    const got = await until(async () => { const s = await seen('rules'); return s.length === 5 ? s : null; }, 'the page got the echoes and the answer');
    // the rule's answer (by the rule, not the server) …
    expect(got.filter((x) => x.data === '{"reply":"mocked","id":17}')).toEqual([{ q: 'rules', ev: 'message', isTrusted: false, type: 'string', data: '{"reply":"mocked","id":17}' }]);
    // … and the echoes in order, the delayed one holding the next behind it
    expect(got.filter((x) => x.data !== '{"reply":"mocked","id":17}').map((x) => x.data))
      .toEqual(['price=0 (was 42)&price=0 (was 7)', '{"type":"order","qty":99}', 'slow echo', 'fast echo']);
    const outcomes = await until(async () => {
      const o = (await events()).filter((e) => e.c === c).map((e) => `${e.dir} ${e.outcome}`);
      return o.length >= 6 ? o : null;
    }, 'the rules\' acts recorded');
    expect(outcomes).toEqual(['out edited', 'out edited', 'out answered', 'out dropped', 'out dropped', 'in delayed']);

    await command({ op: 'intercept', config: base({ rules: [rule({ direction: 'received', match: cond('bye', 'bye'), action: { type: 'close', code: 4001, reason: 'rule' } })] }) });
    await send('rules', 'bye now');
    const closed = await until(async () => (await seen('rules')).find((s) => s.ev === 'close'), 'the socket closed by the rule');
    expect(closed).toMatchObject({ code: 4001, reason: 'rule' }); // the echo server answers the close with the rule's code
  });
});

describe('keep-alives', () => {
  it('pass a breakpoint on every sent message (socket.io ping), unless the user includes them', async () => {
    await page.evaluate(() => (window as unknown as { open_(q: string): Promise<void> }).open_('heartbeat'));
    const c = await connId('heartbeat');
    await command({ op: 'intercept', config: base({ sent: { condition: cond() }, protocols: { [c]: 'socketio' } }) });
    await send('heartbeat', '42["chat","held"]');
    await held(c, 1);
    await send('heartbeat', '2');
    await until(() => atServer('heartbeat').length === 1, 'the ping went past the held message');
    expect(atServer('heartbeat')).toEqual(['2']);
    await command({ op: 'intercept', config: base({ sent: { condition: cond() }, protocols: { [c]: 'socketio' }, heartbeats: true }) });
    await send('heartbeat', '2');
    await held(c, 2);
    expect(atServer('heartbeat')).toEqual(['2']);
  });
});
