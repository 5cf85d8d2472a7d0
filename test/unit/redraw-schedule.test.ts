import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedrawSchedule, type Frames } from '../../src/ui/shell/redraw-schedule';
import { MIN_GAP_MS, RenderPacing } from '../../src/ui/shell/render-pacing';

/** Animation frames that run when the test says (none run by themselves: a hidden document). */
function manualFrames() {
  let queue = new Map<number, () => void>();
  let next = 1;
  const frames: Frames = {
    request: (fn) => { queue.set(next, fn); return next++; },
    cancel: (id) => { queue.delete(id); },
  };
  return {
    frames,
    waiting: () => queue.size,
    run: () => { const due = queue; queue = new Map(); for (const fn of due.values()) fn(); },
  };
}

function setup() {
  const f = manualFrames();
  const redraws: number[] = [];
  const pacing = new RenderPacing();
  const s = new RedrawSchedule(pacing, () => redraws.push(performance.now()), f.frames);
  return { f, redraws, s, pacing };
}

beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }); vi.setSystemTime(1_000_000); });
afterEach(() => { vi.useRealTimers(); });

describe('when the panel redraws for traffic', () => {
  it('on the next animation frame after a change, once for many changes', () => {
    const { f, redraws, s } = setup();
    vi.advanceTimersByTime(1000);
    s.changed(); s.changed(); s.changed();
    expect(f.waiting()).toBe(1);
    f.run();
    expect(redraws).toHaveLength(1);
  });

  it('no sooner than the gap after the last redraw: changes in between wait and go together', () => {
    const { f, redraws, s } = setup();
    vi.advanceTimersByTime(1000);
    s.changed(); f.run();
    s.changed(); s.changed();
    expect(f.waiting()).toBe(0); // not before the gap
    vi.advanceTimersByTime(MIN_GAP_MS - 1);
    expect(f.waiting()).toBe(0);
    vi.advanceTimersByTime(1);
    f.run();
    expect(redraws).toHaveLength(2);
    expect(redraws[1]! - redraws[0]!).toBe(MIN_GAP_MS);
  });

  it('waits longer after costly redraws (the pacing\'s gap)', async () => {
    const { f, redraws, s, pacing } = setup();
    vi.advanceTimersByTime(1000);
    for (let k = 0; k < 10; k++) pacing.took(40);
    s.changed(); f.run();
    await Promise.resolve(); // its cost is measured after the render's microtask
    s.changed();
    vi.advanceTimersByTime(pacing.gap() - 1);
    f.run();
    expect(redraws).toHaveLength(1);
    vi.advanceTimersByTime(1);
    f.run();
    expect(redraws).toHaveLength(2);
  });

  it('redraws on a timer when no animation frame comes (a hidden document)', () => {
    const { redraws, s } = setup();
    vi.advanceTimersByTime(1000);
    s.changed();
    vi.advanceTimersByTime(249);
    expect(redraws).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(redraws).toHaveLength(1);
  });

  it('does nothing after stop', () => {
    const { f, redraws, s } = setup();
    vi.advanceTimersByTime(1000);
    s.changed();
    s.stop();
    f.run();
    vi.advanceTimersByTime(10_000);
    expect(redraws).toHaveLength(0);
  });
});
