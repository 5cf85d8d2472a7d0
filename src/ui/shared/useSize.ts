import { useLayoutEffect, useState } from 'preact/hooks';

export interface Size { width: number; height: number }

/**
 * An element's inner size (clientWidth/Height: without its scrollbar), kept
 * current by a ResizeObserver: the panel follows the room DevTools gives it,
 * not the window's size. A render happens only when the size changed.
 */
export function useSize(ref: { readonly current: HTMLElement | null }): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = (): void => setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight
      ? s : { width: el.clientWidth, height: el.clientHeight }));
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}
