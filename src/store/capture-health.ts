/**
 * What failed in capture, as the panel counts it (never silent): per document of a frame (`frameId/hook`),
 * the largest count each hop reported in its batches (protocol/batch.ts, CaptureHealth) — errors the page
 * hook caught in itself, messages the relay and the background refused — and what the panel itself could
 * not take in. Per socket, the hook's errors go on the connection (`Connection.captureErrors`).
 */
import type { CaptureHealth } from '../protocol/batch';
import type { Connection } from './model';

interface Counts { hook: number; relay: number; background: number }

export class CaptureErrors {
  private readonly byDocument = new Map<string, Counts>();
  /** messages from the background the panel could not take in */
  panel = 0;

  /** Every failure counted so far. */
  get total(): number {
    let n = this.panel;
    for (const c of this.byDocument.values()) n += c.hook + c.relay + c.background;
    return n;
  }

  /**
   * A hop's counts (cumulative since its document started): keep the largest of each; per socket, on the
   * connection `connOf` finds by the hook's connection number. Says whether anything grew.
   */
  apply(docKey: string, h: CaptureHealth, connOf: (n: number) => Connection | undefined): boolean {
    const was = this.byDocument.get(docKey) ?? { hook: 0, relay: 0, background: 0 };
    const now = {
      hook: Math.max(was.hook, h.hookErrors ?? 0), relay: Math.max(was.relay, h.relayRejected ?? 0),
      background: Math.max(was.background, h.backgroundRejected ?? 0),
    };
    let grew = now.hook !== was.hook || now.relay !== was.relay || now.background !== was.background;
    this.byDocument.set(docKey, now);
    const list = h.connErrors ?? [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const conn = connOf(list[i]!);
      if (conn && (conn.captureErrors ?? 0) < list[i + 1]!) {
        conn.captureErrors = list[i + 1]!;
        grew = true;
      }
    }
    return grew;
  }

  /** Forget the counts of documents `gone` says are gone (a navigation); everything when none is given. */
  forget(gone?: (docKey: string) => boolean): void {
    if (!gone) this.panel = 0;
    for (const k of this.byDocument.keys()) if (!gone || gone(k)) this.byDocument.delete(k);
  }
}
