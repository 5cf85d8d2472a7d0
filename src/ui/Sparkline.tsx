import type { BufferedSample } from '../store/model';
import { formatBytes } from './format';

const W = 160;
const H = 28;
/** Drawing more points than pixels shows nothing more. */
const MAX_POINTS = W;

/**
 * bufferedAmount over time as a small line. The SVG is decoration with a
 * text name; the numbers themselves are listed next to it for everyone.
 */
export function Sparkline({ samples }: { samples: readonly BufferedSample[] }) {
  if (samples.length < 2) return null;
  const step = Math.max(1, Math.ceil(samples.length / MAX_POINTS));
  const picked: BufferedSample[] = [];
  for (let i = 0; i < samples.length; i += step) picked.push(samples[i]!);
  const last = samples[samples.length - 1]!;
  if (picked[picked.length - 1] !== last) picked.push(last);

  const t0 = picked[0]!.t;
  const span = Math.max(1, last.t - t0);
  const max = Math.max(1, ...picked.map((s) => s.amount));
  const points = picked
    .map((s) => `${(((s.t - t0) / span) * W).toFixed(1)},${(H - 1 - (s.amount / max) * (H - 2)).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      class="sparkline"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`bufferedAmount over time, peak ${formatBytes(max)}`}
    >
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
