import { describe, expect, it } from 'vitest';
import { selfTimes } from '../bench/profile';
import { ratioOf } from '../bench/report';

describe('benchmark figures', () => {
  it('charges each profile sample to the function it was in, for the time until the next sample, leaving idle out', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 9, columnNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
        { id: 2, callFrame: frame('onMessage', 'chrome-extension://x/extension/page/index.js') },
        { id: 3, callFrame: frame('(idle)') },
        { id: 4, callFrame: frame('') },
      ],
      // a sample's time is the delta to the next sample (µs)
      samples: [2, 2, 3, 4, 2],
      timeDeltas: [0, 1000, 2000, 5000, 500],
      startTime: 0, endTime: 9000,
    };
    expect(selfTimes(profile)).toEqual([
      { name: 'onMessage index.js:10', ms: 3 },
      { name: '(anonymous)', ms: 0.5 },
    ]);
  });

  it('names a call frame as the namer says, else by function, file and line', () => {
    const profile = {
      nodes: [{ id: 1, callFrame: { functionName: 'F$1', url: 'chrome-extension://x/assets/panel.js', lineNumber: 0, columnNumber: 5 } }],
      samples: [1, 1], timeDeltas: [0, 1000], startTime: 0, endTime: 1000,
    };
    expect(selfTimes(profile, () => 'src/ui/useVirtualRows.ts:87 F$1')).toEqual([{ name: 'src/ui/useVirtualRows.ts:87 F$1', ms: 1 }]);
  });

  it('reports the median of per-trial ratios and their spread', () => {
    expect(ratioOf([1.2, 1.1, 1.5, 1.3, 1.4])).toEqual({ median: 1.3, min: 1.1, max: 1.5 });
    // an even count takes the lower middle; a failed reading (NaN) does not move the median
    expect(ratioOf([2, 1, NaN, 3, 4]).median).toBe(2);
  });
});
