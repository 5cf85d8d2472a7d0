/**
 * Which send() call site an outgoing frame came from (opt-in, SendSiteEvent): the last `send-site` event of
 * its connection before the frame. Sites are recorded only when they change, in seq order.
 */
import type { StackFrame } from '../protocol/events';
import type { Connection } from './model';

export function sendSiteOf(conn: Pick<Connection, 'sendSites'>, seq: number): StackFrame[] | undefined {
  const sites = conn.sendSites;
  if (!sites || sites.length === 0 || sites[0]!.seq > seq) return undefined;
  let lo = 0, hi = sites.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sites[mid]!.seq < seq) lo = mid;
    else hi = mid - 1;
  }
  return sites[lo]!.seq < seq ? sites[lo]!.stack : undefined;
}
