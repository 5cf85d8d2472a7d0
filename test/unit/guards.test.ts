import { describe, expect, it } from 'vitest';
import {
  asBackgroundToPanel, asBackgroundToRelay, asHookMessage, asPanelMessage, asRelayMessage, asWorkerScriptWord, isCommand, isCommandResult, isWireBinary,
} from '../../src/protocol/guards';
import { columnViews, FLAG, NONE, type PageBatch } from '../../src/protocol/batch';
import { toWireBatch } from '../../src/protocol/batch-codec';
import type { CaptureEvent } from '../../src/protocol/events';
import { envelope, WORKER_SCRIPT } from '../../src/protocol/messages';
import { pageBatchOf } from './hook-batches';

type E = CaptureEvent<ArrayBuffer>;
const frame: E = { k: 'frame', c: 'h.0', seq: 1, t: 1, dir: 'in', kind: 'text', as: 'string', size: 2, data: 'hi' };
const created: E = { k: 'created', c: 'h.0', seq: 0, t: 0, url: 'ws://x/', resolvedUrl: 'ws://x/', frameUrl: 'http://p/' };

/** A hook batch message (what the page's relay receives). */
const batchMessage = (batch: unknown) => envelope('wsi-hook', { type: 'batch', batch });
/** A real batch with one column of its first row changed, as a forging page could. */
function tampered(events: E[], change: (c: ReturnType<typeof columnViews>) => void): PageBatch {
  const b = pageBatchOf(events);
  const copy = b.cols.slice(0);
  change(columnViews(copy, b.rows));
  return { ...b, cols: copy, events: Array.from(b.events), at: Array.from(b.at) };
}

describe('guards at the trust boundaries', () => {
  it('accept well-formed hook batches', () => {
    expect(asHookMessage(batchMessage(pageBatchOf([created, frame])))).not.toBeNull();
    expect(asHookMessage(batchMessage(pageBatchOf([{ ...frame, data: new ArrayBuffer(4), kind: 'binary', as: 'ArrayBuffer' } as E])))).not.toBeNull();
    expect(asHookMessage(batchMessage(pageBatchOf([{ ...frame, size: -1 } as E])))).not.toBeNull(); // a whole text: the panel measures it
  });

  it('reject what a page could forge: wrong source, version, kinds, shapes, sizes', () => {
    const ok = pageBatchOf([created, frame]);
    const bad: unknown[] = [
      null, 'batch', { type: 'batch', batch: ok },
      { ...batchMessage(ok), v: 999 },
      envelope('wsi-hook', { type: 'attach', cursors: {} }), // a command, not a capture message
      batchMessage({ ...ok, events: [{ ...created, k: 'send-command' }], at: [0] }),
      batchMessage({ ...ok, events: [{ ...created, seq: -1 }], at: [0] }),
      batchMessage({ ...ok, events: [{ ...created, c: 'x'.repeat(65) }], at: [0] }),
      batchMessage({ ...ok, events: [frame], at: [0] }), // messages are rows, not events
      batchMessage({ ...ok, events: [created], at: [5] }), // after more rows than there are
      batchMessage({ ...ok, events: [created, created], at: [1, 0] }), // out of order
      batchMessage({ ...ok, events: [{ k: 'close', c: 'h.0', seq: 2, t: 1, code: 1000, reason: '', wasClean: true, initiator: 'aliens' }], at: [0] }),
      batchMessage({ ...ok, rows: 2 }), // columns of the wrong size
      batchMessage({ ...ok, texts: ['hi!'] }), // a text of another length than its row says
      batchMessage({ ...ok, texts: ['hi', 'more'] }), // more texts than text rows
      batchMessage({ ...ok, binary: new ArrayBuffer(1) }),
      batchMessage({ ...ok, cols: 'AAAA' }), // wire shape from the page
      batchMessage(tampered([frame], (c) => { c.flags[0] = 1 << 12; })), // an unknown flag
      batchMessage(tampered([frame], (c) => { c.flags[0] = FLAG.payload | FLAG.sample; })),
      batchMessage(tampered([frame], (c) => { c.as[0] = 200; })),
      batchMessage(tampered([frame], (c) => { c.t[0] = NaN; })),
      batchMessage(tampered([frame], (c) => { c.flags[0] = FLAG.binary; })), // text bytes on a binary row
      batchMessage(tampered([{ ...frame, kind: 'binary', as: 'ArrayBuffer', data: new ArrayBuffer(1) } as E], (c) => { c.size[0] = NONE; })), // only whole text may skip its size
      batchMessage(pageBatchOf(Array.from({ length: 5001 }, (_, i) => ({ ...frame, seq: i + 1 })))),
    ];
    for (const b of bad) expect(asHookMessage(b), JSON.stringify(b)?.slice(0, 120)).toBeNull();
  });

  it("take a socket's creation stack, source and send() call sites, and nothing else in their place", () => {
    const stack = [{ fn: 'connect', url: 'https://app.test/main.js', line: 12, col: 7 }];
    const site: E = { k: 'send-site', c: 'h.0', seq: 1, t: 1, stack };
    const good = [
      { ...created, stack, source: 'stream' }, { ...created, source: 'worker', network: true }, site,
      { ...created, stack: [] },
    ];
    for (const e of good) expect(asHookMessage(batchMessage(pageBatchOf([e as E]))), JSON.stringify(e)).not.toBeNull();
    const bad = [
      { ...created, source: 'iframe' }, { ...created, network: 'yes' }, { ...created, stack: 'main.js:12' },
      { ...created, stack: Array.from({ length: 9 }, () => stack[0]) }, // more frames than kept
      { ...created, stack: [{ ...stack[0], line: -1 }] }, { ...created, stack: [{ ...stack[0], url: 'x'.repeat(5000) }] },
      { ...site, stack: undefined }, { ...site, stack: [{ fn: 1 }] },
    ];
    for (const e of bad) expect(asHookMessage(batchMessage({ ...pageBatchOf([]), events: [e], at: [0] })), JSON.stringify(e).slice(0, 120)).toBeNull();
  });

  it('check wire batches again in the background, every row', () => {
    const good = toWireBatch(pageBatchOf([created, frame]), false);
    expect(asRelayMessage(envelope('wsi-relay', { type: 'batch', hook: 'h', batch: good }))).not.toBeNull();
    const forged = toWireBatch(tampered([frame], (c) => { c.as[0] = 200; }), false);
    expect(asRelayMessage(envelope('wsi-relay', { type: 'batch', hook: 'h', batch: forged }))).toBeNull();
    expect(asRelayMessage(envelope('wsi-relay', { type: 'batch', hook: 'h', batch: { ...good, cols: '!!!!' } }))).toBeNull();
  });

  it('check wire batches whose bytes came as ArrayBuffers (ports that carry structured clones) the same way', () => {
    const relay = (batch: unknown) => asRelayMessage(envelope('wsi-relay', { type: 'batch', hook: 'h', batch }));
    const good = toWireBatch(pageBatchOf([created, frame]), true);
    expect(relay(structuredClone(good))).not.toBeNull();
    expect(relay(toWireBatch(tampered([frame], (c) => { c.as[0] = 200; }), true))).toBeNull();
    // columns of the wrong size; what a JSON port makes of an ArrayBuffer; bytes the rows do not account for
    expect(relay({ ...good, cols: new ArrayBuffer(3) })).toBeNull();
    expect(relay({ ...good, cols: {} })).toBeNull();
    expect(relay({ ...good, binary: {} })).toBeNull();
    expect(relay({ ...good, binary: new ArrayBuffer(8) })).toBeNull();
    expect(relay({ ...good, binary: new Uint8Array(0) })).toBeNull();
  });

  it('check the columns a wire batch carries as one value: known whole-number columns their type can hold, and the rest of the bytes', () => {
    const many = Array.from({ length: 4 }, (_, i): E => ({ ...frame, seq: i + 1, t: i + 1 }));
    const good = toWireBatch(pageBatchOf([created, ...many]), false);
    expect(good.fixed).toBeDefined();
    const relay = (batch: unknown) => asRelayMessage(envelope('wsi-relay', { type: 'batch', hook: 'h', batch }));
    expect(relay(good)).not.toBeNull();
    const bad = [
      { t: 1 }, // times always travel in the columns
      { flags: 0x10000 }, { as: 256 }, { conn: -1 }, { conn: 1.5 }, { conn: '0' }, { evil: 0 },
      { ...good.fixed, as: 200 }, // a data type that does not exist, on every row
      { ...good.fixed, flags: 1 << 12 }, // an unknown flag, on every row
    ];
    for (const fixed of bad) expect(relay({ ...good, fixed }), JSON.stringify(fixed)).toBeNull();
    // what is fixed and what the columns hold must add up
    expect(relay({ ...good, fixed: undefined })).toBeNull();
    expect(relay({ ...good, fixed: { ...good.fixed, seq: 1 } })).toBeNull(); // seq is in the columns too
    expect(relay({ ...good, fixed: 'conn' })).toBeNull();
  });

  it('check a payload answer on the panel side field by field (it checked only req and c)', () => {
    const ok = envelope('wsi-background', { type: 'payload', frameId: 0, hook: 'h', req: 1, c: 'h.0', seq: 3, data: 'x' });
    expect(asBackgroundToPanel(ok)).not.toBeNull();
    for (const bad of [{ seq: -1 }, { seq: 'three' }, { data: 5 }, { data: { b64: 7 } }, { truncated: 'yes' }, { error: 42 }]) {
      expect(asBackgroundToPanel({ ...ok, ...bad }), JSON.stringify(bad)).toBeNull();
    }
  });

  it('check every port direction by its own union', () => {
    expect(asRelayMessage(envelope('wsi-relay', { type: 'hello', hook: 'h', url: 'http://p/' }))).not.toBeNull();
    expect(asRelayMessage(envelope('wsi-relay', { type: 'attach', hook: 'h', cursors: {} }))).toBeNull();
    expect(asBackgroundToRelay(envelope('wsi-background', { type: 'attach', cursors: { 'h.0': 3 } }))).not.toBeNull();
    expect(asBackgroundToRelay(envelope('wsi-background', { type: 'attach', cursors: { 'h.0': -3 } }))).toBeNull();
    // the attach's probe: an empty ArrayBuffer, or what JSON makes of one
    for (const clone of [new ArrayBuffer(0), {}]) expect(asBackgroundToRelay(envelope('wsi-background', { type: 'attach', cursors: {}, clone }))).not.toBeNull();
    for (const clone of [new ArrayBuffer(1), { evil: 1 }, 'x']) expect(asBackgroundToRelay(envelope('wsi-background', { type: 'attach', cursors: {}, clone }))).toBeNull();
    expect(asBackgroundToRelay(envelope('wsi-relay', { type: 'detach' }))).toBeNull();
    expect(asPanelMessage(envelope('wsi-panel', { type: 'subscribe', tabId: 5 }))).not.toBeNull();
    expect(asPanelMessage(envelope('wsi-panel', { type: 'subscribe', tabId: '5' }))).toBeNull();
  });
});

describe('command messages', () => {
  const send = { op: 'send', c: 'h.0', data: 'hi' };
  const wireBinary = { op: 'inject', c: 'h.0', data: { b64: 'AQI=' } };
  const ok = { ok: true };
  const failed = { ok: false, error: { name: 'InvalidStateError', message: 'the socket is CLOSED' } };

  it('accept every command op from the panel and from the background, payloads as base64', () => {
    const cmds: unknown[] = [
      send, wireBinary, { op: 'close', c: 'h.0' }, { op: 'close', c: 'h.0', code: 3001, reason: 'bye' },
      { op: 'simulate-server-close', c: 'h.0', code: 4000, reason: '' }, { op: 'simulate-drop', c: 'h.0' },
    ];
    for (const cmd of cmds) {
      expect(asPanelMessage(envelope('wsi-panel', { type: 'command', frameId: 0, hook: 'h', req: 1, cmd })), JSON.stringify(cmd)).not.toBeNull();
      expect(asBackgroundToRelay(envelope('wsi-background', { type: 'command', req: 7, cmd })), JSON.stringify(cmd)).not.toBeNull();
    }
  });

  it('reject malformed commands', () => {
    const bad: unknown[] = [
      null, { ...send, op: 'eval' }, { ...send, c: 5 }, { ...send, c: 'x'.repeat(65) }, { op: 'send', c: 'h.0' },
      { ...send, data: new ArrayBuffer(2) }, // page-side binary on a port
      { ...send, data: 'x'.repeat(16 * 1024 * 1024 + 1) }, { ...wireBinary, data: { b64: 5 } },
      { op: 'close', c: 'h.0', code: -1 }, { op: 'close', c: 'h.0', code: 70000 }, { op: 'close', c: 'h.0', code: 1.5 },
      { op: 'close', c: 'h.0', reason: 3 }, { op: 'simulate-server-close', c: 'h.0', code: 4000 },
      { op: 'simulate-server-close', c: 'h.0', reason: 'r' },
    ];
    for (const cmd of bad) {
      expect(isCommand(cmd, isWireBinary), JSON.stringify(cmd)).toBe(false);
      expect(asPanelMessage(envelope('wsi-panel', { type: 'command', frameId: 0, hook: 'h', req: 1, cmd }))).toBeNull();
      expect(asBackgroundToRelay(envelope('wsi-background', { type: 'command', req: 1, cmd }))).toBeNull();
    }
    expect(asPanelMessage(envelope('wsi-panel', { type: 'command', frameId: -1, hook: 'h', req: 1, cmd: send }))).toBeNull();
    expect(asPanelMessage(envelope('wsi-panel', { type: 'command', frameId: 0, hook: 'h', cmd: send }))).toBeNull();
    expect(asBackgroundToRelay(envelope('wsi-background', { type: 'command', req: 'x', cmd: send }))).toBeNull();
  });

  it('never take a command from the wrong direction: the hook, the relay, or a page posting as the panel', () => {
    // a page can post anything the relay sees as coming "from the hook"; commands are not in that union
    expect(asHookMessage(envelope('wsi-hook', { type: 'command', req: 1, cmd: send }))).toBeNull();
    expect(asHookMessage(envelope('wsi-relay', { type: 'command', req: 1, cmd: send }))).toBeNull();
    expect(asRelayMessage(envelope('wsi-relay', { type: 'command', hook: 'h', req: 1, cmd: send }))).toBeNull();
    expect(asBackgroundToRelay(envelope('wsi-panel', { type: 'command', req: 1, cmd: send }))).toBeNull();
    expect(asPanelMessage(envelope('wsi-background', { type: 'command', frameId: 0, hook: 'h', req: 1, cmd: send }))).toBeNull();
  });

  it('accept command results on the way back, and only well-formed ones', () => {
    for (const result of [ok, failed]) {
      expect(asHookMessage(envelope('wsi-hook', { type: 'command-result', req: 1, result }))).not.toBeNull();
      expect(asRelayMessage(envelope('wsi-relay', { type: 'command-result', hook: 'h', req: 1, result }))).not.toBeNull();
      expect(asBackgroundToPanel(envelope('wsi-background', { type: 'command-result', frameId: 0, hook: 'h', req: 1, result }))).not.toBeNull();
    }
    const badResults: unknown[] = [undefined, {}, { ok: 'yes' }, { ok: false }, { ok: false, error: { name: 1, message: '' } }];
    for (const result of badResults) {
      expect(isCommandResult(result)).toBe(false);
      expect(asHookMessage(envelope('wsi-hook', { type: 'command-result', req: 1, result }))).toBeNull();
      expect(asBackgroundToPanel(envelope('wsi-background', { type: 'command-result', frameId: 0, hook: 'h', req: 1, result }))).toBeNull();
    }
    expect(asHookMessage(envelope('wsi-hook', { type: 'command-result', req: -1, result: ok }))).toBeNull();
  });

  it('accept the capture events DevTools actions produce', () => {
    const ev = { c: 'h.0', seq: 3, t: 1 };
    const events = [
      { ...ev, k: 'frame', dir: 'in', kind: 'text', as: 'string', size: 2, data: 'hi', by: 'devtools' },
      { ...ev, k: 'close-call', code: 1000, by: 'devtools' },
      { ...ev, k: 'state', state: 2, via: 'devtools-close' },
      { ...ev, k: 'close', code: 1000, reason: '', wasClean: true, initiator: 'devtools',
        simulated: { as: 'network', code: 1006, reason: '', wasClean: false } },
    ];
    const batchOf = (e: unknown) => batchMessage(pageBatchOf([e as E]));
    for (const e of events) expect(asHookMessage(batchOf(e)), e.k).not.toBeNull();
    const bad = [
      { ...events[1], by: 'page' },
      { ...events[3], simulated: { as: 'moon', code: 1006, reason: '', wasClean: false } },
      { ...events[3], simulated: { as: 'server', code: 4000, reason: '' } },
    ];
    for (const e of bad) expect(asHookMessage(batchOf(e))).toBeNull();
  });
});

describe("a relay's word about a worker script (Firefox's deep capture of workers)", () => {
  const good = { type: WORKER_SCRIPT, url: 'https://app.test/w.js', hook: 'h1', base: 4194304 };
  it('takes a well-formed word, and only its fields', () => {
    expect(asWorkerScriptWord({ ...good, extra: 'x' })).toEqual(good);
  });
  it.each([
    ['another type', { ...good, type: 'wsi-worker-hook' }],
    ['a URL that is not a string', { ...good, url: 1 }],
    ['a URL longer than a string field', { ...good, url: 'x'.repeat(64 * 1024 + 1) }],
    ['a hook id longer than a connection id', { ...good, hook: 'h'.repeat(65) }],
    ['connection numbers that are not a positive integer', { ...good, base: 0 }],
    ['connection numbers past 32 bits', { ...good, base: 2 ** 32 }],
    ['a fraction', { ...good, base: 1.5 }],
    ['not an object', 'wsi-worker-script'],
  ])('refuses %s', (_name, v) => {
    expect(asWorkerScriptWord(v)).toBeNull();
  });
});
