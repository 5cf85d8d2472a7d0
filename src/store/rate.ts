/**
 * Frames per second of one connection, each way: one counter per second since
 * the connection was created, in a growable typed array. Feeds the Rate column
 * and the message-rate chart; costs one increment per frame.
 */
import { Column } from './columns';

export interface RatePoint { /** seconds since the connection was created */ s: number; out: number; in: number }

export class RateSeries {
  private readonly outs = new Column(Uint32Array, 64);
  private readonly ins = new Column(Uint32Array, 64);
  /** seconds with a counter (the last one is the current second) */
  seconds = 0;

  constructor(readonly origin: number) {}

  add(t: number, dir: 'out' | 'in'): void {
    const s = Math.max(0, Math.floor((t - this.origin) / 1000));
    const col = dir === 'out' ? this.outs : this.ins;
    this.outs.ensure(s);
    this.ins.ensure(s);
    col.data[s] = col.data[s]! + 1;
    if (s + 1 > this.seconds) this.seconds = s + 1;
  }

  /** Frames per second (both ways) over the `window` seconds up to `now`. */
  recent(now: number, window = 10): number {
    const end = Math.min(this.seconds, Math.floor((now - this.origin) / 1000) + 1);
    const start = Math.max(0, end - window);
    let n = 0;
    for (let s = start; s < end; s++) n += this.outs.data[s]! + this.ins.data[s]!;
    return end > start ? n / (end - start) : 0;
  }

  /**
   * The series as at most `maxPoints` points: seconds are merged into buckets
   * (a rate per second averaged over the bucket) when there are more.
   */
  points(maxPoints = 120): RatePoint[] {
    const n = this.seconds;
    const step = Math.max(1, Math.ceil(n / maxPoints));
    const out: RatePoint[] = [];
    for (let s = 0; s < n; s += step) {
      let o = 0, i = 0;
      const end = Math.min(n, s + step);
      for (let k = s; k < end; k++) { o += this.outs.data[k]!; i += this.ins.data[k]!; }
      out.push({ s, out: o / (end - s), in: i / (end - s) });
    }
    return out;
  }

  clear(): void {
    this.outs.reset(64);
    this.ins.reset(64);
    this.seconds = 0;
  }
}
