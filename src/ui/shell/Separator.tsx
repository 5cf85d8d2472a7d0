import { useRef } from 'preact/hooks';

export interface SeparatorProps {
  /** 'horizontal': a bar between panes stacked vertically (drag up/down) */
  orientation: 'horizontal' | 'vertical';
  label: string;
  /** size of the pane before the separator, in percent of the container */
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}

/**
 * A resizable split's handle: drag it with the pointer, or focus it and use
 * the arrow keys (2 %), Page Up/Down (10 %), Home/End. Announced as a
 * separator with its position (aria-valuenow), like a window splitter.
 */
export function Separator({ orientation, label, value, min, max, onChange }: SeparatorProps) {
  const ref = useRef<HTMLDivElement>(null);
  const clamp = (v: number) => Math.round(Math.min(max, Math.max(min, v)) * 10) / 10;
  const horizontal = orientation === 'horizontal';

  const fromPointer = (e: PointerEvent): void => {
    const box = ref.current?.parentElement?.getBoundingClientRect();
    if (!box) return;
    const pct = horizontal ? ((e.clientY - box.top) / box.height) * 100 : ((e.clientX - box.left) / box.width) * 100;
    onChange(clamp(pct));
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    const less = horizontal ? 'ArrowUp' : 'ArrowLeft';
    const more = horizontal ? 'ArrowDown' : 'ArrowRight';
    let next: number | null = null;
    if (e.key === less) next = value - 2;
    else if (e.key === more) next = value + 2;
    else if (e.key === 'PageUp') next = value - 10;
    else if (e.key === 'PageDown') next = value + 10;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    if (next === null) return;
    e.preventDefault();
    onChange(clamp(next));
  };

  return (
    <div
      ref={ref}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={Math.round(value)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      class={`separator ${orientation}`}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        e.preventDefault();
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        ref.current?.focus();
      }}
      onPointerMove={(e) => {
        if ((e.currentTarget as HTMLElement).hasPointerCapture(e.pointerId)) fromPointer(e);
      }}
    />
  );
}
