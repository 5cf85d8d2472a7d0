import type { Connection } from '../store/model';
import { formatBytes, formatRelative, formatTime } from './format';
import { frameLabel, protocolsText, stateName } from './labels';
import { Sparkline } from './Sparkline';

/** Samples listed as text under the sparkline (the newest ones). */
const LIST_SAMPLES = 50;

/** Everything known about one socket besides its frames. */
export function ConnectionDetails({ conn: c }: { conn: Connection }) {
  return (
    <section class="detail conn-detail" aria-label="Connection details">
      <h2 class="detail-title">Connection</h2>
      <dl class="facts">
        <dt>URL</dt><dd class="wrap-any">{c.url}</dd>
        <dt>Resolved URL</dt><dd class="wrap-any">{c.resolvedUrl || '(unknown)'}</dd>
        <dt>Requested protocols</dt><dd>{protocolsText(c.protocols)}</dd>
        <dt>Negotiated protocol</dt><dd>{c.openAt === undefined ? '(not open yet)' : c.protocol || '(none)'}</dd>
        <dt>Extensions</dt><dd>{c.openAt === undefined ? '(not open yet)' : c.extensions || '(none)'}</dd>
        <dt>binaryType</dt><dd>{c.binaryType ?? '(not open yet)'}{c.binaryType ? ' (at open)' : ''}</dd>
        <dt>Frame</dt><dd class="wrap-any">{frameLabel(c)}</dd>
        <dt>State</dt><dd>{stateName(c.state)}</dd>
        {c.subclass && <><dt>Constructed as</dt><dd>{c.subclass} (a WebSocket subclass)</dd></>}
      </dl>

      <h3>readyState timeline</h3>
      <Timeline conn={c} />

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

function Timeline({ conn: c }: { conn: Connection }) {
  if (c.timeline.length === 0) return <p class="note">No state changes captured.</p>;
  return (
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
  );
}

function Buffered({ conn: c }: { conn: Connection }) {
  const samples = c.buffered;
  if (samples.length === 0) return <p class="note">No samples (nothing sent yet).</p>;
  let peak = 0;
  for (const s of samples) if (s.amount > peak) peak = s.amount;
  const last = samples[samples.length - 1]!;
  const shown = samples.slice(-LIST_SAMPLES);
  return (
    <div class="buffered">
      <p>
        {samples.length} samples, peak {formatBytes(peak)}, last {formatBytes(last.amount)}
        {last.amount > 0 ? ' (still draining)' : ''}
      </p>
      <Sparkline samples={samples} />
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
