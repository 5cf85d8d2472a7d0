import { useEffect, useRef, useState } from 'preact/hooks';
import { useSize } from '../shared/useSize';
import { DEFAULT_LAYOUT, type LayoutSettings, type PaneLayout } from './layout-settings';

/** Narrower than this, the details go under the frame list instead of beside it (DevTools docked right is ~500 px). */
export const STACK_BELOW = 720;
const CONN_HEAD = 22;
const CONN_ROW = 20;
/** narrower than this, the connection list shows fewer columns (the rest is in Connection details) */
export const COMPACT_CONNECTIONS_BELOW = 1090;

/**
 * The panes' sizes, following the room the panel has (ResizeObserver on the
 * panel, not the window): side by side or stacked; the connection list as
 * tall as its rows, up to a third of the panel or the height the user
 * dragged it to, or collapsed. Kept in storage.local (`panel:layout`) a
 * moment after the user changes them.
 */
export function usePanes(layout: LayoutSettings | undefined, connections: number) {
  const app = useRef<HTMLDivElement>(null);
  const panesEl = useRef<HTMLDivElement>(null);
  const { width } = useSize(app);
  const { height } = useSize(panesEl);
  const [panes, setPanes] = useState<PaneLayout>(DEFAULT_LAYOUT);
  const changed = useRef(false);

  useEffect(() => { layout?.layout().then((l) => { if (!changed.current) setPanes(l); }, () => {}); }, [layout]);
  useEffect(() => {
    if (!changed.current || !layout) return;
    const t = setTimeout(() => void layout.setLayout(panes).catch(() => {}), 300);
    return () => clearTimeout(t);
  }, [panes, layout]);
  const change = (p: Partial<PaneLayout>): void => {
    changed.current = true;
    setPanes((old) => ({ ...old, ...p }));
  };

  const stacked = width > 0 && width < STACK_BELOW;
  const compactConnections = width > 0 && width < COMPACT_CONNECTIONS_BELOW;
  const content = connections > 0 ? CONN_HEAD + connections * CONN_ROW + 2 : 84;
  const limit = panes.connHeight ?? Math.max(CONN_HEAD + 3 * CONN_ROW, Math.round(height / 3));
  const connHeight = Math.min(content, limit);
  const toPct = (px: number): number => (height > 0 ? (px / height) * 100 : 0);

  return {
    app, panesEl, stacked, compactConnections, panes, change,
    connHeight,
    /** the connection list's separator works in percent of the panes' height */
    connPct: toPct(connHeight),
    setConnPct: (pct: number) => change({ connHeight: Math.round((pct / 100) * height) }),
    /** the frame list's share of the split, in the current arrangement */
    splitPct: stacked ? panes.stacked : panes.sideBySide,
    setSplitPct: (pct: number) => change(stacked ? { stacked: pct } : { sideBySide: pct }),
  };
}
