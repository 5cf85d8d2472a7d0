/**
 * Which frame-grid columns fit, and how wide each is: the user's widths (or
 * the defaults), flexible columns (Data, Decoded) sharing what is left, and
 * optional columns hidden, lowest priority first, when the payload would get
 * less than its minimum. Pure: the grid measures itself and asks.
 */
import { fixedWidth, tracksOf } from '../shared/grid-tracks';
import type { FrameColumn } from './frame-columns';

export interface ColumnFit {
  /** the columns to draw, in order */
  shown: FrameColumn[];
  /** ids hidden for want of room (not the user's choice: they come back when the grid is wider) */
  squeezed: string[];
  /** the CSS grid-template-columns of the rows: in pixels once the grid was measured (see tracksOf) */
  template: string;
}

/** The narrowest a resized column can be. */
export const MIN_COLUMN = 28;
/** The widest a resized column can be. */
export const MAX_COLUMN = 1200;

/** The room columns take before flexible ones share what is left (a flexible one at its minimum). */
export function usedWidth(cols: readonly FrameColumn[], widths: ReadonlyMap<string, number>): number {
  return cols.reduce((sum, c) => sum + (fixedWidth(c, widths) ?? c.width), 0);
}

/**
 * `available`: the grid's inner width in CSS pixels (0 before it was
 * measured: then nothing is squeezed out). Columns without a fitPriority are
 * never hidden; the last flexible column is the payload.
 */
export function fitColumns(cols: readonly FrameColumn[], widths: ReadonlyMap<string, number>, available: number): ColumnFit {
  const shown = [...cols];
  const squeezed: string[] = [];
  if (available > 0) {
    const byPriority = shown.filter((c) => c.fitPriority !== undefined).sort((a, b) => a.fitPriority! - b.fitPriority!);
    for (const c of byPriority) {
      if (usedWidth(shown, widths) <= available) break;
      shown.splice(shown.indexOf(c), 1);
      squeezed.push(c.id);
    }
  }
  return { shown, squeezed, template: tracksOf(shown, widths, available) };
}

/**
 * How wide the user may make column `id` before the payload drops below its
 * minimum (the room the other columns leave), within MIN_COLUMN..MAX_COLUMN.
 */
export function maxWidthOf(id: string, shown: readonly FrameColumn[], widths: ReadonlyMap<string, number>, available: number): number {
  const c = shown.find((x) => x.id === id);
  if (!c || available <= 0) return MAX_COLUMN;
  const others = usedWidth(shown.filter((x) => x.id !== id), widths);
  return Math.max(MIN_COLUMN, Math.min(MAX_COLUMN, available - others));
}
