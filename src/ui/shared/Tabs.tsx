import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import './tabs.css';

export interface Tab {
  id: string;
  label: string;
  /** the panel's content; every panel stays mounted (a running replay, a typed reason survive a tab switch) */
  content: ComponentChildren;
}

export interface TabsProps {
  /** the tab list's accessible name */
  label: string;
  tabs: readonly Tab[];
  selected: string;
  onSelect: (id: string) => void;
}

/**
 * WAI-ARIA tabs: a tablist whose tabs are one tab stop (←/→, Home/End move
 * and select), each controlling its tabpanel. Panels not selected are hidden,
 * not unmounted.
 */
export function Tabs({ label, tabs, selected, onSelect }: TabsProps) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent): void => {
    const at = tabs.findIndex((t) => t.id === selected);
    const to: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 };
    if (!(e.key in to)) return;
    e.preventDefault();
    const next = tabs[(to[e.key]! + tabs.length) % tabs.length]!;
    onSelect(next.id);
    list.current?.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label={label} class="tab-list" ref={list} onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={t.id === selected} aria-controls={`tabpanel-${t.id}`}
            tabIndex={t.id === selected ? 0 : -1} class="tab" onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) => (
        <div key={t.id} role="tabpanel" id={`tabpanel-${t.id}`} aria-labelledby={`tab-${t.id}`} class="tab-panel" hidden={t.id !== selected} tabIndex={-1}>
          {t.content}
        </div>
      ))}
    </div>
  );
}
