/**
 * The rows the frame grid shows: the ids of the rows that pass the filter, in
 * order, kept up to date as rows arrive (only new rows are tested) and as old
 * ones are evicted (dropped from the front).
 *
 * A new filter is applied in slices (`work(deadline)`), so filtering a million
 * rows never blocks the panel for long; until it is done the previous result
 * stays on screen and `filtering` is true.
 */
import { IdList } from './columns';
import { compileFilter, DEFAULT_FILTER, parseQuery, type FactsOf, type FilterSpec, type Matcher } from './filter';
import type { Store } from './store';

export class FrameView {
  /** what the grid shows */
  private shown = new IdList();
  /** the next result while a new filter is applied */
  private pending: IdList | null = null;
  private matcher: Matcher;
  private pendingMatcher: Matcher | null = null;
  /** next row id to test */
  private cursor: number;
  private epoch: number;
  private started = 0;
  /** wall time of the last complete filter pass (slices and pauses included), ms */
  lastFilterMs = 0;
  /** time spent testing rows in the last complete filter pass (the slices only), ms */
  lastFilterWorkMs = 0;
  private workMs = 0;
  /** rows of the shown result dropped from its front by eviction so far (the grid keeps its place with it) */
  shifted = 0;

  /** `facts`: what decoders made of a row, for terms on decoded fields (`event:chat`) */
  constructor(private readonly store: Store, spec: FilterSpec = DEFAULT_FILTER, facts?: FactsOf) {
    this.matcher = compileFilter(spec, parseQuery(spec.query), facts);
    this.cursor = store.table.firstId;
    this.epoch = store.epoch;
  }

  /** The filter whose result is shown. */
  get spec(): FilterSpec { return this.matcher.spec; }
  /** A new filter is still being applied. */
  get filtering(): boolean { return this.pending !== null; }
  get length(): number { return this.shown.length; }
  /** Row id at position i of the result, or -1. */
  idAt(i: number): number { return this.shown.at(i); }
  /** Position of a row id in the result, or -1. */
  indexOf(id: number): number { return this.shown.indexOf(id); }
  /** Position of the first row at or after id (for keeping a place when the row is filtered out). */
  positionOf(id: number): number { return this.shown.positionOf(id); }

  /** Start applying a filter (an invalid regex must be rejected before: see parseQuery). */
  setFilter(spec: FilterSpec, facts?: FactsOf): void {
    this.pendingMatcher = compileFilter(spec, parseQuery(spec.query), facts);
    this.pending = new IdList();
    this.cursor = this.store.table.firstId;
    this.started = performance.now();
    this.workMs = 0;
  }

  /**
   * Test rows until `deadline` (performance.now() ms). Returns true when the
   * view is up to date with the store.
   */
  work(deadline = Infinity): boolean {
    const t = this.store.table;
    if (this.store.epoch !== this.epoch) {
      // rows went other than oldest-first (Clear, a new document): start over
      this.epoch = this.store.epoch;
      this.shown.clear();
      if (this.pending) this.pending.clear();
      this.cursor = t.firstId;
    }
    this.shifted += this.shown.dropBelow(t.firstId);
    this.pending?.dropBelow(t.firstId);
    if (this.cursor < t.firstId) this.cursor = t.firstId;
    const out = this.pending ?? this.shown;
    const m = this.pendingMatcher ?? this.matcher;
    const t0 = performance.now();
    if (this.cursor < t.nextId) this.cursor = m.scan(t, this.cursor, t.nextId, out, deadline);
    if (this.pending) this.workMs += performance.now() - t0;
    if (this.cursor < t.nextId) return false;
    if (this.pending && this.pendingMatcher) {
      this.shown = this.pending;
      this.matcher = this.pendingMatcher;
      this.pending = this.pendingMatcher = null;
      this.lastFilterMs = performance.now() - this.started;
      this.lastFilterWorkMs = this.workMs;
    }
    return true;
  }
}
