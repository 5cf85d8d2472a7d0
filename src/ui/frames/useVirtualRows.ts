import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * Fixed-height virtual rows with a "stick to the bottom" mode.
 *
 * Only the visible rows plus `overscan` on each side are rendered. While the
 * view is at the bottom it stays there as rows are appended (a live log);
 * scrolling up releases it, scrolling back to the bottom re-engages it.
 *
 * Browsers cap an element's height (Firefox near 17.9M px), and a million
 * 20 px rows exceed that, so past MAX_PX the scrollbar maps proportionally
 * onto the rows: the spacer stays under the cap and rows are placed
 * relative to the current scroll position.
 */
const MAX_PX = 8_000_000;

/** rows drawn above the view while it follows a flood (see `above`) */
const FOLLOWING_OVERSCAN = 3;

export interface VirtualRows {
  /** first and one-past-last rendered index */
  start: number;
  end: number;
  /** physical height of the scrolled content */
  height: number;
  /** physical top of row i (valid for rendered rows) */
  top: (i: number) => number;
  onScroll: () => void;
  onWheel: (e: WheelEvent) => void;
  /** scroll just enough to show row i */
  reveal: (i: number) => void;
  /** rows that fit in the viewport (for PageUp/PageDown) */
  pageRows: number;
  /**
   * The view follows a flood: every row drawn is new since the last draw. A row's place, not its frame,
   * then names its element, so the next draw rewrites the same elements instead of replacing them all.
   */
  flood: boolean;
}

export function useVirtualRows(
  ref: { readonly current: HTMLElement | null },
  count: number,
  rowHeight: number,
  /** a new value (e.g. another connection) re-engages bottom sticking */
  resetKey: unknown,
  overscan = 10,
  /**
   * Rows removed from the front so far (evicted by a memory cap): when it
   * grows while the user reads older rows, the view moves up with them so the
   * same rows stay in view.
   */
  shifted = 0,
): VirtualRows {
  // a new object on every set: while it follows the newest row the hook skips the scroll events it caused
  // (onScroll), so this can be stale, and a scroll to the same number must still draw (e.g. leaving the bottom)
  const [{ top: scrollTop }, setScroll] = useState({ top: 0 });
  const [viewport, setViewport] = useState(0);
  const stick = useRef(true);
  const lastKey = useRef(resetKey);
  const lastShifted = useRef(shifted);
  /** virtual pixels the view moved up for rows evicted above it, until the DOM's scroll event catches up */
  const shiftPx = useRef(0);
  if (lastKey.current !== resetKey) {
    lastKey.current = resetKey;
    lastShifted.current = shifted;
    shiftPx.current = 0;
    stick.current = true;
  }
  if (shifted !== lastShifted.current) {
    if (!stick.current && shifted > lastShifted.current) shiftPx.current += (shifted - lastShifted.current) * rowHeight;
    lastShifted.current = shifted;
  }

  const virtualHeight = count * rowHeight;
  const height = Math.min(virtualHeight, MAX_PX);
  const maxVirtual = Math.max(0, virtualHeight - viewport);
  const maxPhys = Math.max(0, height - viewport);
  const scale = maxPhys > 0 ? maxVirtual / maxPhys : 1;

  const physTop = stick.current ? maxPhys : Math.max(0, Math.min(scrollTop - shiftPx.current / scale, maxPhys));
  const virtualTop = physTop * scale;

  // Following a flood (more new rows since the last draw than the margin holds), every row drawn is new,
  // and the margin above the view would be laid out only to be replaced by the next draw before anyone
  // could scroll to it: only a few rows are drawn there. An upward wheel releases the view and draws the
  // whole margin before it moves (onWheel); a quiet socket keeps the whole margin.
  const drawn = useRef(count);
  const flood = stick.current && count - drawn.current > overscan;
  const above = flood ? Math.min(overscan, FOLLOWING_OVERSCAN) : overscan;
  const start = Math.max(0, Math.floor(virtualTop / rowHeight) - above);
  const end = Math.min(count, Math.ceil((virtualTop + viewport) / rowHeight) + overscan);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);

  useLayoutEffect(() => { drawn.current = count; });

  /** where the layout effect last put the scroll position itself (following the newest row) */
  const placed = useRef(-1);
  // keep the DOM scroll position where this render assumed it is
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && (stick.current || shiftPx.current > 0) && Math.abs(el.scrollTop - physTop) > 1) {
      el.scrollTop = physTop;
      placed.current = stick.current ? el.scrollTop : -1;
    }
  });

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight / 2;
    shiftPx.current = 0;
    // the echo of following the newest row: a render for it would draw the same rows again (a second
    // render of the grid for every one while traffic streams)
    if (stick.current && el.scrollTop === placed.current) return;
    placed.current = -1;
    setScroll({ top: el.scrollTop });
  }, [ref, rowHeight]);

  // release at once on an upward wheel, before new rows can pull the view down again
  const onWheel = useCallback((e: WheelEvent) => {
    if (e.deltaY >= 0 || !stick.current) return;
    stick.current = false;
    // while following, echoes of its own scrolling were not rendered: start from where the view is
    placed.current = -1;
    if (ref.current) setScroll({ top: ref.current.scrollTop });
  }, [ref]);

  const reveal = (i: number): void => {
    const el = ref.current;
    if (!el) return;
    const rowTop = i * rowHeight;
    let target: number;
    if (rowTop < virtualTop) target = rowTop;
    else if (rowTop + rowHeight > virtualTop + viewport) target = rowTop + rowHeight - viewport;
    else return;
    const phys = Math.round(target / scale);
    stick.current = phys >= maxPhys - rowHeight / 2;
    shiftPx.current = 0;
    el.scrollTop = phys;
    setScroll({ top: phys });
  };

  return {
    start, end, height,
    top: (i) => physTop + (i * rowHeight - virtualTop),
    onScroll, onWheel, reveal,
    pageRows: Math.max(1, Math.floor(viewport / rowHeight) - 1),
    flood,
  };
}
