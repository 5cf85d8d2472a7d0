import type { ComponentChildren } from 'preact';
import type { PortStatus } from '../transport/reconnecting-port';

export interface ToolbarProps {
  status: PortStatus;
  preserveLog: boolean;
  onPreserveLog: (on: boolean) => void;
  onClear: () => void;
  /** more tools (export and import) */
  children?: ComponentChildren;
}

/** Clear, Preserve log and the link status (totals and memory are in the status bar). */
export function Toolbar({ status, preserveLog, onPreserveLog, onClear, children }: ToolbarProps) {
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
