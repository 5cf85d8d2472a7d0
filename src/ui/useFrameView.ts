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
 * runs in following tasks (re-rendering after each) while the old result
 * stays on screen. Returns the view and a number that changes with it.
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
  useEffect(() => (done ? undefined : nextTask(() => setSlices((n) => n + 1))));
  return { view, version: storeVersion * 1_000_003 + slices * 2 + (done ? 1 : 0) };
}
