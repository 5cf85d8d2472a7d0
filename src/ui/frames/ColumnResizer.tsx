import { useRef } from 'preact/hooks';

export interface ColumnResizerProps {
  /** the column's header, for the separator's name ("Resize Time column") */
  name: string;
  width: number;
  min: number;
  max: number;
  /** while dragging: show this width without a render of the rows (the grid sets its CSS variable) */
  onPreview: (width: number) => void;
  /** the width chosen (pointer released, a key pressed); undefined: back to the column's own width */
  onCommit: (width: number | undefined) => void;
}

/**
 * The right edge of a frame-grid header cell: drag it, or focus it (Tab) and
 * use ←/→ (8 px), Page Up/Down (48 px), Home/End (narrowest/widest); double
 * click or Delete puts the column back to its own width. A separator with
 * its width as aria-valuenow, like the panes' splits.
 */
export function ColumnResizer({ name, width, min, max, onPreview, onCommit }: ColumnResizerProps) {
  const drag = useRef<{ x: number; w: number; last: number } | null>(null);
  const clamp = (w: number): number => Math.round(Math.min(max, Math.max(min, w)));
  // what the column really is on screen (a flexible one has no width of its own until resized)
  const current = (el: HTMLElement): number => el.parentElement?.getBoundingClientRect().width ?? width;

  const onKeyDown = (e: KeyboardEvent): void => {
    const steps: Record<string, number> = { ArrowLeft: -8, ArrowRight: 8, PageUp: -48, PageDown: 48 };
    let next: number | undefined;
    if (e.key in steps) next = clamp(current(e.currentTarget as HTMLElement) + steps[e.key]!);
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    else if (e.key === 'Delete' || e.key === 'Backspace') { e.preventDefault(); onCommit(undefined); return; }
    if (next === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    onCommit(next);
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${name} column`}
      aria-valuenow={Math.round(width)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      class="col-resizer"
      title="Drag to resize; double click to reset"
      onKeyDown={onKeyDown}
      onClick={(e) => e.stopPropagation()}
      onDblClick={(e) => { e.stopPropagation(); onCommit(undefined); }}
      onPointerDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        (e.currentTarget as HTMLElement).focus();
        const w = current(e.currentTarget as HTMLElement);
        drag.current = { x: e.clientX, w, last: w };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || !(e.currentTarget as HTMLElement).hasPointerCapture(e.pointerId)) return;
        const w = clamp(d.w + e.clientX - d.x);
        if (w !== d.last) { d.last = w; onPreview(w); }
      }}
      onPointerUp={() => {
        const d = drag.current;
        drag.current = null;
        if (d && d.last !== d.w) onCommit(d.last);
      }}
      onPointerCancel={() => { const d = drag.current; drag.current = null; if (d) onPreview(d.w); }}
    />
  );
}
