import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Store } from '../../store/store';
import { RedrawSchedule } from './redraw-schedule';
import type { RenderPacing } from './render-pacing';

/**
 * Re-render when the store changes, when RedrawSchedule says (on an animation
 * frame, paced by what redraws cost; see src/ui/shell/redraw-schedule.ts).
 * The store mutates its objects in place, so the returned version is what
 * tells a render that something changed. What the user does (a click, a key)
 * re-renders at once through its own state.
 */
export function useStore(store: Store, pacing: RenderPacing): number {
  const [version, setVersion] = useState(store.version);
  const schedule = useMemo(() => new RedrawSchedule(pacing, () => setVersion(store.version)), [store, pacing]);
  useEffect(() => {
    const unsubscribe = store.subscribe(() => schedule.changed());
    // a change between first render and subscribing would otherwise go unseen
    setVersion(store.version);
    return () => {
      unsubscribe();
      schedule.stop();
    };
  }, [store, schedule]);
  return version;
}
