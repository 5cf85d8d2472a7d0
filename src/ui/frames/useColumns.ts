import { useEffect, useState } from 'preact/hooks';
import type { PanelSettings } from '../../store/panel-settings';
import type { MenuItem } from '../shared/FrameMenu';
import type { LayoutSettings } from '../shell/layout-settings';
import { FRAME_COLUMNS } from './frame-columns';

/**
 * The frame grid's columns as the user set them: optional columns hidden
 * (header right click, or "Columns…" in the row menu; storage.local
 * `panel:hiddenColumns`) and widths (dragging a header's edge;
 * `panel:columnWidths`), kept once changed.
 */
export function useColumns(settings: PanelSettings | undefined, layout: LayoutSettings | undefined) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [widths, setWidths] = useState<ReadonlyMap<string, number>>(new Map());
  useEffect(() => {
    settings?.hiddenColumns().then((ids) => setHidden(new Set(ids)), () => {});
  }, [settings]);
  useEffect(() => {
    layout?.columnWidths().then(setWidths, () => {});
  }, [layout]);
  const toggle = (id: string): void => {
    const next = new Set(hidden);
    if (next.has(id)) next.delete(id); else next.add(id);
    setHidden(next);
    void settings?.setHiddenColumns([...next]).catch(() => {});
  };
  /** a width in px, or undefined: back to the column's own */
  const resize = (id: string, width: number | undefined): void => {
    const next = new Map(widths);
    if (width === undefined) next.delete(id); else next.set(id, Math.round(width));
    setWidths(next);
    void layout?.setColumnWidths(next).catch(() => {});
  };
  /** One checkbox item per optional column (`squeezed`: hidden for want of room, said so), then "Reset column widths". */
  const items = (squeezed: readonly string[] = []): MenuItem[] => [
    ...FRAME_COLUMNS.filter((c) => c.optional).map((c) => ({
      label: c.optional!, checked: !hidden.has(c.id), note: squeezed.includes(c.id) ? 'no room' : undefined, run: () => toggle(c.id),
    })),
    { label: 'Reset column widths', disabled: widths.size === 0, run: () => { setWidths(new Map()); void layout?.setColumnWidths(new Map()).catch(() => {}); } },
  ];
  return { hidden, widths, toggle, resize, items };
}
