import { useState } from 'preact/hooks';
import type { Command } from '../../protocol/messages';
import type { Connection } from '../../store/model';
import { act, errorText, type Commander } from './acting';

export interface CloseControlsProps {
  conn: Connection;
  commands: Commander;
}

type CloseOp = 'close' | 'simulate-server-close' | 'simulate-drop';

/**
 * Close the selected socket for real (client side), or make the page believe
 * the server closed it or the network dropped (the socket really closes; the
 * page gets synthetic events with the simulated fields).
 */
export function CloseControls({ conn, commands }: CloseControlsProps) {
  const [code, setCode] = useState('1000');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (op: CloseOp): Promise<void> => {
    setError(null);
    const n = code.trim() === '' ? undefined : Number(code);
    if (op !== 'simulate-drop' && n !== undefined && !Number.isInteger(n)) {
      setStatus('');
      return setError(`The close code must be a whole number, not "${code}".`);
    }
    let cmd: Command;
    if (op === 'close') cmd = { op, c: conn.id, ...(n === undefined ? {} : { code: n, reason }) };
    else if (op === 'simulate-server-close') cmd = { op, c: conn.id, code: n ?? 1000, reason };
    else cmd = { op, c: conn.id };
    setBusy(true);
    setStatus('Closing…');
    const r = await act(commands, conn, cmd);
    setBusy(false);
    if (!r.ok) {
      setStatus('');
      return setError(errorText(r.error));
    }
    setStatus(DONE[op]);
  };

  return (
    <section class="detail close-controls" aria-label="Close socket">
      <h2 class="detail-title">Close socket</h2>
      <div class="field-row">
        <label class="field-inline">
          Close code
          <input type="number" aria-label="Close code" class="code-input" min={1000} max={4999} step={1} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        <label class="field-inline grow">
          Close reason
          <input type="text" aria-label="Close reason" value={reason} maxLength={123} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
      </div>
      <div class="button-row">
        <button type="button" class="inline-button" disabled={busy} onClick={() => void run('close')}
          title="The socket's real close(code, reason), as if the page called it">Close</button>
        <button type="button" class="inline-button" disabled={busy} onClick={() => void run('simulate-server-close')}
          title="The page sees a clean close event with this code and reason, as if the server closed">Simulate server close</button>
        <button type="button" class="inline-button" disabled={busy} onClick={() => void run('simulate-drop')}
          title="The page sees an error event, then close 1006 (not clean), as if the network dropped">Simulate network drop</button>
      </div>
      <p class="note hint">
        Close uses the real close() (codes 1000 or 3000–4999). The simulations really close the socket too, then show the
        page the simulated close event instead of the real one (isTrusted false); the log keeps both.
      </p>
      {error && <p class="note error" role="alert">{error}</p>}
      <p class="muted" role="status" aria-label="Close result">{status}</p>
    </section>
  );
}

const DONE: Record<CloseOp, string> = {
  'close': 'Close requested; the close event follows when the server answers.',
  'simulate-server-close': 'Server close simulated; the page gets the close event when the socket has really closed.',
  'simulate-drop': 'Network drop simulated; the page gets error and close 1006 when the socket has really closed.',
};
