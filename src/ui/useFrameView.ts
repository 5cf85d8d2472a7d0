import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FilterSpec } from '../store/filter';
import { FrameView } from '../store/frame-view';
import type { Store } from '../store/store';

/** Work per slice: a new filter over a million rows takes a few slices, the panel answers in between. */
const SLICE_MS = 12;

/** Run `fn` in a new task without setTimeout's 4 ms clamp. */
function nextTask(fn: () => void): () => void {
  const ch = new MessageChannel();
  let live = true;
  ch.port1.onmessage = () => { if (live) fn(); ch.port1.close(); };
  ch.port2.postMessage(null);
  return () => { live = false; ch.port1.close(); };
}

/**
 * The frame grid's view of the store under a filter. Each render brings the
 * view up to date for at most SLICE_MS; if a new filter needs more, the rest
 * runs in following tasks of SLICE_MS each (the panel answers input in
 * between) while the old result stays on screen, and the panel re-renders once
 * it is done. Returns the view and a number that changes with it.
 */
export function useFrameView(store: Store, spec: FilterSpec, storeVersion: number): { view: FrameView; version: number } {
  const view = useMemo(() => new FrameView(store, spec), [store]);
  const applied = useRef(spec);
  const [slices, setSlices] = useState(0);
  if (applied.current !== spec) {
    applied.current = spec;
    view.setFilter(spec);
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
