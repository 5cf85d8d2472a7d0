import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FactsOf, FilterSpec } from '../../store/filter';
import { FrameView } from '../../store/frame-view';
import type { Store } from '../../store/store';
import { nextTask } from '../../decode/live/next-task';

/** Work per slice: a new filter over a million rows takes a few slices, the panel answers in between. */
const SLICE_MS = 12;

/**
 * The frame grid's view of the store under a filter. Each render brings the
 * view up to date for at most SLICE_MS; if a new filter needs more, the rest
 * runs in following tasks of SLICE_MS each (the panel answers input in
 * between) while the old result stays on screen, and the panel re-renders once
 * it is done. Returns the view and a number that changes with it. A new
 * `facts` (decoders loaded, a decoder changed) applies the filter again.
 */
export function useFrameView(store: Store, spec: FilterSpec, storeVersion: number, facts?: FactsOf): { view: FrameView; version: number } {
  // one view per store; a new spec or facts is applied to it below (setFilter), keeping the old result shown meanwhile
  // eslint-disable-next-line react-hooks/exhaustive-deps -- spec and facts are only the view's first filter
  const view = useMemo(() => new FrameView(store, spec, facts), [store]);
  const applied = useRef({ spec, facts });
  const [slices, setSlices] = useState(0);
  if (applied.current.spec !== spec || applied.current.facts !== facts) {
    applied.current = { spec, facts };
    view.setFilter(spec, facts);
  }
  const done = view.work(performance.now() + SLICE_MS);
  // the rest of a new filter in following tasks, without re-rendering the panel for each slice
  useEffect(() => {
    if (done) return undefined;
    let cancel = (): void => {};
    const step = (): void => {
      if (view.work(performance.now() + SLICE_MS)) setSlices((n) => n + 1);
      else cancel = nextTask(step);
    };
    cancel = nextTask(step);
    return () => cancel();
  });
  return { view, version: storeVersion * 1_000_003 + slices * 2 + (done ? 1 : 0) };
}
