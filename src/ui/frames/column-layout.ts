/**
 * Which frame-grid columns fit, and how wide each is: the user's widths (or
 * the defaults), flexible columns (Data, Decoded) sharing what is left, and
 * optional columns hidden, lowest priority first, when the payload would get
 * less than its minimum. Pure: the grid measures itself and asks.
 */
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

const fixedWidth = (c: FrameColumn, widths: ReadonlyMap<string, number>): number | undefined =>
  widths.get(c.id) ?? (c.flex === undefined ? c.width : undefined);

/** The CSS track of one column: a fixed width, or a share of the room left with its minimum. */
export function track(c: FrameColumn, widths: ReadonlyMap<string, number>): string {
  const w = fixedWidth(c, widths);
  return w !== undefined ? `${w}px` : `minmax(${c.width}px, ${c.flex}fr)`;
}

/**
 * The grid's tracks for this width, all in pixels: flexible columns share the room the others leave by
 * their `flex` factors, none under its minimum (what `minmax(min, Nfr)` tracks resolve to, done once here
 * instead of by the browser in every row: the profile of a streaming grid had the fr tracks' layout at
 * two thirds of a full layout's cost, 4.6 against 1.7 ms with pixel tracks). Before the grid was
 * measured (`available` 0): the fr tracks themselves.
 */
export function tracksOf(cols: readonly FrameColumn[], widths: ReadonlyMap<string, number>, available: number): string {
  if (available <= 0) return cols.map((c) => track(c, widths)).join(' ');
  const px = cols.map((c) => fixedWidth(c, widths));
  let free = available - px.reduce<number>((sum, w) => sum + (w ?? 0), 0);
  let open = cols.map((_, i) => i).filter((i) => px[i] === undefined);
  // a column whose share is under its minimum keeps its minimum; the others share the rest
  while (open.length > 0) {
    const unit = Math.max(0, free) / open.reduce((sum, i) => sum + (cols[i]!.flex ?? 1), 0);
    const held = open.filter((i) => cols[i]!.width > unit * (cols[i]!.flex ?? 1));
    if (held.length === 0) {
      for (const i of open) px[i] = unit * (cols[i]!.flex ?? 1);
      break;
    }
    for (const i of held) { px[i] = cols[i]!.width; free -= cols[i]!.width; }
    open = open.filter((i) => !held.includes(i));
  }
  return px.map((w) => `${Math.floor(w!)}px`).join(' ');
}

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
