import { describe, expect, it } from 'vitest';
import { MAX_GAP_MS, MIN_GAP_MS, RenderPacing, SHARE } from '../../src/ui/shell/render-pacing';

describe('render pacing while traffic streams', () => {
  it('redraws at the quickest pace while redraws are cheap (a quiet socket stays live)', () => {
    const p = new RenderPacing();
    expect(p.gap()).toBe(MIN_GAP_MS);
    for (let k = 0; k < 10; k++) p.took(2);
    expect(p.gap()).toBe(MIN_GAP_MS);
  });

  it('keeps costly redraws (a flood replacing every row) to its share of the main thread', () => {
    const p = new RenderPacing();
    for (let k = 0; k < 20; k++) p.took(30);
    expect(p.gap()).toBeCloseTo(30 / SHARE, 5);
    expect(30 / p.gap()).toBeCloseTo(SHARE, 5);
  });

  it('never waits longer than its longest gap, however slow a redraw', () => {
    const p = new RenderPacing();
    p.took(5_000);
    expect(p.gap()).toBe(MAX_GAP_MS);
  });

  it('follows a change of cost within a few redraws, not on one outlier', () => {
    const p = new RenderPacing();
    for (let k = 0; k < 10; k++) p.took(5);
    p.took(100); // one slow redraw (a GC, the machine busy)
    const afterOne = p.gap();
    expect(afterOne).toBeLessThan(MAX_GAP_MS);
    expect(afterOne).toBeGreaterThan(MIN_GAP_MS);
    for (let k = 0; k < 10; k++) p.took(2); // the flood is over
    expect(p.gap()).toBe(MIN_GAP_MS);
  });

  it('ignores measurements that are not durations', () => {
    const p = new RenderPacing();
    p.took(Number.NaN); p.took(-1); p.took(Number.POSITIVE_INFINITY);
    expect(p.gap()).toBe(MIN_GAP_MS);
    p.took(20);
    expect(p.gap()).toBe(20 / SHARE);
  });
});
