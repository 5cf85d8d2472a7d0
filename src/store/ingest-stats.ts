/**
 * How fast captured events reach the panel: counts, and capture → panel
 * latency over the most recent events (a fixed ring, so it costs the same at
 * any rate). Exposed to users and benchmarks through `wsInspector.stats()`.
 */
const WINDOW = 16_384;

export interface IngestSummary {
  events: number;
  batches: number;
  /** capture → panel latency in ms over the last events (p50, p99, max) */
  latency: { p50: number; p99: number; max: number; samples: number };
  /** events per second between the first and the last batch received */
  perSecond: number;
}

export class IngestStats {
  events = 0;
  batches = 0;
  private readonly ring = new Float64Array(WINDOW);
  private filled = 0;
  private next = 0;

  /** Record one batch: `times` are the events' capture times (epoch ms), `now` is arrival. */
  private first = 0;
  private last = 0;

  /** `times`: capture times of the batch's rows; `others`: its other events (with their own `t`). */
  batch(times: ArrayLike<number>, others: readonly { t: number }[], now: number): void {
    if (!this.batches) this.first = now;
    this.last = now;
    this.batches++;
    this.events += times.length + others.length;
    for (const e of others) this.sample(now - e.t);
    // one sample per batch element, newest kept; a batch's events share one arrival time
    for (let i = 0; i < times.length; i++) this.sample(now - times[i]!);
  }

  private sample(latency: number): void {
    this.ring[this.next] = latency;
    this.next = (this.next + 1) % WINDOW;
    if (this.filled < WINDOW) this.filled++;
  }

  summary(): IngestSummary {
    const sorted = Float64Array.from(this.ring.subarray(0, this.filled)).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return {
      events: this.events, batches: this.batches,
      latency: { p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0, samples: sorted.length },
      perSecond: this.last > this.first ? Math.round((this.events * 1000) / (this.last - this.first)) : 0,
    };
  }
}
