/**
 * A small line chart with axis labels, DevTools-sized: one or more series over
 * a shared x axis (seconds since the connection was created). Drawn as SVG
 * with text labels; the chart as a whole is an image with a name that says
 * what it shows, and the numbers are listed in text next to it.
 */
export interface ChartSeries {
  name: string;
  /** css class of the line and its legend swatch */
  cls: string;
  points: readonly { x: number; y: number }[];
}

export interface LineChartProps {
  label: string;
  series: readonly ChartSeries[];
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  /** draw steps (a value holds until the next sample) instead of slopes */
  steps?: boolean;
}

const W = 320;
const H = 96;
const M = { left: 48, right: 8, top: 6, bottom: 18 };
/** Drawing more points than pixels shows nothing more. */
const MAX_POINTS = W - M.left - M.right;

function thin<T>(points: readonly T[]): readonly T[] {
  if (points.length <= MAX_POINTS) return points;
  const step = Math.ceil(points.length / MAX_POINTS);
  const out: T[] = [];
  for (let i = 0; i < points.length; i += step) out.push(points[i]!);
  out.push(points[points.length - 1]!);
  return out;
}

export function LineChart({ label, series, formatX, formatY, steps }: LineChartProps) {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return null;
  let x0 = Infinity, x1 = -Infinity, y1 = 0;
  for (const p of all) {
    if (p.x < x0) x0 = p.x;
    if (p.x > x1) x1 = p.x;
    if (p.y > y1) y1 = p.y;
  }
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= 0) y1 = 1;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => M.top + ph - (y / y1) * ph;
  const path = (pts: readonly { x: number; y: number }[]): string => {
    const out: string[] = [];
    let prevY: number | null = null;
    for (const p of thin(pts)) {
      const x = sx(p.x).toFixed(1);
      if (steps && prevY !== null) out.push(`${x},${prevY.toFixed(1)}`);
      const y = sy(p.y);
      out.push(`${x},${y.toFixed(1)}`);
      prevY = y;
    }
    return out.join(' ');
  };
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label} class="chart-svg">
        <line class="axis" x1={M.left} y1={M.top} x2={M.left} y2={M.top + ph} />
        <line class="axis" x1={M.left} y1={M.top + ph} x2={M.left + pw} y2={M.top + ph} />
        <line class="grid-line" x1={M.left} y1={M.top + ph / 2} x2={M.left + pw} y2={M.top + ph / 2} />
        <text class="tick" x={M.left - 4} y={M.top + 8} text-anchor="end">{formatY(y1)}</text>
        <text class="tick" x={M.left - 4} y={M.top + ph / 2 + 4} text-anchor="end">{formatY(y1 / 2)}</text>
        <text class="tick" x={M.left - 4} y={M.top + ph} text-anchor="end">{formatY(0)}</text>
        <text class="tick" x={M.left} y={H - 4} text-anchor="start">{formatX(x0)}</text>
        <text class="tick" x={M.left + pw} y={H - 4} text-anchor="end">{formatX(x1)}</text>
        {series.map((s) => s.points.length > 0 && (
          <polyline key={s.name} class={`line ${s.cls}`} points={path(s.points)} fill="none" />
        ))}
      </svg>
      {series.length > 1 && (
        <figcaption class="legend">
          {series.map((s) => <span key={s.name}><span class={`swatch ${s.cls}`} aria-hidden="true" />{s.name}</span>)}
        </figcaption>
      )}
    </figure>
  );
}
