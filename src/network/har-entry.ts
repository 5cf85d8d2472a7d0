/**
 * What the panel reads of a HAR entry from `devtools.network.getHAR()`: the WebSocket entries
 * (`_resourceType: 'websocket'`, `_webSocketMessages`), the scripts workers were loaded from, and the
 * initiator of each. DevTools builds these; the panel still reads them defensively (any field may be
 * missing, or of another shape in another DevTools version), and never throws on them.
 */
import type { StackFrame } from '../protocol/events';

export interface HarMessage { type: 'send' | 'receive'; time: number; opcode: number; data: string }

export interface HarCallFrame { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number }

/** The part of a HAR entry the network source reads. */
export interface HarEntry {
  startedDateTime?: string;
  time?: number;
  request?: { url?: string };
  response?: { status?: number; headers?: { name?: string; value?: string }[] };
  timings?: { wait?: number; receive?: number };
  _resourceType?: string;
  _initiator?: {
    type?: string;
    url?: string;
    stack?: { callFrames?: HarCallFrame[]; parentId?: unknown; parent?: { callFrames?: HarCallFrame[] } };
  };
  _webSocketMessages?: HarMessage[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

export const entryUrl = (e: HarEntry): string => (isRec(e.request) && typeof e.request.url === 'string' ? e.request.url : '');

export const isWebSocketEntry = (e: HarEntry): boolean =>
  e._resourceType === 'websocket' || Array.isArray(e._webSocketMessages) || /^wss?:/i.test(entryUrl(e));

/** When the request started, in epoch ms (NaN when DevTools did not say). */
export const entryStart = (e: HarEntry): number => (typeof e.startedDateTime === 'string' ? Date.parse(e.startedDateTime) : NaN);

/**
 * When the log says this socket finished (epoch ms), or undefined while it is open. DevTools (HAR Log.ts)
 * counts `timings.receive` from the last frame to the request's end, which stays -1 (receive clamped to 0)
 * until the socket closes: a positive `receive` means it closed, at start + `time`. Read from every poll, so
 * a close is never lost to an `onRequestFinished` that fired before the panel listened (a socket closed
 * while the panel was still loading its settings, or before it was opened in this DevTools).
 */
export function entryEnd(e: HarEntry): number | undefined {
  const receive = isRec(e.timings) ? e.timings.receive : undefined;
  if (typeof receive !== 'number' || !(receive > 0)) return undefined;
  const start = entryStart(e);
  return Number.isFinite(start) && typeof e.time === 'number' && e.time >= 0 ? start + e.time : Date.now();
}

export const messagesOf = (e: HarEntry): HarMessage[] => (Array.isArray(e._webSocketMessages) ? e._webSocketMessages : []);

export function responseHeader(e: HarEntry, name: string): string | undefined {
  const headers = isRec(e.response) && Array.isArray(e.response.headers) ? e.response.headers : [];
  const lower = name.toLowerCase();
  const h = headers.find((x) => isRec(x) && typeof x.name === 'string' && x.name.toLowerCase() === lower);
  return h && typeof h.value === 'string' ? h.value : undefined;
}

/** The initiator's own call frames (innermost first), those of the async parent after them. */
export function initiatorFrames(e: HarEntry): HarCallFrame[] {
  const s = isRec(e._initiator) && isRec(e._initiator.stack) ? e._initiator.stack : undefined;
  const own = s && Array.isArray(s.callFrames) ? s.callFrames.filter(isRec) : [];
  const parent = s && isRec(s.parent) && Array.isArray(s.parent.callFrames) ? s.parent.callFrames.filter(isRec) : [];
  return [...own, ...parent];
}

/** CDP numbers lines and columns from 0; the panel, like DevTools' UI, from 1. */
export function stackOf(frames: readonly HarCallFrame[], max: number): StackFrame[] {
  const out: StackFrame[] = [];
  for (const f of frames) {
    if (out.length >= max) break;
    const url = typeof f.url === 'string' ? f.url : '';
    out.push({
      fn: typeof f.functionName === 'string' ? f.functionName.slice(0, 200) : '', url: url.slice(0, 2000),
      line: Number.isSafeInteger(f.lineNumber) && f.lineNumber! >= 0 ? f.lineNumber! + 1 : 0,
      col: Number.isSafeInteger(f.columnNumber) && f.columnNumber! >= 0 ? f.columnNumber! + 1 : 0,
    });
  }
  return out;
}
