/** Pure helpers of the panel's views: copy formats, pages, durations and rates, close and state words. */
import { describe, expect, it } from 'vitest';
import { idleHint } from '../../src/ui/connections/CloseDetails';
import { stateSpans } from '../../src/ui/connections/ConnectionDetails';
import { formatCount, formatDuration, formatRate, hexDump } from '../../src/ui/shared/format';
import { convertPayload, pageRange, parseJsonPayload, utf8Of } from '../../src/ui/detail/payload-text';
import { RateSeries } from '../../src/store/rate';

describe('copy formats', () => {
  it('turns text and binary into text, JSON, base64 and hex', () => {
    const json = '{"a":[1,2]}';
    expect(convertPayload(json, 'text')).toEqual({ ok: true, text: json });
    expect(convertPayload(json, 'json')).toEqual({ ok: true, text: '{\n  "a": [\n    1,\n    2\n  ]\n}' });
    expect(convertPayload('hé', 'base64')).toEqual({ ok: true, text: 'aMOp' });
    expect(convertPayload('hé', 'hex')).toEqual({ ok: true, text: '68 c3 a9' });
    expect(convertPayload({ b64: '//5BQg==' }, 'hex')).toEqual({ ok: true, text: 'ff fe 41 42' });
    expect(convertPayload({ b64: '//5BQg==' }, 'base64')).toEqual({ ok: true, text: '//5BQg==' });
    expect(convertPayload({ b64: btoa('{"x":1}') }, 'json')).toEqual({ ok: true, text: '{\n  "x": 1\n}' });
    expect(convertPayload('"just a string"', 'json')).toEqual({ ok: true, text: '"just a string"' });
    expect(convertPayload('nope', 'json')).toEqual({ ok: false, error: 'the payload is not JSON' });
    expect(convertPayload({ b64: '!!' }, 'hex')).toEqual({ ok: false, error: 'the payload could not be decoded' });
  });

  it('decodes UTF-8 and says when bytes are not valid UTF-8', () => {
    expect(utf8Of(new TextEncoder().encode('héllo'))).toEqual({ text: 'héllo', valid: true });
    expect(utf8Of(new Uint8Array([0xff, 0x41]))).toEqual({ text: '\ufffdA', valid: false });
    expect(parseJsonPayload('  [1]')).toEqual({ value: [1] });
    expect(parseJsonPayload('42')).toBeUndefined();
  });

  it('pages long payloads and dumps later pages with their real offsets', () => {
    expect(pageRange(0, 10, 25)).toEqual([0, 10]);
    expect(pageRange(2, 10, 25)).toEqual([20, 25]);
    expect(pageRange(9, 10, 25)).toEqual([20, 25]);
    expect(pageRange(0, 10, 0)).toEqual([0, 0]);
    expect(hexDump(new Uint8Array([0x41]), Infinity, 0x10000)).toMatch(/^00010000 {2}41 /);
  });
});

describe('numbers in words', () => {
  it('formats counts, durations and rates', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(3200)).toBe('3.20 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.25)).toBe('0.3/s');
    expect(formatRate(1250)).toBe('1,250/s');
  });
});

describe('connection views', () => {
  it('splits the readyState timeline into spans with durations', () => {
    const spans = stateSpans([{ state: 0, t: 0, via: 'constructor' }, { state: 1, t: 12, via: 'open' }, { state: 2, t: 500, via: 'close-call' },
      { state: 3, t: 520, via: 'close' }], 9999);
    expect(spans).toEqual([{ state: 0, from: 0, to: 12 }, { state: 1, from: 12, to: 500 }, { state: 2, from: 500, to: 520 }]);
    expect(stateSpans([{ state: 0, t: 0, via: 'constructor' }, { state: 1, t: 5, via: 'open' }], 100).at(-1)).toEqual({ state: 1, from: 5, to: 100 });
  });

  it('counts frames per second each way and merges seconds into chart points', () => {
    const r = new RateSeries(1000);
    for (let i = 0; i < 10; i++) r.add(1000 + i * 100, 'out'); // 10 in the first second
    r.add(3500, 'in');
    expect(r.seconds).toBe(3);
    expect(r.points()).toEqual([{ s: 0, out: 10, in: 0 }, { s: 1, out: 0, in: 0 }, { s: 2, out: 0, in: 1 }]);
    expect(r.points(2)).toEqual([{ s: 0, out: 5, in: 0 }, { s: 2, out: 0, in: 1 }]);
    expect(r.recent(3999, 10)).toBeCloseTo(11 / 3);
  });

  it('reads a long silence before an unclean close as an idle timeout', () => {
    expect(idleHint(1006, false, 65_000)).toMatch(/idle timeout/);
    expect(idleHint(1006, false, 2_000)).toBeNull();
    expect(idleHint(1000, true, 90_000)).toMatch(/idle for 1 min 30 s/);
    expect(idleHint(4001, true, 90_000)).toBeNull();
  });
});
