import { describe, expect, it } from 'vitest';
import { asBackgroundToRelay, asHookMessage, asPanelMessage, asRelayMessage } from '../../src/protocol/guards';
import { envelope } from '../../src/protocol/messages';

const frame = { k: 'frame', c: 'h.0', seq: 1, t: 1, dir: 'in', kind: 'text', as: 'string', size: 2, data: 'hi' };

describe('guards at the trust boundaries', () => {
  it('accept well-formed hook batches', () => {
    expect(asHookMessage(envelope('wsi-hook', { type: 'batch', events: [frame] }))).not.toBeNull();
    expect(asHookMessage(envelope('wsi-hook', { type: 'batch', events: [{ ...frame, data: new ArrayBuffer(4), kind: 'binary', as: 'ArrayBuffer' }] }))).not.toBeNull();
  });

  it('reject what a page could forge: wrong source, version, kinds, shapes, sizes', () => {
    const bad: unknown[] = [
      null, 'batch', { type: 'batch', events: [frame] },
      { src: 'wsi-hook', v: 999, type: 'batch', events: [frame] },
      envelope('wsi-hook', { type: 'attach', cursors: {} }), // a command, not a capture message
      envelope('wsi-hook', { type: 'batch', events: [{ ...frame, k: 'send-command' }] }),
      envelope('wsi-hook', { type: 'batch', events: [{ ...frame, seq: -1 }] }),
      envelope('wsi-hook', { type: 'batch', events: [{ ...frame, dir: 'sideways' }] }),
      envelope('wsi-hook', { type: 'batch', events: [{ ...frame, c: 'x'.repeat(65) }] }),
      envelope('wsi-hook', { type: 'batch', events: [{ ...frame, data: { b64: 'AA==' } }] }), // wire shape from the page
      envelope('wsi-hook', { type: 'batch', events: new Array(5001).fill(frame) }),
      envelope('wsi-hook', { type: 'batch', events: [{ ...frame, data: 'x'.repeat(16 * 1024 * 1024 + 1) }] }),
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
