import type { ComponentChildren } from 'preact';
import type { Connection } from '../../store/model';
import { useEffect, useState } from 'preact/hooks';
import { formatBytes, formatCount } from '../shared/format';
import { plural } from '../shared/labels';

export interface Totals {
  connections: number;
  frames: number;
  bytes: number;
  dropped: number;
}

export interface StatusBarProps {
  totals: Totals;
  memoryUsed: number;
  memoryCap: number;
  /** frames evicted by the cap since the last Clear */
  evicted: number;
  /** capture failures counted so far (Store.captureErrors) */
  captureErrors: number;
  onMemoryCap: (bytes: number) => void;
  /** the last frame action from the row menu (replay …), shown until the next */
  message: { text: string; error: boolean } | null;
  /** other results to say (the last export or import) */
  children?: ComponentChildren;
}

const MB = 1024 * 1024;

/** What a capture error means and what to do: said in the status bar's tooltip and above the frames. */
export const CAPTURE_ERRORS_HINT = 'Part of the capture failed (the page hook, the relay or the panel could not handle something), '
  + 'so frames or events may be missing. The connections concerned are marked in the list. Reload the page to capture afresh; '
  + 'if it happens again, the page may be interfering with the capture.';

/**
 * What the panel holds: connections, frames, bytes, dropped events, and the
 * memory the frames take against the cap the user can change. Evicted frames
 * are said out loud, never silent.
 */
export function StatusBar({ totals, memoryUsed, memoryCap, evicted, captureErrors, onMemoryCap, message, children }: StatusBarProps) {
  const [draft, setDraft] = useState(String(Math.round(memoryCap / MB)));
  useEffect(() => setDraft(String(Math.round(memoryCap / MB))), [memoryCap]);
  const apply = (): void => {
    const mb = Number(draft);
    if (Number.isFinite(mb) && mb > 0) onMemoryCap(mb * MB);
    else setDraft(String(Math.round(memoryCap / MB)));
  };
  const pct = memoryCap > 0 ? Math.min(100, (memoryUsed / memoryCap) * 100) : 0;
  return (
    <footer class="statusbar">
      <div class="totals" role="group" aria-label="Totals">
        <span>{plural(totals.connections, 'connection', 'connections')}</span>
        <span>{`${formatCount(totals.frames)} ${totals.frames === 1 ? 'frame' : 'frames'}`}</span>
        <span>{formatBytes(totals.bytes)}</span>
        <span class={totals.dropped > 0 ? 'warn-text' : undefined}>{totals.dropped} dropped</span>
        {captureErrors > 0 && (
          <span class="error-text" role="status" aria-label="Capture errors" title={CAPTURE_ERRORS_HINT}>
            {`capture errors: ${formatCount(captureErrors)}`}
          </span>
        )}
      </div>
      {message && (
        <span class={message.error ? 'error-text one-line' : 'one-line'} role={message.error ? 'alert' : 'status'} aria-label="Menu action result">
          {message.text}
        </span>
      )}
      {children}
      <span class="tool-spacer" />
      <div class="memory" role="group" aria-label="Memory">
        <span role="meter" aria-label="Memory used" aria-valuemin={0} aria-valuemax={memoryCap} aria-valuenow={memoryUsed}
          aria-valuetext={`${formatBytes(memoryUsed)} of ${formatBytes(memoryCap)}`} class="mem-meter">
          <span class="mem-fill" style={{ width: `${pct}%` }} />
        </span>
        <span>{`Memory ${formatBytes(memoryUsed)} of ${formatBytes(memoryCap)}`}</span>
        {evicted > 0 && (
          <span class="warn-text" title="The oldest frames were removed from the panel to stay under the memory cap">
            {`${formatCount(evicted)} oldest ${evicted === 1 ? 'frame' : 'frames'} evicted`}
          </span>
        )}
        <label class="field-inline" title="Frames beyond this are evicted, oldest first">
          Cap
          <input
            type="number"
            class="cap-input"
            aria-label="Memory cap (MB)"
            min={1}
            max={4096}
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
            onChange={apply}
            onKeyDown={(e) => { if (e.key === 'Enter') apply(); }}
          />
          MB
        </label>
      </div>
    </footer>
  );
}

/** The status bar's totals over all connections. */
export function totalsOf(conns: readonly Connection[]): Totals {
  const t: Totals = { connections: conns.length, frames: 0, bytes: 0, dropped: 0 };
  for (const c of conns) {
    t.frames += c.framesIn + c.framesOut;
    t.bytes += c.bytesIn + c.bytesOut;
    t.dropped += c.dropped;
  }
  return t;
}
