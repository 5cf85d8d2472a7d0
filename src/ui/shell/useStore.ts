import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../../store/store';

/**
 * Re-render when the store changes, at most once per animation frame.
 *
 * Batches can arrive far faster than the screen refreshes; coalescing them
 * keeps the panel's cost proportional to frames painted, not events received.
 * The store mutates its objects in place, so the returned version is what
 * tells a render that something changed.
 *
 * A hidden document gets no animation frames (a background tab holding a
 * detached panel), so a slow timer also flushes: the view is then at most a
 * quarter second stale instead of frozen.
 */
export function useStore(store: Store): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    let raf = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending = false;
    const flush = (): void => {
      if (!pending) return;
      pending = false;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      setVersion(store.version);
    };
    const unsubscribe = store.subscribe(() => {
      if (pending) return;
      pending = true;
      raf = requestAnimationFrame(flush);
      timer = setTimeout(flush, 250);
    });
    // a change between first render and subscribing would otherwise go unseen
    setVersion(store.version);
    return () => {
      unsubscribe();
      pending = false;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
    };
  }, [store]);
  return version;
}
