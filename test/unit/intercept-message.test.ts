import { describe, expect, it } from 'vitest';
import { HEX_BYTES, viewOf, type Payload } from '../../src/capture/intercept/message';
import { takeDataNatives, type Natives } from '../../src/capture/natives';

// text() of a message reads no native beyond the bytes helper given to it
const n = takeDataNatives(globalThis) as unknown as Natives;
const bytes = (p: Payload) => (typeof p === 'string' ? undefined : new Uint8Array(p as ArrayBuffer));

describe('a message as interception sees it', () => {
  it('a text message is its text; a small binary one its hex', () => {
    expect(viewOf(n, 'hello', bytes).text()).toBe('hello');
    expect(viewOf(n, new Uint8Array([0x0a, 0x1f, 0xff]).buffer, bytes).text()).toBe('0a 1f ff');
  });

  it(`a large binary message shows conditions the hex of its first ${HEX_BYTES / 1024} KiB only`, () => {
    const big = new Uint8Array(256 * 1024).fill(0xab);
    big[HEX_BYTES] = 0xcd; // past the head: not seen
    const text = viewOf(n, big.buffer, bytes).text()!;
    expect(text.length).toBe(HEX_BYTES * 3 - 1);
    expect(text.startsWith('ab ab')).toBe(true);
    expect(text).not.toContain('cd');
  });

  it('writes every byte value as its pair, the same with and without a Latin-1 decoder (a context without TextDecoder)', () => {
    const all = new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
    const want = Array.from(all, (v) => v.toString(16).padStart(2, '0')).join(' ');
    expect(viewOf(n, all.buffer, bytes).text()).toBe(want);
    expect(viewOf({ ...n, latin1: undefined }, all.buffer, bytes).text()).toBe(want);
    // one byte, and none
    expect(viewOf(n, new Uint8Array([5]).buffer, bytes).text()).toBe('05');
    expect(viewOf(n, new ArrayBuffer(0), bytes).text()).toBe('');
  });
});
