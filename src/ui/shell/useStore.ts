import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../../store/store';
import type { RenderPacing } from './render-pacing';

/**
 * Re-render when the store changes: on the next animation frame, and no
 * sooner than the pacing's gap after the last re-render (ten times a second
 * at the most, fewer while each redraw is costly: src/ui/shell/render-pacing.ts).
 * Redrawing the whole panel on every animation frame of a flood cost more than
 * taking the traffic in (the profile of `npm run bench`: layout and paint).
 *
 * Batches can arrive far faster than the screen refreshes; coalescing them
 * keeps the panel's cost proportional to views drawn, not events received.
 * The store mutates its objects in place, so the returned version is what
 * tells a render that something changed. What the user does (a click, a key)
 * re-renders at once through its own state.
 *
 * A hidden document gets no animation frames (a background tab holding a
 * detached panel), so a slow timer also flushes: the view is then at most a
 * quarter second stale instead of frozen.
 */
export function useStore(store: Store, pacing: RenderPacing): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    let raf = 0;
    let wait: ReturnType<typeof setTimeout> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending = false;
    let last = 0;
    const flush = (): void => {
      if (!pending) return;
      pending = false;
      cancelAnimationFrame(raf);
      clearTimeout(wait);
      clearTimeout(timer);
      const began = performance.now();
      last = began;
      setVersion(store.version);
      // Preact renders in a microtask queued by setVersion: this one runs after it, its layout effects
      // (the grid's forced layout) included
      queueMicrotask(() => pacing.took(performance.now() - began));
    };
    const unsubscribe = store.subscribe(() => {
      if (pending) return;
      pending = true;
      const early = last + pacing.gap() - performance.now();
      if (early <= 0) raf = requestAnimationFrame(flush);
      else wait = setTimeout(() => { raf = requestAnimationFrame(flush); }, early);
      timer = setTimeout(flush, 250 + Math.max(0, early));
    });
    // a change between first render and subscribing would otherwise go unseen
    setVersion(store.version);
    return () => {
      unsubscribe();
      pending = false;
      cancelAnimationFrame(raf);
      clearTimeout(wait);
      clearTimeout(timer);
    };
  }, [store, pacing]);
  return version;
}
