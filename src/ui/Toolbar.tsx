import type { PortStatus } from '../transport/reconnecting-port';
import { formatBytes } from './format';
import { plural } from './labels';

export interface Totals {
  connections: number;
  frames: number;
  bytes: number;
  dropped: number;
}

export interface ToolbarProps {
  status: PortStatus;
  preserveLog: boolean;
  onPreserveLog: (on: boolean) => void;
  onClear: () => void;
  totals: Totals;
}

/** Clear, Preserve log, the link status and what the panel holds. */
export function Toolbar({ status, preserveLog, onPreserveLog, onClear, totals }: ToolbarProps) {
  return (
    <div class="toolbar" role="toolbar" aria-label="WebSocket Inspector toolbar">
      <button type="button" class="tool-button" onClick={onClear} title="Forget every captured connection">
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
      <span
        role="status"
        aria-label="Connection status"
        class={status === 'connected' ? 'link-status ok' : 'link-status warn'}
        title={status === 'connected' ? 'Linked to the page through the extension' : 'The extension background restarted; reconnecting'}
      >
        {status === 'connected' ? 'Connected' : 'Reconnecting…'}
      </span>
      <span class="tool-spacer" />
      <div class="totals" role="group" aria-label="Totals">
        <span>{plural(totals.connections, 'connection', 'connections')}</span>
        <span>{plural(totals.frames, 'frame', 'frames')}</span>
        <span>{formatBytes(totals.bytes)}</span>
        <span class={totals.dropped > 0 ? 'warn-text' : undefined}>{totals.dropped} dropped</span>
      </div>
    </div>
  );
}
