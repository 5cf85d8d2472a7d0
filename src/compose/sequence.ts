/**
 * Replaying a sequence of captured messages, in their original order, at their
 * original pacing scaled by a speed (2× halves every gap) or as fast as
 * possible. Each send waits for the previous one's answer, so order holds and
 * the first error stops the run. Time and sending are passed in: unit-tested.
 */
import type { CommandResult } from '../protocol/messages';

/** 1 = original pacing; Infinity = as fast as possible. */
export type Speed = number;

export const SPEEDS: readonly { value: string; label: string; speed: Speed }[] = [
  { value: '1', label: 'Original pacing (1×)', speed: 1 },
  { value: '2', label: '2×', speed: 2 },
  { value: '10', label: '10×', speed: 10 },
  { value: 'max', label: 'As fast as possible', speed: Infinity },
];

/** When each message goes out, in ms after the first, keeping the captured gaps divided by `speed`. */
export function replayOffsets(times: readonly number[], speed: Speed): number[] {
  const t0 = times[0] ?? 0;
  return times.map((t) => (speed === Infinity || !(speed > 0) ? 0 : Math.max(0, t - t0) / speed));
}

export interface SequenceRun<T> {
  items: readonly T[];
  /** capture time (ms) of each item, for pacing */
  timeOf: (item: T) => number;
  speed: Speed;
  send: (item: T) => Promise<CommandResult>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** checked before each send: true stops the run */
  stopped?: () => boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SequenceOutcome {
  sent: number;
  total: number;
  /** why the run stopped early: an error of item `at`, or the user */
  error?: { at: number; name: string; message: string };
  stopped?: boolean;
}

export async function runSequence<T>(o: SequenceRun<T>): Promise<SequenceOutcome> {
  const offsets = replayOffsets(o.items.map(o.timeOf), o.speed);
  const total = o.items.length;
  const start = o.now();
  for (let i = 0; i < total; i++) {
    // pace against the start, not the previous send: slow answers do not add up
    const wait = start + offsets[i]! - o.now();
    if (wait > 0) await o.sleep(wait);
    if (o.stopped?.()) return { sent: i, total, stopped: true };
    const r = await o.send(o.items[i]!);
    if (!r.ok) return { sent: i, total, error: { at: i, ...r.error } };
    o.onProgress?.(i + 1, total);
  }
  return { sent: total, total };
}
