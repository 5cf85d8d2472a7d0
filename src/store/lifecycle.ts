/**
 * Lifecycle events as rows of the frame grid: which events become rows, and
 * the one line of text each shows (and that the text filter searches).
 */
import type { CaptureEvent } from '../protocol/events';
import type { Base64 } from '../protocol/messages';
import { LIFECYCLE_KINDS, type LifecycleKind } from './model';

const KIND_INDEX = new Map<string, number>(LIFECYCLE_KINDS.map((k, i) => [k, i]));

/** The index of a lifecycle kind (kept in the frame table's `as` column), or -1 for events that are not rows. */
export function lifecycleIndex(k: CaptureEvent['k']): number {
  return KIND_INDEX.get(k) ?? -1;
}

export function lifecycleKind(i: number): LifecycleKind {
  return LIFECYCLE_KINDS[i] ?? 'error';
}

const quote = (s: string): string => JSON.stringify(s);

/** One line for a lifecycle event: "open · protocol chat.v1 · extensions permessage-deflate". */
export function describeLifecycle(e: CaptureEvent<Base64>): string {
  switch (e.k) {
    case 'created': {
      const call = `new ${e.source === 'stream' ? 'WebSocketStream' : 'WebSocket'}(${quote(e.url)}${e.protocols === undefined ? '' : `, ${JSON.stringify(e.protocols)}`})`;
      const where = e.source === 'worker' ? ' in a worker' : e.source === 'service-worker' ? ' in the service worker' : '';
      const top = e.stack?.[0];
      return call + where + (e.network ? " · seen in DevTools' network log" : '') + (top ? ` · from ${top.fn || '(anonymous)'} ${top.url}:${top.line}` : '');
    }
    case 'construct-error':
      return `new WebSocket(${quote(e.url)}) threw ${e.error.name}: ${e.error.message}`;
    case 'open':
      return `open · protocol ${e.protocol || '(none)'} · extensions ${e.extensions || '(none)'} · binaryType ${e.binaryType}`;
    case 'close-call': {
      const args = [e.code === undefined ? undefined : String(e.code), e.reason === undefined ? undefined : quote(e.reason)].filter((x) => x !== undefined);
      return `close(${args.join(', ')}) called by ${e.by === 'devtools' ? 'DevTools' : 'the page'}`;
    }
    case 'close':
      return `close ${e.code}${e.reason ? ` ${quote(e.reason)}` : ''} · ${e.wasClean ? 'clean' : 'not clean'} · initiator ${e.initiator}`
        + (e.simulated ? ` · simulated ${e.simulated.code} for the page` : '');
    case 'error':
      return 'error event';
    case 'api-error':
      return `${e.method}() threw ${e.error.name}: ${e.error.message}`;
    case 'recording':
      return e.frames
        ? 'messages recorded again: a WebSocket panel attached (lightweight mode)'
        : 'messages not recorded: no WebSocket panel is open (lightweight mode)';
    default:
      return e.k;
  }
}
