import { useEffect, useState } from 'preact/hooks';
import type { PanelSettings } from '../../store/panel-settings';
import { FRAME_COLUMNS } from './frame-columns';
import type { MenuItem } from '../shared/FrameMenu';

/**
 * The frame grid's optional columns the user hid (header right click, or
 * "Columns…" in the row menu), kept in storage.local once changed.
 */
export function useColumns(settings: PanelSettings | undefined) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    settings?.hiddenColumns().then((ids) => setHidden(new Set(ids)), () => {});
  }, [settings]);
  const toggle = (id: string): void => {
    const next = new Set(hidden);
    if (next.has(id)) next.delete(id); else next.add(id);
    setHidden(next);
    void settings?.setHiddenColumns([...next]).catch(() => {});
  };
  /** One checkbox item per optional column. */
  const items = (): MenuItem[] => FRAME_COLUMNS.filter((c) => c.optional).map((c) => ({
    label: c.optional!, checked: !hidden.has(c.id), run: () => toggle(c.id),
  }));
  return { hidden, toggle, items };
}
