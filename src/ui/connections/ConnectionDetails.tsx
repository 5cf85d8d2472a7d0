import type { Connection, StateChange } from '../../store/model';
import { connectionRate, isOver, lifetime } from './ConnectionList';
import { formatBytes, formatCount, formatDuration, formatRate, formatRelative, formatTime } from '../shared/format';
import { CallStack, type OpenSource } from '../shared/CallStack';
import { frameLabel, protocolsText, sourceText, stateName } from '../shared/labels';
import { LineChart } from './LineChart';
import '../shared/panes.css';
import './connections.css';

/** Samples listed as text under the chart (the newest ones). */
const LIST_SAMPLES = 50;

/** Everything known about one socket besides its frames. */
export function ConnectionDetails({ conn: c, now, openSource = null }: { conn: Connection; now: number; openSource?: OpenSource }) {
  return (
    <section class="detail conn-detail" aria-label="Connection details">
      <h2 class="detail-title">Connection #{c.index + 1}</h2>
      <dl class="facts">
        <dt>URL</dt><dd class="wrap-any">{c.url}</dd>
        <dt>Resolved URL</dt><dd class="wrap-any">{c.resolvedUrl || '(unknown)'}</dd>
        <dt>Requested protocols</dt><dd>{protocolsText(c.protocols)}</dd>
        <dt>Negotiated protocol</dt><dd>{c.openAt === undefined ? '(not open yet)' : c.protocol || '(none)'}</dd>
        <dt>Extensions</dt><dd>{c.openAt === undefined ? '(not open yet)' : c.extensions || '(none)'}</dd>
        <dt>binaryType</dt><dd>{c.binaryType ?? '(not open yet)'}{c.binaryType ? ' (at open)' : ''}</dd>
        <dt>Frame</dt><dd class="wrap-any">{frameLabel(c)}</dd>
        <dt>State</dt><dd>{stateName(c.state)}</dd>
        <dt>Opened at</dt><dd>{formatTime(c.createdAt)}</dd>
        {c.state !== 'failed' && <><dt>Duration</dt><dd>{formatDuration(lifetime(c, now))}{isOver(c) ? '' : ' so far'}</dd></>}
        <dt>Sent</dt><dd>{formatCount(c.framesOut)} frames, {formatBytes(c.bytesOut)}</dd>
        <dt>Received</dt><dd>{formatCount(c.framesIn)} frames, {formatBytes(c.bytesIn)}</dd>
        <dt>Rate</dt><dd>{formatRate(connectionRate(c, now))} {isOver(c) ? '(average)' : '(last 10 s)'}</dd>
        {c.subclass && <><dt>Constructed as</dt><dd>{c.subclass} (a WebSocket subclass)</dd></>}
        {(c.source || c.network) && <><dt>Opened by</dt><dd>{sourceText(c)}</dd></>}
      </dl>
      {c.network && (
        <p class="note info">
          DevTools' network log has this socket's frames but not its close code and reason, its readyState changes or the
          page's calls; the panel cannot act on it. Sockets opened before DevTools was opened are not in that log. Firefox's
          log lists a socket without its messages, and does not say whether a worker opened it. A worker's sockets, with
          their messages: turn on Capture workers (toolbar) and reload the page.
        </p>
      )}

      <h3>Initiator</h3>
      {c.stack
        ? <CallStack stack={c.stack} label="Initiator: where the socket was created" openSource={openSource} />
        : <p class="note">Not recorded (a file or a hook from before this was captured).</p>}

      <h3>readyState timeline</h3>
      <Timeline conn={c} now={now} />

      <h3>Message rate</h3>
      <RateChart conn={c} />

      <h3>bufferedAmount</h3>
      <Buffered conn={c} />

      <h3>Problems</h3>
      {c.problems.length === 0
        ? <p class="note">None recorded.</p>
        : (
          <ul class="plain-list" aria-label="Problems">
            {c.problems.map((p, i) => (
              <li key={i} class="error-text">
                <span class="mono">{formatTime(p.t)}</span> {p.what}
                {p.error && `: ${p.error.name}: ${p.error.message}`}
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}

interface Span { state: StateChange['state']; from: number; to: number }

/** How long the socket spent in each state, in order (the last one lasts until now unless CLOSED). */
export function stateSpans(timeline: readonly StateChange[], now: number): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < timeline.length; i++) {
    const s = timeline[i]!;
    if (s.state === 3) break;
    const next = timeline[i + 1];
    out.push({ state: s.state, from: s.t, to: next ? next.t : now });
  }
  return out;
}

function Timeline({ conn: c, now }: { conn: Connection; now: number }) {
  if (c.timeline.length === 0) return <p class="note">No state changes captured.</p>;
  const spans = stateSpans(c.timeline, now);
  const total = spans.reduce((n, s) => n + (s.to - s.from), 0);
  const words = spans.map((s) => `${stateName(s.state)} ${formatDuration(s.to - s.from)}`).join(', ');
  return (
    <>
      {spans.length > 0 && total > 0 && (
        <div class="state-bar" role="img" aria-label={`readyState durations: ${words}`}>
          {spans.map((s, i) => (
            <div key={i} class={`state-seg seg-${s.state}`} style={{ flexGrow: Math.max((s.to - s.from) / total, 0.02) }}
              title={`${stateName(s.state)} ${formatDuration(s.to - s.from)}`}>
              <span aria-hidden="true">{`${stateName(s.state)} ${formatDuration(s.to - s.from)}`}</span>
            </div>
          ))}
        </div>
      )}
      <ol class="plain-list" aria-label="readyState timeline">
        {c.timeline.map((s, i) => {
          const prev = i > 0 ? c.timeline[i - 1] : undefined;
          const text = prev
            ? `${stateName(prev.state)} → ${stateName(s.state)} ${formatRelative(s.t, prev.t)}`
            : stateName(s.state);
          return (
            <li key={i}>
              <span class="mono">{formatTime(s.t)}</span> {text} <span class="muted">({s.via})</span>
            </li>
          );
        })}
      </ol>
    </>
  );
}

const seconds = (s: number): string => `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;

function RateChart({ conn: c }: { conn: Connection }) {
  const points = c.rate.points(120);
  if (points.length === 0 || c.framesIn + c.framesOut === 0) return <p class="note">No frames yet.</p>;
  let peakOut = 0, peakIn = 0;
  for (const p of points) { peakOut = Math.max(peakOut, p.out); peakIn = Math.max(peakIn, p.in); }
  // a lone second is drawn as a flat line across it
  const series = (pick: (p: { s: number; out: number; in: number }) => number) =>
    (points.length === 1 ? [{ x: 0, y: pick(points[0]!) }, { x: 1, y: pick(points[0]!) }] : points.map((p) => ({ x: p.s, y: pick(p) })));
  return (
    <div class="chart-block">
      <LineChart
        label={`Message rate in frames per second since the socket was created: peak ${formatRate(peakOut)} sent, ${formatRate(peakIn)} received`}
        series={[{ name: 'sent', cls: 'out', points: series((p) => p.out) }, { name: 'received', cls: 'in', points: series((p) => p.in) }]}
        formatX={seconds}
        formatY={(y) => `${y < 10 && y > 0 ? y.toFixed(1) : formatCount(y)}/s`}
        steps
      />
      <p class="muted">{`Peak ${formatRate(peakOut)} sent, ${formatRate(peakIn)} received (per second; merged into ${points.length} points)`}</p>
    </div>
  );
}

function Buffered({ conn: c }: { conn: Connection }) {
  const samples = c.buffered;
  if (samples.length === 0) return <p class="note">No samples (nothing sent yet).</p>;
  let peak = 0;
  for (const s of samples) if (s.amount > peak) peak = s.amount;
  const last = samples[samples.length - 1]!;
  const shown = samples.slice(-LIST_SAMPLES);
  const origin = c.createdAt;
  const points = samples.map((s) => ({ x: (s.t - origin) / 1000, y: s.amount }));
  if (points.length === 1) points.push({ x: points[0]!.x + 0.05, y: points[0]!.y });
  return (
    <div class="buffered chart-block">
      <p>
        {samples.length} samples, peak {formatBytes(peak)}, last {formatBytes(last.amount)}
        {last.amount > 0 ? ' (still draining)' : ''}
      </p>
      <LineChart
        label={`bufferedAmount over time, peak ${formatBytes(peak)}`}
        series={[{ name: 'bufferedAmount', cls: 'buffer', points }]}
        formatX={seconds}
        formatY={formatBytes}
        steps
      />
      <details>
        <summary>{samples.length > LIST_SAMPLES ? `Latest ${LIST_SAMPLES} samples` : 'Samples'}</summary>
        <ul class="plain-list mono" aria-label="bufferedAmount samples">
          {shown.map((s, i) => (
            <li key={i}>{formatTime(s.t)} {s.amount} bytes</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
