import { describe, expect, it } from 'vitest';
import { FlushPacing } from '../../src/capture/flush-pacing';

/** Posts of `items` every `every` ms from `t`, as the hook's timer makes them; the time after the last. */
function posts(p: FlushPacing, t: number, n: number, every: number, items: number): number {
  for (let k = 0; k < n; k++, t += every) p.posted(items, t);
  return t;
}

describe('how long the hook waits before a post', () => {
  it('waits the shortest time for the first message, and after a quiet while', () => {
    const p = new FlushPacing(40, 160);
    expect(p.next(0)).toBe(40);
    const t = posts(p, 0, 5, 50, 1); // a trickle: the wait has grown
    expect(p.next(t)).toBe(160);
    expect(p.next(t + 1_000)).toBe(40); // quiet for a second: a lone message goes at once
  });

  it('keeps the shortest wait while posts are full (a busy socket: latency first)', () => {
    const p = new FlushPacing(40, 160);
    const t = posts(p, 0, 20, 40, 2_000);
    expect(p.next(t)).toBe(40);
  });

  it('waits up to its longest while posts carry a row or two (a widget\'s ticker in each of 30 iframes)', () => {
    const p = new FlushPacing(40, 160);
    posts(p, 0, 3, 50, 1);
    expect(p.next(150)).toBe(160);
    // at the longest wait the trickle fills 3–4 rows a post: still fewer than 8, so it stays there
    const t = posts(p, 150, 10, 160, 3);
    expect(p.next(t)).toBe(160);
  });

  it('waits as long as `target` rows take to come, between the two', () => {
    const p = new FlushPacing(40, 160, 8);
    posts(p, 0, 2, 80, 8); // 100 rows a second: 8 rows take 80 ms
    expect(p.next(100)).toBe(80);
  });

  it('goes back to the shortest wait as soon as a socket gets busy', () => {
    const p = new FlushPacing(40, 160);
    let t = posts(p, 0, 5, 160, 2);
    expect(p.next(t)).toBe(160);
    t = posts(p, t, 1, 160, 5_000);
    expect(p.next(t)).toBe(40);
  });
});
