/**
 * The page hook's Stream, on fakes (the real History; a scripted relay on the other end of its
 * channel): nothing leaves the page until a panel attaches; then the history after the panel's cursors,
 * then live events, each once, in order, in bounded messages; large payloads as a preview with the rest
 * on request; detach stops it; commands come only over its private channel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_BINARY_BYTES, BATCH_TEXT_CHARS, type PageBatch } from '../../src/protocol/batch';
import { envelope, HANDSHAKE, LIMITS, RELAY_READY, type CommandResult, type RelayToHook } from '../../src/protocol/messages';
import { FakeWindow, ofType, settle, types, useFakeTime, type FakeMessagePort } from './fake-ports';
import { binary, created, eventsIn, FLUSH_MS, LONGEST_FLUSH_MS, opened, PREVIEW_BYTES, startHook, text } from './fake-page';

beforeEach(() => { useFakeTime(); });
afterEach(() => { vi.useRealTimers(); });

/** The relay's side of the channel: it takes the first trusted handshake and says ready. */
function scriptedRelay(win: FakeWindow) {
  const got: unknown[] = [];
  let port: FakeMessagePort | undefined;
  win.addEventListener('message', (ev) => {
    const d = ev.data as { type?: string };
    if (d?.type !== HANDSHAKE || port || !ev.isTrusted) return;
    ev.stopImmediatePropagation();
    port = ev.ports[0]!;
    port.onmessage = (e) => got.push(e.data);
    port.postMessage(envelope('wsi-relay', { type: 'ready', lightweight: false }));
  }, true);
  return {
    got,
    send: (m: RelayToHook) => port!.postMessage(m),
    get connected() { return port !== undefined; },
    /** the hook's end of the channel */
    get hookEnd() { return port!.other; },
    /** the events of every batch it got, as `c:seq` */
    events: () => ofType(got, 'batch').flatMap((m) => eventsIn(m).map((e) => `${e.c}:${e.seq}`)),
  };
}

function setup(o: { runCommand?: (cmd: unknown) => CommandResult } = {}) {
  const win = new FakeWindow();
  const relay = scriptedRelay(win);
  const hook = startHook(win, { runCommand: o.runCommand });
  /** a panel attaches (once the relay has the channel), and what it sets off has happened */
  const attach = async (cursors: Record<string, number> = {}) => {
    await settle();
    relay.send(envelope('wsi-relay', { type: 'attach', cursors }));
    await settle();
  };
  return { win, relay, hook, attach };
}

/** `created`, `open`, then `n` incoming texts on connection `c` (seq 2 … n+1). */
const conversation = (c: string, n: number) =>
  [created(c), opened(c, 1), ...Array.from({ length: n }, (_, i) => text(c, i + 2, `${c} #${i}`))];
const ids = (c: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${c}:${from + i}`);

describe('Stream', () => {
  it('sends nothing but "active" (the page has a socket) until a panel attaches', async () => {
    const { relay, hook } = setup();
    await settle();
    expect(relay.got).toEqual([]); // no socket yet: the relay need not even connect
    hook.record(...conversation('hook1.0', 50));
    await settle(10_000);
    expect(relay.got).toEqual([envelope('wsi-hook', { type: 'active' })]);
  });

  it('on attach sends the history after the panel\'s cursors, then live events: each once, in order', async () => {
    const { relay, hook, attach } = setup();
    hook.record(...conversation('hook1.0', 8), ...conversation('hook1.1', 2));
    await attach({ 'hook1.0': 4 }); // the panel already has seq 0 … 4 of the first connection
    expect(relay.events().sort()).toEqual([...ids('hook1.0', 5, 9), ...ids('hook1.1', 0, 3)].sort());
    const before = relay.got.length;

    hook.record(text('hook1.0', 10, 'live 1'), text('hook1.1', 4, 'live 2', 'out'), text('hook1.0', 11, 'live 3'));
    await settle(FLUSH_MS - 1);
    expect(relay.got).toHaveLength(before); // live events go together, one message per flush interval
    await settle(1);
    expect(relay.got).toHaveLength(before + 1);
    expect(eventsIn(relay.got.at(-1)).map((e) => [e.c, e.seq, (e as { data?: unknown }).data]))
      .toEqual([['hook1.0', 10, 'live 1'], ['hook1.1', 4, 'live 2'], ['hook1.0', 11, 'live 3']]);
  });

  it('posts a steady trickle less often (a few rows a post, up to its longest wait), and a lone message after a quiet while at once', async () => {
    const { relay, hook, attach } = setup();
    hook.record(...conversation('hook1.0', 0));
    await attach();
    const batches = () => ofType(relay.got, 'batch').length;
    const before = batches();
    // one message every 50 ms for 2 s: 40 posts at the shortest wait
    for (let k = 0; k < 40; k++) {
      hook.record(text('hook1.0', k + 2, `tick ${k}`));
      await settle(50);
    }
    await settle(LONGEST_FLUSH_MS);
    const trickle = batches() - before;
    expect(trickle).toBeLessThanOrEqual(2_000 / LONGEST_FLUSH_MS + 4); // ≤ 16, where the shortest wait makes 40
    expect(trickle).toBeLessThan(40 / 2);
    expect(relay.events()).toEqual(ids('hook1.0', 0, 41)); // every row, once, in order
    await settle(1_000); // quiet
    hook.record(text('hook1.0', 42, 'lone'));
    await settle(FLUSH_MS);
    expect(relay.events().at(-1)).toBe('hook1.0:42');
  });

  it(`sends history and live events in messages of at most ${LIMITS.eventsPerBatch} events`, async () => {
    const { relay, hook, attach } = setup();
    hook.record(...conversation('hook1.0', 12_000));
    await attach();
    const sizes = () => ofType(relay.got, 'batch').map((m) => eventsIn(m).length);
    expect(sizes()).toEqual([5000, 5000, 2002]);
    hook.record(...Array.from({ length: 7000 }, (_, i) => text('hook1.0', 12_002 + i, `live ${i}`)));
    await settle(); // a full batch goes at once
    expect(sizes()).toEqual([5000, 5000, 2002, 5000]);
    await settle(FLUSH_MS);
    expect(sizes()).toEqual([5000, 5000, 2002, 5000, 2000]);
    expect(relay.events()).toEqual(ids('hook1.0', 0, 19_001));
  });

  it(`cuts a batch at ${BATCH_TEXT_CHARS / 2 ** 20} Mi characters of text or ${BATCH_BINARY_BYTES / 2 ** 20} MiB of bytes: under what an extension port carries`, async () => {
    const { relay, hook, attach } = setup();
    hook.history.setCaps({ maxBytes: 1e9 }); // a user's raised history cap: the log holds it all
    const big = 'x'.repeat(PREVIEW_BYTES); // each row's preview is all of it
    const bytes = Array.from({ length: PREVIEW_BYTES }, (_, i) => i & 255);
    hook.record(created('hook1.0'), ...Array.from({ length: 600 }, (_, i) => text('hook1.0', i + 1, big)),
      ...Array.from({ length: 1100 }, (_, i) => binary('hook1.0', i + 601, bytes)));
    await attach();
    const batches = ofType<{ batch: { texts: string[]; binary: ArrayBuffer } }>(relay.got, 'batch').map((m) => m.batch);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) {
      expect(b.texts.reduce((sum, t) => sum + t.length, 0)).toBeLessThanOrEqual(BATCH_TEXT_CHARS + PREVIEW_BYTES);
      expect(b.binary.byteLength).toBeLessThanOrEqual(BATCH_BINARY_BYTES + PREVIEW_BYTES);
    }
    expect(relay.events()).toEqual(ids('hook1.0', 0, 1700));
  });

  it('says how many errors the hook caught in itself with every batch, and sends one soon when nothing else goes', async () => {
    const { relay, hook, attach } = setup();
    hook.record(...conversation('hook1.0', 1));
    hook.stream.failed(0);
    await attach();
    expect(ofType<{ batch: PageBatch }>(relay.got, 'batch').at(-1)!.batch.health).toEqual({ hookErrors: 1, connErrors: [0, 1] });
    const before = relay.got.length;
    hook.stream.failed(0);
    hook.stream.failed();
    await settle(FLUSH_MS);
    // nothing else to send: a batch with the counts alone
    const last = ofType<{ batch: PageBatch }>(relay.got, 'batch').at(-1)!.batch;
    expect(relay.got).toHaveLength(before + 1);
    expect([last.rows, last.events.length, last.health]).toEqual([0, 0, { hookErrors: 3, connErrors: [0, 2] }]);
    hook.record(text('hook1.0', 3, 'after'));
    await settle(FLUSH_MS);
    expect(ofType<{ batch: PageBatch }>(relay.got, 'batch').at(-1)!.batch.health).toEqual({ hookErrors: 3, connErrors: [0, 2] });
  });

  it('sends large payloads as a preview and the whole one on request', async () => {
    const { relay, hook, attach } = setup();
    const long = 'é'.repeat(50_000); // 100,000 bytes of UTF-8
    const bytes = Array.from({ length: 40_000 }, (_, i) => i % 256);
    hook.record(created('hook1.0'), text('hook1.0', 1, long), binary('hook1.0', 2, bytes));
    await attach();
    const [, t, b] = eventsIn(ofType(relay.got, 'batch')[0]) as { data: string | { b64: string }; truncated?: boolean; size: number }[];
    expect(t!.truncated).toBe(true);
    expect(t!.size).toBe(100_000);
    expect(long.startsWith(t!.data as string)).toBe(true);
    expect((t!.data as string).length).toBeLessThan(long.length);
    expect(b!.truncated).toBe(true);
    expect(Buffer.from((b!.data as { b64: string }).b64, 'base64').length).toBe(PREVIEW_BYTES);

    relay.send(envelope('wsi-relay', { type: 'fetch-payload', req: 1, c: 'hook1.0', seq: 1 }));
    relay.send(envelope('wsi-relay', { type: 'fetch-payload', req: 2, c: 'hook1.0', seq: 2 }));
    relay.send(envelope('wsi-relay', { type: 'fetch-payload', req: 3, c: 'hook1.0', seq: 99 }));
    await settle();
    const [p1, p2, p3] = ofType<{ data?: string | ArrayBuffer; error?: string }>(relay.got, 'payload');
    expect(p1!.data).toBe(long);
    expect([...new Uint8Array(p2!.data as ArrayBuffer)]).toEqual(bytes);
    expect(p3).toMatchObject({ req: 3, error: 'no longer in the page history' });
  });

  it('hands each batch\'s column and byte buffers to the relay instead of copying them', async () => {
    const { relay, hook, attach } = setup();
    hook.record(created('hook1.0'), text('hook1.0', 1, 'a'), binary('hook1.0', 2, [1, 2, 3]));
    await attach();
    const batches = ofType<{ batch: PageBatch }>(relay.got, 'batch');
    expect(batches).toHaveLength(1);
    const handed = relay.hookEnd.transferred;
    expect(handed).toHaveLength(2);
    // the hook's own are detached; the relay's hold the rows
    expect(handed.map((b) => b.byteLength)).toEqual([0, 0]);
    expect(new Uint8Array(batches[0]!.batch.binary)).toEqual(new Uint8Array([1, 2, 3]));
    expect(eventsIn(batches[0]).map((e) => e.seq)).toEqual([0, 1, 2]);
  });

  it('stops on detach; a detach for a background restart keeps the page recording for the panel\'s return', async () => {
    const { relay, hook, attach } = setup();
    hook.record(...conversation('hook1.0', 1));
    await attach();
    const sent = ofType(relay.got, 'batch').length;
    relay.send(envelope('wsi-relay', { type: 'detach', restarting: true }));
    await settle();
    hook.record(text('hook1.0', 3, 'while away'));
    await settle(FLUSH_MS);
    expect(ofType(relay.got, 'batch')).toHaveLength(sent);
    expect(hook.changes.at(-1)).toEqual({ attached: true, lightweight: false }); // the panel is probably coming back
    await settle(10_000);
    expect(hook.changes.at(-1)).toEqual({ attached: false, lightweight: false }); // it did not

    await attach({ 'hook1.0': 2 });
    expect(relay.events().slice(-1)).toEqual(['hook1.0:3']); // what it missed, from history
    relay.send(envelope('wsi-relay', { type: 'detach' }));
    await settle();
    expect(hook.changes.at(-1)).toEqual({ attached: false, lightweight: false });
  });

  it('runs commands from its private channel only, and answers each', async () => {
    const runCommand = vi.fn((): CommandResult => ({ ok: true }));
    const { win, relay, hook } = setup({ runCommand });
    hook.record(created('hook1.0'));
    await settle();
    const cmd = { op: 'send', c: 'hook1.0', data: 'hi' } as const;
    // the page posts and dispatches the command's every shape on the window
    for (const src of ['wsi-relay', 'wsi-background', 'wsi-panel']) {
      const m = { src, v: 1, type: 'command', req: 1, cmd };
      win.postMessage(m, '*');
      win.dispatchSynthetic(m);
    }
    relay.send({ src: 'wsi-page', v: 1, type: 'command', req: 2, cmd } as unknown as RelayToHook);
    await settle();
    expect(runCommand).not.toHaveBeenCalled();
    relay.send(envelope('wsi-relay', { type: 'command', req: 3, cmd }));
    await settle();
    expect(runCommand).toHaveBeenCalledExactlyOnceWith(cmd);
    expect(ofType(relay.got, 'command-result')).toEqual([envelope('wsi-hook', { type: 'command-result', req: 3, result: { ok: true } })]);
  });

  it('offers its channel again when a late relay asks, and only then', async () => {
    const win = new FakeWindow();
    const hook = startHook(win); // its first offer goes by: no relay yet
    const pageSaw: unknown[] = [];
    win.addEventListener('message', (ev) => pageSaw.push(ev.data));
    await settle();
    const relay = scriptedRelay(win);
    win.dispatchSynthetic({ type: RELAY_READY }); // a page script's: ignored
    await settle();
    expect(relay.connected).toBe(false);
    win.postMessage({ type: RELAY_READY }, '*');
    await settle();
    expect(relay.connected).toBe(true);
    hook.record(created('hook1.0'));
    await settle();
    expect(types(relay.got)).toEqual(['active']);
    // the page saw the first offer (no relay took it), never a relay's call
    expect(pageSaw).toEqual([{ type: HANDSHAKE, hook: 'hook1' }]);
  });
});
