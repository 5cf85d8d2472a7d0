/**
 * Values the recorder takes from the page, made safe to record: strings the
 * page controls are clipped to the protocol's limits, thrown things become
 * {name, message}, and text sizes can be measured later, off the hot path.
 */
import type { CaptureEvent, ErrorInfo } from '../protocol/events';
import { LIMITS } from '../protocol/messages';
import { utf8Length } from './bytes';

type Event = CaptureEvent<ArrayBuffer>;

/** `size` of a text frame not yet measured (see sizeOf): measuring costs a pass over the string. */
export const SIZE_LATER = -1;

/** The frame's size on the wire, measuring a text frame the first time it is asked. */
export function sizeOf(e: Extract<Event, { k: 'frame' }>): number {
  if (e.size === SIZE_LATER) e.size = utf8Length(e.data as string);
  return e.size;
}

/** An argument the page passed, or undefined: a missing index would be looked up on Object.prototype. */
export const argAt = (args: ArrayLike<unknown>, i: number): unknown => (i < args.length ? args[i] : undefined);

export const cut = (size: number, max: number): { truncated?: boolean } => (size > max ? { truncated: true } : {});

/**
 * Strings the page controls (urls, protocols, error texts) cut to what the
 * protocol accepts, marked with an ellipsis: one oversized field must not get
 * a whole batch rejected by the relay's guards.
 */
export function clip(s: string, max: number = LIMITS.stringField - 1): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function protocolsOf(p: unknown): string | string[] | undefined {
  if (typeof p === 'string') return clip(p);
  if (!Array.isArray(p)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < p.length && out.length < 256; i++) if (typeof p[i] === 'string') out[out.length] = clip(p[i] as string, 1024);
  return out;
}

export function errorInfo(err: unknown): ErrorInfo {
  try {
    const e = err as { name?: unknown; message?: unknown };
    return { name: clip(String(e?.name ?? typeof err), 256), message: clip(String(e?.message ?? '')) };
  } catch {
    return { name: 'Error', message: '(unreadable error)' };
  }
}
