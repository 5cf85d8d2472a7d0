import { useState } from 'preact/hooks';
import { draftOf } from '../../compose/parse';
import { base64ToBytes } from '../../protocol/base64';
import type { Connection, Frame } from '../../store/model';
import { fullPayload, replayFrame, type Commander } from './acting';
import type { PayloadSource } from '../detail/FrameDetail';

export interface FrameActionsProps {
  conn: Connection;
  frame: Frame;
  payloads: PayloadSource;
  commands: Commander;
  /** show only this frame's connection in the grid (absent: already showing only it) */
  onFilterConnection?: () => void;
  /** put this payload in the composer, to edit and then send or inject */
  onEdit: (draft: { format: ReturnType<typeof draftOf>['format']; text: string }, what: string) => void;
}

/**
 * Act on the selected frame: send a captured outgoing message again on the
 * same socket, or deliver a captured incoming one to the page again, as is or
 * after editing it in the composer.
 */
export function FrameActions({ conn, frame: f, payloads, commands, onEdit, onFilterConnection }: FrameActionsProps) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const out = f.dir === 'out';
  const verb = out ? 'Replay' : 'Re-inject';

  const again = async (): Promise<void> => {
    setError(null);
    setBusy(true);
    setStatus(out ? 'Replaying…' : 'Re-injecting…');
    const r = await replayFrame(commands, conn, f, payloads);
    setBusy(false);
    setStatus(r.ok ? r.message : '');
    if (!r.ok) setError(r.error);
  };

  const edit = async (): Promise<void> => {
    setError(null);
    const p = await fullPayload(conn, f, payloads);
    if (!p.ok) return setError(`Cannot edit: ${p.error}`);
    onEdit(draftOf(p.data, base64ToBytes), `Editing ${out ? 'sent' : 'received'} frame #${f.seq}: ${out ? 'Send' : 'Inject incoming'} when ready`);
    setStatus('In the composer below.');
  };

  return (
    <div class="frame-actions" role="group" aria-label="Frame actions">
      <div class="button-row">
        <button type="button" class="inline-button" disabled={busy} onClick={() => void again()}>{verb}</button>
        <button type="button" class="inline-button" disabled={busy} onClick={() => void edit()}>
          {out ? 'Edit and replay' : 'Edit and re-inject'}
        </button>
        {onFilterConnection && (
          <button type="button" class="inline-button" onClick={onFilterConnection}>Filter by this connection</button>
        )}
        {!out && <span class="muted">Injected events have isTrusted = false.</span>}
      </div>
      {error && <p class="note error" role="alert">{error}</p>}
      <p class="muted" role="status" aria-label="Frame action result">{status}</p>
    </div>
  );
}
