import type { RenderPacing } from './render-pacing';

/** Animation frames (injectable for tests). */
export interface Frames {
  request(fn: () => void): number;
  cancel(id: number): void;
}

const animationFrames: Frames = {
  request: (fn) => requestAnimationFrame(fn),
  cancel: (id) => cancelAnimationFrame(id),
};

/** A hidden document gets no animation frames: a timer redraws this long after the frame was due. */
const HIDDEN_MS = 250;

/**
 * When the panel redraws for traffic: on an animation frame, no sooner than the
 * pacing's gap after the last redraw (src/ui/shell/render-pacing.ts).
 *
 * Batches can arrive far faster than the screen refreshes; coalescing them
 * keeps the panel's cost proportional to views drawn, not events received.
 * A hidden document gets no animation frames (a background tab holding a
 * detached panel), so a slow timer also redraws: the view is then at most a
 * quarter second late instead of frozen.
 */
export class RedrawSchedule {
  private raf = 0;
  private wait: ReturnType<typeof setTimeout> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending = false;
  private last = 0;

  constructor(
    private readonly pacing: RenderPacing,
    /** redraw now (Preact renders in a microtask it queues) */
    private readonly redraw: () => void,
    private readonly frames: Frames = animationFrames,
  ) {}

  /** The store changed. */
  changed(): void {
    if (this.pending) return;
    this.pending = true;
    this.schedule();
  }

  stop(): void {
    this.pending = false;
    this.cancel();
  }

  private schedule(): void {
    const early = this.last + this.pacing.gap() - performance.now();
    if (early <= 0) this.raf = this.frames.request(this.flush);
    else this.wait = setTimeout(() => { this.raf = this.frames.request(this.flush); }, early);
    this.timer = setTimeout(this.flush, HIDDEN_MS + Math.max(0, early));
  }

  private cancel(): void {
    this.frames.cancel(this.raf);
    clearTimeout(this.wait);
    clearTimeout(this.timer);
  }

  private readonly flush = (): void => {
    if (!this.pending) return;
    this.cancel();
    this.pending = false;
    const began = performance.now();
    this.last = began;
    this.redraw();
    // after Preact's render microtask, its layout effects (the grid's forced layout) included
    queueMicrotask(() => this.pacing.took(performance.now() - began));
  };
}
