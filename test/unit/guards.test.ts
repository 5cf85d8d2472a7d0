import { describe, expect, it } from 'vitest';
import {
  asBackgroundToPanel, asBackgroundToRelay, asHookMessage, asPanelMessage, asRelayMessage, isCommand, isCommandResult, isWireBinary,
} from '../../src/protocol/guards';
import { toBatch } from '../../src/protocol/batch';
import type { CaptureEvent } from '../../src/protocol/events';
import { envelope } from '../../src/protocol/messages';

/** A hook batch message carrying these (possibly malformed) events. */
const batchOf = (events: unknown[]) => envelope('wsi-hook', { type: 'batch', batch: toBatch(events as CaptureEvent[]) });

const frame = { k: 'frame', c: 'h.0', seq: 1, t: 1, dir: 'in', kind: 'text', as: 'string', size: 2, data: 'hi' };

describe('guards at the trust boundaries', () => {
  it('accept well-formed hook batches', () => {
    expect(asHookMessage(batchOf([frame]))).not.toBeNull();
    expect(asHookMessage(batchOf([{ ...frame, data: new ArrayBuffer(4), kind: 'binary', as: 'ArrayBuffer' }]))).not.toBeNull();
    expect(asHookMessage(batchOf([{ ...frame, size: -1 }]))).not.toBeNull(); // a whole text: the panel measures it
  });

  it('reject what a page could forge: wrong source, version, kinds, shapes, sizes', () => {
    const bad: unknown[] = [
      null, 'batch', { type: 'batch', batch: toBatch([frame as CaptureEvent]) },
      { ...batchOf([frame]), v: 999 },
      envelope('wsi-hook', { type: 'attach', cursors: {} }), // a command, not a capture message
      batchOf([{ ...frame, k: 'send-command' }]),
      batchOf([{ ...frame, seq: -1 }]),
      batchOf([{ ...frame, c: 'x'.repeat(65) }]),
      batchOf([{ ...frame, kind: 'binary', data: { b64: 'AA==' } }]), // wire shape from the page
      batchOf([{ ...frame, kind: 'binary', size: -1, data: new ArrayBuffer(1) }]), // only whole text may skip its size
      batchOf([{ ...frame, truncated: true, size: -1 }]),
      batchOf(new Array(5001).fill(frame)),
      batchOf([{ ...frame, data: 'x'.repeat(16 * 1024 * 1024 + 1) }]),
      batchOf([{ k: 'close', c: 'h.0', seq: 2, t: 1, code: 1000, reason: '', wasClean: true, initiator: 'aliens' }]),
      { ...batchOf([frame]), batch: { ...toBatch([frame as CaptureEvent]), frames: { ...toBatch([frame as CaptureEvent]).frames, conn: [7] } } },
      { ...batchOf([frame]), batch: { ...toBatch([frame as CaptureEvent]), frames: { ...toBatch([frame as CaptureEvent]).frames, flags: [64] } } },
    ];
    for (const b of bad) expect(asHookMessage(b)).toBeNull();
  });

  it('check every port direction by its own union', () => {
    expect(asRelayMessage(envelope('wsi-relay', { type: 'hello', hook: 'h', url: 'http://p/' }))).not.toBeNull();
    expect(asRelayMessage(envelope('wsi-relay', { type: 'attach', hook: 'h', cursors: {} }))).toBeNull();
    expect(asBackgroundToRelay(envelope('wsi-background', { type: 'attach', cursors: { 'h.0': 3 } }))).not.toBeNull();
    expect(asBackgroundToRelay(envelope('wsi-background', { type: 'attach', cursors: { 'h.0': -3 } }))).toBeNull();
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
    for (const e of events) expect(asHookMessage(batchOf([e])), e.k).not.toBeNull();
    const bad = [
      { ...events[1], by: 'page' },
      { ...events[3], simulated: { as: 'moon', code: 1006, reason: '', wasClean: false } },
      { ...events[3], simulated: { as: 'server', code: 4000, reason: '' } },
    ];
    for (const e of bad) expect(asHookMessage(batchOf([e]))).toBeNull();
  });
});
