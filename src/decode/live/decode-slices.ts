/**
 * The panel's decoding work outside renders: one job per key, run in
 * background slices of SLICE_MS until it says it is done; a small decoding
 * budget shared by the rows of one render; and two notifications — `progress`
 * (more results: the grid draws again, at most every PROGRESS_EVERY_MS while
 * jobs run, and when they are all done) and `grew` (results were kept: the
 * store checks its memory cap, in a task of its own, never mid-render).
 */
import { nextTask } from './next-task';

/** Decoding the grid's rows in view may take this long in one render; the rest goes to background slices. */
const RENDER_BUDGET_MS = 6;
/** One background slice. */
const SLICE_MS = 10;
/** The grid draws decoding progress at most this often while slices run. */
const PROGRESS_EVERY_MS = 150;

/** A job: work until `deadline` (performance.now()); true when there is nothing left to do. */
export type Job = (deadline: number) => boolean;

export class DecodeSlices<K> {
  private readonly jobs = new Map<K, Job>();
  private readonly listeners = new Set<() => void>();
  private pumping = false;
  private lastProgress = 0;
  private budgetFrom = -Infinity;
  private budgetEnd = 0;
  private growing = false;
  /** bumped when background work made more results available */
  progress = 0;
  /** results were kept (set by whoever counts them against a memory cap) */
  grew: (() => void) | null = null;

  onProgress(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Time left for decoding in this render: one budget shared by all the rows drawn together. */
  renderDeadline(): number {
    const now = performance.now();
    if (now - this.budgetFrom > 50) { this.budgetFrom = now; this.budgetEnd = now + RENDER_BUDGET_MS; }
    return this.budgetEnd;
  }

  /** Run `job` in background slices until it is done (replaces the key's job). */
  run(key: K, job: Job): void {
    this.jobs.set(key, job);
    this.pump();
  }

  /** Results were kept outside a slice (a render, a filter): tell `grew` in the next task. */
  growSoon(): void {
    if (this.growing || !this.grew) return;
    this.growing = true;
    nextTask(() => { this.growing = false; this.grew?.(); });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    nextTask(() => {
      this.pumping = false;
      const deadline = performance.now() + SLICE_MS;
      for (const [key, job] of this.jobs) {
        if (job(deadline)) this.jobs.delete(key);
        if (performance.now() > deadline) break;
      }
      this.grew?.();
      const now = performance.now();
      if (this.jobs.size === 0 || now - this.lastProgress > PROGRESS_EVERY_MS) {
        this.lastProgress = now;
        this.progress++;
        for (const fn of this.listeners) fn();
      }
      if (this.jobs.size) this.pump();
    });
  }
}
