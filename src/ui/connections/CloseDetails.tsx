import { explainClose, explainInitiator, rangeLabel } from '../../explain/close-codes';
import type { SimulatedClose } from '../../protocol/events';
import type { Connection } from '../../store/model';
import { formatDuration, formatRelative, formatTime, previewPayload } from '../shared/format';
import { dirArrow, dirWord } from '../shared/labels';
import '../shared/panes.css';

/** Frames listed as "what happened right before the end". */
const LAST_FRAMES = 5;

/** Whether a connection has ended in a way worth explaining. */
export function hasEnded(c: Connection): boolean {
  return c.close !== undefined || c.state === 'failed' || c.state === 3;
}

/** Why a connection ended: code, its meaning, who closed it, and what the page asked for. */
export function CloseDetails({ conn: c }: { conn: Connection }) {
  if (!hasEnded(c)) return null;
  return (
    <section class="detail close-detail" aria-label="Close details">
      <h2 class="detail-title">Close</h2>
      {c.state === 'failed' ? <Failed conn={c} /> : <Closed conn={c} />}
    </section>
  );
}

function Failed({ conn: c }: { conn: Connection }) {
  const err = c.problems.find((p) => p.error)?.error;
  const what = err ? `${err.name}: ${err.message}` : 'an error';
  return (
    <p class="note error">
      {`The connection never existed: new WebSocket() threw ${what}${/[.!?]$/.test(what) ? '' : '.'}`}
    </p>
  );
}

function Closed({ conn: c }: { conn: Connection }) {
  const close = c.close;
  if (!close) {
    return <p class="note">The socket reached CLOSED, but its close event was not captured.</p>;
  }
  const why = explainClose(close.code);
  const req = close.requested;
  const last = c.frames.slice(-LAST_FRAMES);
  const asker = req?.by === 'devtools' ? 'DevTools' : 'The page';
  const lastFrame = last[last.length - 1];
  const idle = lastFrame ? close.t - lastFrame.t : c.openAt !== undefined ? close.t - c.openAt : undefined;
  return (
    <>
      {close.simulated && <Simulated sim={close.simulated} />}
      <dl class="facts">
        <dt>Code</dt>
        <dd>
          <strong>{close.code} {why.name}</strong> <span class="badge">{rangeLabel(why.range)}</span>
        </dd>
        <dt>Meaning</dt><dd>{why.meaning}</dd>
        {why.hint && <><dt>What to check</dt><dd>{why.hint}</dd></>}
        <dt>Reason</dt><dd class="wrap-any">{close.reason === '' ? '(no reason)' : close.reason}</dd>
        <dt>Clean</dt><dd>{close.wasClean ? 'yes' : 'no'}</dd>
        <dt>Initiator</dt><dd>{explainInitiator(close.initiator, close.wasClean)}</dd>
        <dt>Closed at</dt><dd>{formatTime(close.t)} ({formatRelative(close.t, c.createdAt)} after creation)</dd>
        {c.openAt !== undefined && <><dt>Open for</dt><dd>{formatDuration(close.t - c.openAt)}</dd></>}
        {c.openAt === undefined && <><dt>Opened</dt><dd>Never: the socket closed while connecting (the handshake failed).</dd></>}
        {idle !== undefined && (
          <><dt>Last activity</dt><dd>{lastFrame ? `last frame ${formatDuration(idle)} before the close` : `no frames in ${formatDuration(idle)} open`}</dd></>
        )}
        <dt>{req?.by === 'devtools' ? 'DevTools asked' : 'Page asked'}</dt>
        <dd class="wrap-any">
          {req
            ? `close(${closeArgs(req)}) at ${formatTime(req.t)}; the close event came ${formatRelative(close.t, req.t).replace(/^\+/, '')} later`
            : 'The page did not call close().'}
        </dd>
      </dl>
      {idleHint(close.code, close.wasClean, idle) && <p class="note">{idleHint(close.code, close.wasClean, idle)}</p>}
      {req?.code !== undefined && req.code !== close.code && (
        <p class="note">{asker} asked for code {req.code} but the connection closed with {close.code}.</p>
      )}
      {last.length > 0 && (
        <>
          <h3>Last frames before the close</h3>
          <ul class="plain-list" aria-label="Last frames before the close">
            {last.map((f) => (
              <li key={f.id} class="one-line">
                <span aria-hidden="true">{dirArrow(f.dir)} </span>
                <span class="sr-only">{dirWord(f.dir)} </span>
                <span class="mono">{formatTime(f.t)}</span>{' '}
                <span class="muted">({formatRelative(f.t, close.t).replace(/^-/, '')} before)</span> {previewPayload(f.data, 80)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** Idle longer than this before an unclean close looks like a timeout somewhere on the path. */
const IDLE_HINT_MS = 30_000;

/** A plain-language guess when a socket died after a long silence (the classic proxy idle timeout). */
export function idleHint(code: number, wasClean: boolean, idleMs: number | undefined): string | null {
  if (idleMs === undefined || idleMs < IDLE_HINT_MS) return null;
  if (code === 1006 || !wasClean) {
    return `Nothing was sent or received for ${formatDuration(idleMs)} before the connection dropped: typical of a proxy, `
      + 'load balancer or NAT idle timeout. Sending a heartbeat (ping message) more often than the timeout keeps it open.';
  }
  if (code === 1001 || code === 1000 || code === 3008) {
    return `The connection was idle for ${formatDuration(idleMs)} before it closed: the other side may close idle connections on purpose.`;
  }
  return null;
}

/** What the page was shown instead of the real close event. */
function Simulated({ sim }: { sim: SimulatedClose }) {
  const what = sim.as === 'network' ? 'a network drop: an error event, then' : 'a server close:';
  const reason = sim.reason === '' ? 'no reason' : `reason "${sim.reason}"`;
  return (
    <p class="note info">
      {`Simulated by DevTools — the page saw ${what} a close event with code ${sim.code}, ${reason}, wasClean ${sim.wasClean} `
        + '(synthetic events, isTrusted false). What really happened on the socket:'}
    </p>
  );
}

/** The arguments as the page passed them, quoted like code. */
function closeArgs(r: { code?: number; reason?: string }): string {
  const args: string[] = [];
  if (r.code !== undefined) args.push(String(r.code));
  if (r.reason !== undefined) args.push(JSON.stringify(r.reason));
  return args.join(', ');
}
