import { useState } from 'preact/hooks';
import type { FrameView } from '../../store/frame-view';
import type { Connection } from '../../store/model';
import type { Store } from '../../store/store';

/** Sent frames ticked for sequence replay (by frame id), with shift-click ranges over the grid's rows. */
export function useMarks(store: Store) {
  const [ids, setIds] = useState<ReadonlySet<number>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const isOut = (id: number): boolean => store.isSentFrame(id);
  return {
    ids,
    clear: (): void => { setIds(new Set()); setAnchor(null); },
    all: (conn: Connection): void => {
      const next = new Set<number>();
      for (let i = 0; i < conn.frames.length; i++) { const id = conn.frames.idAt(i); if (isOut(id)) next.add(id); }
      setIds(next);
    },
    toggle: (view: FrameView, id: number, range: boolean): void => {
      const next = new Set(ids);
      const at = view.indexOf(id);
      const from = anchor === null ? -1 : view.indexOf(anchor);
      if (range && from >= 0 && at >= 0) {
        const [a, b] = from < at ? [from, at] : [at, from];
        for (let i = a; i <= b; i++) { const x = view.idAt(i); if (isOut(x)) next.add(x); }
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      setIds(next);
      setAnchor(id);
    },
  };
}

