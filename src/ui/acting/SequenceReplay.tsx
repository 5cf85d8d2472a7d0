import { useRef, useState } from 'preact/hooks';
import { runSequence, SPEEDS } from '../../compose/sequence';
import type { WirePayload } from '../../protocol/messages';
import type { Connection, Frame } from '../../store/model';
import { act, errorText, fullPayload, type Commander } from './acting';
import type { PayloadSource } from '../detail/FrameDetail';
import { plural } from '../shared/labels';

export interface SequenceReplayProps {
  conn: Connection;
  /** ids of the frames ticked in the frame list */
  marked: ReadonlySet<number>;
  /** the frame with an id (the ticked ones are looked up by id, never by walking every frame) */
  frameById: (id: number) => Frame | undefined;
  onMarkAll: () => void;
  onClearMarks: () => void;
  payloads: PayloadSource;
  commands: Commander;
}

/** Replay the ticked outgoing frames in their original order, at their pacing scaled by a speed. */
export function SequenceReplay({ conn, marked, frameById, onMarkAll, onClearMarks, payloads, commands }: SequenceReplayProps) {
  const [speed, setSpeed] = useState('1');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const stop = useRef(false);
  // a million frames: look up only the ticked ones (ids grow with arrival, so sorted ids are captured order)
  const frames = [...marked].sort((a, b) => a - b).map(frameById)
    .filter((f): f is Frame => f !== undefined && f.conn === conn && f.dir === 'out');

  const start = async (): Promise<void> => {
    setError(null);
    if (!frames.length) return setError('Tick the sent frames to replay in the frame list first.');
    setRunning(true);
    stop.current = false;
    setStatus('Loading payloads…');
    // every payload whole before the first send: a sequence should not die halfway on a missing one
    const items: { f: Frame; data: WirePayload }[] = [];
    for (const f of frames) {
      const p = await fullPayload(conn, f, payloads);
      if (!p.ok) {
        setRunning(false);
        setStatus('');
        return setError(`Frame #${f.seq}: ${p.error}`);
      }
      items.push({ f, data: p.data });
    }
    const out = await runSequence({
      items, timeOf: (x) => x.f.t, speed: SPEEDS.find((s) => s.value === speed)?.speed ?? 1,
      send: (x) => act(commands, conn, { op: 'send', c: conn.id, data: x.data }),
      now: () => performance.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      stopped: () => stop.current,
      onProgress: (done, total) => setStatus(`Replaying: ${done} of ${total} sent…`),
    });
    setRunning(false);
    if (out.error) setError(`Stopped at frame #${items[out.error.at]!.f.seq} (${out.sent} of ${out.total} sent): ${errorText(out.error)}`);
    setStatus(out.stopped ? `Stopped: ${out.sent} of ${out.total} sent.` : out.error ? '' : `Replayed ${plural(out.sent, 'message', 'messages')}.`);
  };

  return (
    <section class="detail sequence" aria-label="Replay sequence">
      <h2 class="detail-title">Replay sequence</h2>
      <p>
        {frames.length
          ? `${plural(frames.length, 'sent frame', 'sent frames')} ticked; they go out in their captured order.`
          : 'Tick sent frames in the frame list (first column) to replay them in order.'}
      </p>
      <div class="button-row">
        <label class="field-inline">
          Speed
          <select aria-label="Speed" value={speed} onChange={(e) => setSpeed(e.currentTarget.value)} disabled={running}>
            {SPEEDS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        {running
          ? <button type="button" class="inline-button" onClick={() => { stop.current = true; }}>Stop</button>
          : <button type="button" class="inline-button" onClick={() => void start()}>Replay selected</button>}
        <button type="button" class="inline-button" onClick={onMarkAll} disabled={running}>Tick all sent</button>
        <button type="button" class="inline-button" onClick={onClearMarks} disabled={running || !marked.size}>Untick all</button>
      </div>
      {error && <p class="note error" role="alert">{error}</p>}
      <p class="muted" role="status" aria-label="Replay progress">{status}</p>
    </section>
  );
}
