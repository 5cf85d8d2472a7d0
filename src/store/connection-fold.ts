/**
 * What each capture event changes in a connection's own record (state,
 * timeline, negotiated values, counts, close, problems). The frames
 * themselves live in the store's columnar table (store.ts).
 */
import type { CaptureEvent } from '../protocol/events';
import type { Base64 } from '../protocol/messages';
import type { Connection } from './model';

type Captured = CaptureEvent<Base64>;

/** Counts, rate and send-buffer sample of one frame. */
export function countFrame(conn: Connection, t: number, out: boolean, size: number, buffered: number | undefined): void {
  if (out) { conn.framesOut++; conn.bytesOut += size; } else { conn.framesIn++; conn.bytesIn += size; }
  conn.rate.add(t, out ? 'out' : 'in');
  if (buffered !== undefined) conn.buffered.push({ t, amount: buffered });
}

/** Everything but frames and Blob payloads. */
export function foldLifecycle(conn: Connection, e: Captured): void {
  switch (e.k) {
    case 'created':
      conn.timeline.push({ state: 0, t: e.t, via: 'constructor', seq: e.seq });
      break;
    case 'construct-error':
      conn.problems.push({ t: e.t, what: 'new WebSocket() threw', error: e.error, seq: e.seq });
      break;
    case 'state':
      conn.state = e.state;
      conn.timeline.push({ state: e.state, t: e.t, via: e.via, seq: e.seq });
      break;
    case 'open':
      conn.openAt = e.t;
      conn.openSeq = e.seq;
      conn.protocol = e.protocol;
      conn.extensions = e.extensions;
      conn.binaryType = e.binaryType;
      break;
    case 'buffered':
      conn.buffered.push({ t: e.t, amount: e.amount, seq: e.seq });
      break;
    case 'close-call': {
      const call = { code: e.code, reason: e.reason, t: e.t, seq: e.seq, ...(e.by ? { by: e.by } : {}) };
      // the first call closes the socket; later ones do nothing natively but were made, and are kept
      if (conn.closeRequest) (conn.laterCloseCalls ??= []).push(call);
      else conn.closeRequest = call;
      break;
    }
    case 'close':
      conn.close = {
        code: e.code, reason: e.reason, wasClean: e.wasClean, initiator: e.initiator, t: e.t, seq: e.seq,
        requested: conn.closeRequest, ...(e.simulated ? { simulated: e.simulated } : {}),
      };
      break;
    case 'error':
      conn.problems.push({ t: e.t, what: 'error event', seq: e.seq });
      break;
    case 'api-error':
      conn.problems.push({ t: e.t, what: `${e.method}() threw`, error: e.error, seq: e.seq });
      break;
    case 'recording':
      (conn.recording ??= []).push({ t: e.t, frames: e.frames, seq: e.seq });
      break;
    case 'send-site':
      (conn.sendSites ??= []).push({ seq: e.seq, t: e.t, stack: e.stack });
      break;
  }
}
