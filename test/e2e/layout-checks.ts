/**
 * What a user sees of the frame grid, measured in the panel's page (pass these
 * to `evaluate`): how many characters of a payload are visible in the Data
 * cell (cell width against text width, not textContent), each column's width,
 * and the boxes of the list and the details.
 */

export interface GridLook {
  /** header name → width in CSS px */
  columns: { name: string; width: number }[];
  /** the payload of the row measured, and how many of its characters are visible */
  payload: string;
  visibleChars: number;
  /** bounding boxes: the frame grid, the side pane, the toolbar, the viewport */
  grid: Box;
  side: Box | null;
  viewport: { width: number; height: number };
}

export interface Box { left: number; top: number; right: number; bottom: number }

/** Runs in the panel: measures the first body row whose payload has at least 40 characters. */
export function lookAtGrid(): GridLook {
  const box = (el: Element): Box => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  const grid = document.querySelector('[role=grid][aria-label=Frames]')!;
  const heads = [...grid.querySelectorAll('[role=columnheader]')];
  const columns = heads.map((h) => ({ name: (h.textContent ?? '').trim(), width: h.getBoundingClientRect().width }));
  const dataAt = columns.findIndex((c) => c.name === 'Data');
  const body = grid.querySelector('[role=rowgroup]:last-child')!.getBoundingClientRect();
  let payload = '';
  let visibleChars = 0;
  for (const row of grid.querySelectorAll('[role=rowgroup]:last-child [role=row]')) {
    const r = row.getBoundingClientRect();
    if (r.top < body.top || r.bottom > body.bottom) continue;
    const cell = row.querySelectorAll('[role=gridcell]')[dataAt];
    const text = cell?.querySelector('.payload') ?? cell;
    const t = text?.textContent ?? '';
    if (!cell || !text || t.length < 40) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    const tr = range.getBoundingClientRect();
    const cr = cell.getBoundingClientRect();
    const right = Math.min(cr.right - parseFloat(getComputedStyle(cell).paddingRight), innerWidth);
    const perChar = tr.width / t.length;
    payload = t;
    visibleChars = Math.floor(Math.max(0, Math.min(right, tr.right) - tr.left) / perChar + 0.01);
    break;
  }
  const side = document.querySelector('aside');
  return { columns, payload, visibleChars, grid: box(grid), side: side ? box(side) : null, viewport: { width: innerWidth, height: innerHeight } };
}

export const overlaps = (a: Box, b: Box): boolean => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

export const inside = (a: Box, v: { width: number; height: number }): boolean =>
  a.left >= 0 && a.top >= 0 && a.right <= v.width + 0.5 && a.bottom <= v.height + 0.5;
