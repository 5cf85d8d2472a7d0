import type { ComponentChildren } from 'preact';
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PortStatus } from '../../transport/reconnecting-port';
import { FrameMenu, type MenuItem } from '../shared/FrameMenu';
import { useSize } from '../shared/useSize';
import '../shared/controls.css';

/** One action of the toolbar: drawn in the bar while it fits, else as menu item(s) of the » menu. */
export interface ToolItem {
  id: string;
  inline: ComponentChildren;
  menu: MenuItem[];
  /** items of one group are drawn together, with a line between groups */
  group: string;
}

export interface ToolbarProps {
  items: readonly ToolItem[];
  status: PortStatus;
  /** drawn after the items and never moved into the menu (the redaction options, the file input) */
  children?: ComponentChildren;
}

const MORE_WIDTH = 30;
const GROUP_GAP = 17;
/** the widths map's key for the part that never moves into the menu */
const FIXED = '\u0000fixed';

/** How many items fit in `room` px, given their measured widths (90 px for one never drawn). */
function fitting(items: readonly ToolItem[], widths: ReadonlyMap<string, number>, room: number): number {
  if (room <= 0) return items.length;
  const widthOf = (i: number): number => (widths.get(items[i]!.id) ?? 90) + 6 + (i > 0 && items[i]!.group !== items[i - 1]!.group ? GROUP_GAP : 0);
  let all = 0;
  for (let i = 0; i < items.length; i++) all += widthOf(i);
  if (all <= room) return items.length;
  let used = MORE_WIDTH;
  let n = 0;
  while (n < items.length && used + widthOf(n) <= room) used += widthOf(n++);
  return n;
}

/**
 * The panel's toolbar, like DevTools' own: the actions in order while they
 * fit, the rest in a » ("More tools") menu, so nothing is ever off screen;
 * the link status stays. It measures itself (ResizeObserver), not the window.
 */
export function Toolbar({ items, status, children }: ToolbarProps) {
  const bar = useRef<HTMLDivElement>(null);
  const fixed = useRef<HTMLSpanElement>(null);
  const { width } = useSize(bar);
  const widths = useRef(new Map<string, number>());
  const [, setMeasured] = useState(0);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  // one function for the menu's life: a new one on a re-render would make the menu put focus back on »
  const closeMenu = useCallback(() => setMenu(null), []);

  // Widths of the items drawn (labels change: "Importing…") and of the fixed part, from a ResizeObserver:
  // it reports after the browser's own layout, where reading sizes after every render forced a layout each
  // time the panel redrew for new frames (12 % of the panel's main thread in the bench's profile).
  const observer = useRef<ResizeObserver | null>(null);
  const observed = useRef(new WeakSet<Element>());
  useLayoutEffect(() => () => observer.current?.disconnect(), []);
  useLayoutEffect(() => {
    const el = bar.current;
    if (!el) return;
    observer.current ??= new ResizeObserver((entries) => {
      let changed = false;
      for (const e of entries) {
        // an item moved into the menu is reported at 0 × 0: its width is the one it had
        if (!e.target.isConnected) { observer.current?.unobserve(e.target); observed.current.delete(e.target); continue; }
        const key = (e.target as HTMLElement).dataset.tool ?? FIXED;
        const w = e.borderBoxSize?.[0]?.inlineSize ?? e.contentRect.width;
        if (widths.current.get(key) !== w) { widths.current.set(key, w); changed = true; }
      }
      if (changed) setMeasured((v) => v + 1);
    });
    const watch = (it: Element | null) => {
      if (it && !observed.current.has(it)) { observed.current.add(it); observer.current!.observe(it); }
    };
    for (const it of el.querySelectorAll('[data-tool]')) watch(it);
    watch(fixed.current);
  });

  const fit = fitting(items, widths.current, width - 12 - (widths.current.get(FIXED) ?? 0));
  const shown = items.slice(0, fit);
  // what did not fit and can be done from a menu (a hint has no menu item: it just goes)
  const overflow = items.slice(fit).filter((it) => it.menu.length > 0);
  const cells: ComponentChildren[] = [];
  shown.forEach((it, i) => {
    if (i > 0 && it.group !== shown[i - 1]!.group) cells.push(<span key={`sep-${it.id}`} class="tool-sep" aria-hidden="true" />);
    cells.push(<span key={it.id} class="tool-item" data-tool={it.id}>{it.inline}</span>);
  });

  return (
    <div class="toolbar" role="toolbar" aria-label="WebSocket Inspector toolbar" ref={bar}>
      {cells}
      <span class="tool-spacer" />
      <span class="tool-fixed" ref={fixed}>
        <span
          role="status"
          aria-label="Connection status"
          class={status === 'connected' ? 'link-status ok' : 'link-status warn'}
          title={status === 'connected' ? 'Linked to the page through the extension' : 'The extension background restarted; reconnecting'}
        >
          {status === 'connected' ? 'Connected' : 'Reconnecting…'}
        </span>
        {overflow.length > 0 && (
          <button
            type="button" class="tool-button more-tools" aria-label="More tools" aria-haspopup="menu" aria-expanded={menu !== null}
            title={`More tools: ${overflow.flatMap((it) => it.menu.map((m) => m.label)).join(', ')}`}
            onClick={(e) => {
              const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
              setMenu(menu ? null : { x: r.right - 200, y: r.bottom });
            }}
          >
            »
          </button>
        )}
      </span>
      {children}
      {menu && overflow.length > 0 && (
        <FrameMenu label="More tools" x={menu.x} y={menu.y} onClose={closeMenu} items={overflow.flatMap((it) => it.menu)} />
      )}
    </div>
  );
}

/** The keys, said last in the toolbar while there is room (the README has them all). */
export const keysHint: ToolItem = {
  id: 'keys', group: 'help', menu: [],
  inline: <span class="muted keys-hint" aria-hidden="true">/ filter · Esc clear · ↑↓ PgUp PgDn Home End move · Shift+F10 menu</span>,
};

/** Clear, the connection list, Preserve log and Lightweight: the toolbar's first items. */
export function panelTools(p: {
  onClear: () => void;
  connectionsShown: boolean;
  onConnectionsShown: (on: boolean) => void;
  preserveLog: boolean;
  onPreserveLog: (on: boolean) => void;
  /** lightweight mode: pages record messages only while a WebSocket panel is open (undefined: not offered) */
  lightweight?: boolean;
  onLightweight: (on: boolean) => void;
  /** DevTools' network log as a second source (undefined: not offered) */
  networkLog?: boolean;
  onNetworkLog?: (on: boolean) => void;
}): ToolItem[] {
  const check = (label: string, title: string, on: boolean, set: (on: boolean) => void): ComponentChildren => (
    <label class="tool-check" title={title}>
      <input type="checkbox" checked={on} onChange={(e) => set(e.currentTarget.checked)} />
      {label}
    </label>
  );
  const items: ToolItem[] = [
    {
      id: 'clear', group: 'log',
      inline: <button type="button" class="tool-button" onClick={p.onClear} title="Forget every captured connection and frame">Clear</button>,
      menu: [{ label: 'Clear', run: p.onClear }],
    },
    {
      id: 'connections', group: 'log',
      inline: check('Connection list', 'Show the list of connections above the frames', p.connectionsShown, p.onConnectionsShown),
      menu: [{ label: 'Connection list', checked: p.connectionsShown, run: () => p.onConnectionsShown(!p.connectionsShown) }],
    },
    {
      id: 'preserve', group: 'log',
      inline: check('Preserve log', 'Keep connections when the page navigates or reloads', p.preserveLog, p.onPreserveLog),
      menu: [{ label: 'Preserve log', checked: p.preserveLog, run: () => p.onPreserveLog(!p.preserveLog) }],
    },
  ];
  if (p.lightweight !== undefined) {
    const on = p.lightweight;
    items.push({
      id: 'lightweight', group: 'log',
      inline: check('Lightweight', 'Pages record messages only while a WebSocket panel is open: no cost on every message when you are not '
        + 'looking (connections, states and closes are always recorded). Applies to every tab; messages before the '
        + 'panel opens are not kept.', on, p.onLightweight),
      menu: [{ label: 'Lightweight', checked: on, run: () => p.onLightweight(!on) }],
    });
  }
  if (p.networkLog !== undefined && p.onNetworkLog) {
    const on = p.networkLog, set = p.onNetworkLog;
    items.push({
      id: 'network-log', group: 'log',
      inline: check('Network log', 'Also show the sockets the page hook cannot see — in workers, the service worker, WebSocketStreams — '
        + "from DevTools' own network log (Chrome, the panel inside DevTools): their frames both ways, not their close codes. "
        + 'It reads the log once a second while this panel is shown; the page pays nothing. Sockets opened before DevTools '
        + 'was opened are not in that log.', on, set),
      menu: [{ label: 'Network log', checked: on, run: () => set(!on) }],
    });
  }
  return items;
}
