/**
 * How the user arranged the panel, kept in storage.local once they change it:
 * frame-grid column widths (`panel:columnWidths`, id → CSS px) and the panes
 * (`panel:layout`: the connection list's height and whether it is collapsed,
 * the frames/detail split side by side and stacked). What storage returns is
 * checked like any other input. Hidden columns stay with PanelSettings
 * (`panel:hiddenColumns`).
 */
import type { KeyValueArea } from '../../compose/library';

export const COLUMN_WIDTHS_KEY = 'panel:columnWidths';
export const LAYOUT_KEY = 'panel:layout';

export interface PaneLayout {
  /** the connection list's height in px; undefined: as tall as its rows, up to a third of the panel */
  connHeight?: number;
  connCollapsed: boolean;
  /** the frame list's share of the split, in percent: side by side (wide panel) and stacked (narrow panel) */
  sideBySide: number;
  stacked: number;
}

export const DEFAULT_LAYOUT: PaneLayout = { connCollapsed: false, sideBySide: 64, stacked: 55 };

const pct = (v: unknown, d: number): number => (typeof v === 'number' && v >= 10 && v <= 90 ? v : d);

export function asLayout(v: unknown): PaneLayout {
  if (typeof v !== 'object' || v === null) return DEFAULT_LAYOUT;
  const o = v as Record<string, unknown>;
  const h = o.connHeight;
  return {
    connHeight: typeof h === 'number' && h >= 20 && h <= 4000 ? h : undefined,
    connCollapsed: o.connCollapsed === true,
    sideBySide: pct(o.sideBySide, DEFAULT_LAYOUT.sideBySide),
    stacked: pct(o.stacked, DEFAULT_LAYOUT.stacked),
  };
}

export function asColumnWidths(v: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [id, w] of Object.entries(v as Record<string, unknown>).slice(0, 32)) {
    if (id.length <= 32 && typeof w === 'number' && Number.isFinite(w) && w >= 16 && w <= 4000) out.set(id, Math.round(w));
  }
  return out;
}

export class LayoutSettings {
  constructor(private readonly area: KeyValueArea) {}

  async columnWidths(): Promise<Map<string, number>> {
    return asColumnWidths((await this.area.get(COLUMN_WIDTHS_KEY))[COLUMN_WIDTHS_KEY]);
  }

  setColumnWidths(widths: ReadonlyMap<string, number>): Promise<void> {
    return this.area.set({ [COLUMN_WIDTHS_KEY]: Object.fromEntries(widths) });
  }

  async layout(): Promise<PaneLayout> {
    return asLayout((await this.area.get(LAYOUT_KEY))[LAYOUT_KEY]);
  }

  setLayout(layout: PaneLayout): Promise<void> {
    return this.area.set({ [LAYOUT_KEY]: { ...layout } });
  }
}
