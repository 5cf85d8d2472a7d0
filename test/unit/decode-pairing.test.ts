import { describe, expect, it } from 'vitest';
import { pairFrames, type PairInput } from '../../src/decode';

const req = (key: string, t: number): PairInput => ({ t, decoded: { pairing: { key, role: 'request' } } });
const res = (key: string, t: number): PairInput => ({ t, decoded: { pairing: { key, role: 'response' } } });

describe('pairFrames', () => {
  it('links each response to its request and measures latency to the first response', () => {
    const p = pairFrames([req('a', 10), req('b', 11), res('b', 15), res('a', 30), res('a', 40), { t: 41, decoded: {} }]);
    expect(p.pairs).toEqual([
      { key: 'a', request: 0, responses: [3, 4], latency: 20 },
      { key: 'b', request: 1, responses: [2], latency: 4 },
    ]);
    expect(p.byIndex.get(4)).toBe(p.pairs[0]);
  });

  it('reused keys (pings, recycled ids) pair in order; a response with no request is an orphan', () => {
    const p = pairFrames([res('ping', 0), req('ping', 1), req('ping', 2), res('ping', 5), res('ping', 9)]);
    expect(p.orphans).toEqual([0]);
    expect(p.pairs.map((x) => [x.request, x.responses, x.latency])).toEqual([[1, [3], 4], [2, [4], 7]]);
  });
});
