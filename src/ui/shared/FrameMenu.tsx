import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import './menu.css';

export interface MenuItem {
  label: string;
  disabled?: boolean;
  /** a checkbox item (e.g. a column shown or hidden) */
  checked?: boolean;
  /** said after the label, muted (e.g. "no room" for a column hidden for want of space) */
  note?: string;
  run: () => void;
}

export interface FrameMenuProps {
  x: number;
  y: number;
  items: readonly MenuItem[];
  onClose: () => void;
  /** the menu's accessible name */
  label?: string;
}

const ITEMS = '[role=menuitem]:not([aria-disabled=true]), [role=menuitemcheckbox]:not([aria-disabled=true])';

/**
 * A row's context menu (right click, the Menu key or Shift+F10 on the grid):
 * arrow keys move, Enter runs, Escape or a click elsewhere closes, and focus
 * goes back to where it was.
 */
export function FrameMenu({ x, y, items, onClose, label = 'Frame menu' }: FrameMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const back = useRef<HTMLElement | null>(null);

  useLayoutEffect(() => {
    back.current = document.activeElement as HTMLElement | null;
    const el = ref.current;
    if (!el) return;
    // keep it on screen
    const r = el.getBoundingClientRect();
    el.style.left = `${Math.max(0, Math.min(x, innerWidth - r.width - 2))}px`;
    el.style.top = `${Math.max(0, Math.min(y, innerHeight - r.height - 2))}px`;
    el.querySelector<HTMLElement>(ITEMS)?.focus();
  }, [x, y]);

  useEffect(() => {
    const away = (e: Event): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', away, true);
    addEventListener('blur', onClose);
    const el = ref.current;
    return () => {
      document.removeEventListener('pointerdown', away, true);
      removeEventListener('blur', onClose);
      // focus goes back unless it already went elsewhere (e.g. into the menu this one opened)
      const now = document.activeElement;
      if (!now || now === document.body || el?.contains(now)) back.current?.focus?.();
    };
  }, [onClose]);

  const onKeyDown = (e: KeyboardEvent): void => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>(ITEMS) ?? [])];
    const at = all.indexOf(document.activeElement as HTMLElement);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = all[(at + 1) % all.length];
    else if (e.key === 'ArrowUp') next = all[(at - 1 + all.length) % all.length];
    else if (e.key === 'Home') next = all[0];
    else if (e.key === 'End') next = all[all.length - 1];
    else if (e.key === 'Escape' || e.key === 'Tab') { e.preventDefault(); e.stopPropagation(); onClose(); return; }
    else return;
    e.preventDefault();
    next?.focus();
  };

  return (
    <div ref={ref} role="menu" aria-label={label} class="menu" style={{ left: `${x}px`, top: `${y}px` }} onKeyDown={onKeyDown}>
      {items.map((it) => (
        <div
          key={it.label}
          role={it.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
          aria-checked={it.checked === undefined ? undefined : it.checked}
          tabIndex={-1}
          aria-disabled={it.disabled ? 'true' : undefined}
          class="menu-item"
          onClick={() => { if (!it.disabled) { onClose(); it.run(); } }}
          onKeyDown={(e) => {
            if ((e.key === 'Enter' || e.key === ' ') && !it.disabled) { e.preventDefault(); onClose(); it.run(); }
          }}
        >
          {it.checked !== undefined && <span class="menu-check" aria-hidden="true">{it.checked ? '✓' : ''}</span>}
          {it.label}
          {it.note && <span class="menu-note">{` (${it.note})`}</span>}
        </div>
      ))}
    </div>
  );
}
