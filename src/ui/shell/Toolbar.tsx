import type { ComponentChildren } from 'preact';
import type { PortStatus } from '../../transport/reconnecting-port';
import '../shared/controls.css';

export interface ToolbarProps {
  status: PortStatus;
  preserveLog: boolean;
  onPreserveLog: (on: boolean) => void;
  onClear: () => void;
  /** lightweight mode: pages record messages only while a WebSocket panel is open (undefined: not offered) */
  lightweight?: boolean;
  onLightweight?: (on: boolean) => void;
  /** more tools (export and import) */
  children?: ComponentChildren;
}

/** Clear, Preserve log and the link status (totals and memory are in the status bar). */
export function Toolbar({ status, preserveLog, onPreserveLog, onClear, lightweight, onLightweight, children }: ToolbarProps) {
  return (
    <div class="toolbar" role="toolbar" aria-label="WebSocket Inspector toolbar">
      <button type="button" class="tool-button" onClick={onClear} title="Forget every captured connection and frame">
        Clear
      </button>
      <label class="tool-check" title="Keep connections when the page navigates or reloads">
        <input
          type="checkbox"
          checked={preserveLog}
          onChange={(e) => onPreserveLog(e.currentTarget.checked)}
        />
        Preserve log
      </label>
      {lightweight !== undefined && (
        <label
          class="tool-check"
          title={'Pages record messages only while a WebSocket panel is open: no cost on every message when you are not '
            + 'looking (connections, states and closes are always recorded). Applies to every tab; messages before the '
            + 'panel opens are not kept.'}
        >
          <input type="checkbox" checked={lightweight} onChange={(e) => onLightweight?.(e.currentTarget.checked)} />
          Lightweight
        </label>
      )}
      <span class="tool-sep" aria-hidden="true" />
      {children}
      {children && <span class="tool-sep" aria-hidden="true" />}
      <span
        role="status"
        aria-label="Connection status"
        class={status === 'connected' ? 'link-status ok' : 'link-status warn'}
        title={status === 'connected' ? 'Linked to the page through the extension' : 'The extension background restarted; reconnecting'}
      >
        {status === 'connected' ? 'Connected' : 'Reconnecting…'}
      </span>
      <span class="tool-spacer" />
      <span class="muted keys-hint" aria-hidden="true">/ filter · Esc clear · ↑↓ PgUp PgDn Home End move · Shift+F10 menu</span>
    </div>
  );
}
