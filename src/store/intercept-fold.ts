/**
 * What interception did, folded from `intercept` capture events
 * (protocol/events.ts): per message, its records (held, edited, dropped …,
 * with the cause, the rule and the edited payload), the messages held right
 * now (the Intercept tab's queue) and each rule's hits.
 *
 * Bounded like the frames they belong to: a message's records go when its
 * frame is evicted or its connection is dropped, and their bytes count
 * against the memory cap (Store adds them). Held messages stay until the page
 * says what became of them, or their document is gone.
 */
import type { InterceptCause } from '../protocol/intercept';
import type { InterceptEvent } from '../protocol/events';
import type { Base64, WirePayload } from '../protocol/messages';
import type { Connection } from './model';

/** One act of interception on a message: its event, kept with its own seq (exports keep it), without the message's ids. */
export type InterceptRecord = Omit<InterceptEvent<Base64>, 'k' | 'c' | 'of'>;

/** A message interception holds now. */
export interface HeldMessage {
  conn: Connection;
  dir: 'out' | 'in';
  /** the hold's number (release commands name it) */
  hold: number;
  /** the message's seq, and its row (undefined when it was not captured, or evicted) */
  of: number;
  rowId: number | undefined;
  /** when it was held (epoch ms) */
  since: number;
  /** what the breakpoint matched (the condition as typed) */
  matched: string;
  /** the payload as captured (kept here: the row may be cleared or evicted while the message waits) */
  data: WirePayload | undefined;
  size: number;
  kind: 'text' | 'binary';
  truncated: boolean;
}

/** What a held message's row tells about it (the store looks it up). */
export interface HeldRow { rowId: number; data: WirePayload | undefined; size: number; kind: 'text' | 'binary'; truncated: boolean }

const RECORD_BYTES = 96;
const HELD_BYTES = 160;
const payloadBytes = (d: WirePayload | undefined): number => (d === undefined ? 0 : typeof d === 'string' ? 2 * d.length : d.b64.length);
const DECIDED: ReadonlySet<InterceptCause> = new Set(['user', 'timeout', 'released']);

export class InterceptFold {
  private readonly byConn = new Map<Connection, Map<number, InterceptRecord[]>>();
  /** held now, oldest first */
  readonly held: HeldMessage[] = [];
  /** rule id → messages it acted on */
  readonly hits = new Map<string, number>();
  /** the last message counted for each rule (a respond rule that does not forward reports answered, then dropped) */
  private readonly lastHit = new Map<string, string>();
  /** estimated bytes held (records, held messages) */
  bytes = 0;
  /** records held (all connections) */
  count = 0;

  get empty(): boolean {
    return this.count === 0 && this.held.length === 0;
  }

  fold(conn: Connection, e: InterceptEvent<Base64>, row: () => HeldRow | undefined): void {
    const rec: InterceptRecord = { t: e.t, dir: e.dir, outcome: e.outcome, cause: e.cause, seq: e.seq };
    if (e.hold !== undefined) rec.hold = e.hold;
    if (e.matched !== undefined) rec.matched = e.matched;
    if (e.rule) rec.rule = { id: e.rule.id, name: e.rule.name };
    if (e.data !== undefined) rec.data = e.data;
    if (e.ms !== undefined) rec.ms = e.ms;
    if (e.code !== undefined) rec.code = e.code;
    if (e.reason !== undefined) rec.reason = e.reason;
    let m = this.byConn.get(conn);
    if (!m) this.byConn.set(conn, (m = new Map()));
    const list = m.get(e.of);
    if (list) list.push(rec); else m.set(e.of, [rec]);
    this.count++;
    this.bytes += RECORD_BYTES + payloadBytes(rec.data);
    if (rec.rule) {
      const msg = `${conn.key}/${e.of}`;
      if (this.lastHit.get(rec.rule.id) !== msg) {
        this.lastHit.set(rec.rule.id, msg);
        this.hits.set(rec.rule.id, (this.hits.get(rec.rule.id) ?? 0) + 1);
      }
    }
    if (e.outcome === 'held' && e.hold !== undefined) {
      const r = row();
      this.held.push({
        conn, dir: e.dir, hold: e.hold, of: e.of, rowId: r?.rowId, since: e.t, matched: e.matched ?? '',
        data: r?.data, size: r?.size ?? 0, kind: r?.kind ?? 'text', truncated: r?.truncated ?? false,
      });
      this.bytes += HELD_BYTES + payloadBytes(r?.data);
    } else if (DECIDED.has(e.cause)) {
      this.release((h) => h.conn === conn && h.of === e.of && h.dir === e.dir);
    }
  }

  /** The records of one message (by its connection and seq), oldest first. */
  recordsOf(conn: Connection, seq: number): readonly InterceptRecord[] | undefined {
    return this.byConn.get(conn)?.get(seq);
  }

  /** Every record of a connection, by message seq (exports). */
  recordsByMessage(conn: Connection): ReadonlyMap<number, readonly InterceptRecord[]> | undefined {
    return this.byConn.get(conn);
  }

  /** A connection's intercept events again (exports), in seq order. */
  eventsOf(conn: Connection): InterceptEvent<Base64>[] {
    const out: InterceptEvent<Base64>[] = [];
    for (const [of, list] of this.byConn.get(conn) ?? []) for (const r of list) out.push(recordEvent(conn.id, of, r));
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** The held message with this hold number, if it is still held. */
  heldOf(conn: Connection, hold: number): HeldMessage | undefined {
    return this.held.find((h) => h.conn === conn && h.hold === hold);
  }

  /** Forget held messages that match (their page let them go, or is gone). True when some went. */
  release(which: (h: HeldMessage) => boolean): boolean {
    let gone = false;
    for (let i = this.held.length - 1; i >= 0; i--) {
      const h = this.held[i]!;
      if (!which(h)) continue;
      this.held.splice(i, 1);
      this.bytes -= HELD_BYTES + payloadBytes(h.data);
      gone = true;
    }
    return gone;
  }

  /**
   * Drop what belongs to frames no longer held: connections the store dropped, and records of messages
   * older than a connection's oldest frame (`oldestSeq`: -1 when it holds none, Infinity when it is gone).
   */
  dropEvicted(oldestSeq: (c: Connection) => number): void {
    for (const [conn, m] of this.byConn) {
      const oldest = oldestSeq(conn);
      if (oldest === Infinity) {
        for (const list of m.values()) this.forget(list);
        this.byConn.delete(conn);
        continue;
      }
      for (const [of, list] of m) {
        if (of >= oldest) break; // a connection's messages come in seq order
        this.forget(list);
        m.delete(of);
      }
      if (m.size === 0) this.byConn.delete(conn);
    }
    if (this.held.length) this.release((h) => oldestSeq(h.conn) === Infinity);
  }

  private forget(list: readonly InterceptRecord[]): void {
    for (const r of list) this.bytes -= RECORD_BYTES + payloadBytes(r.data);
    this.count -= list.length;
  }

  /** Forget the records (Clear); messages still held stay (the page still holds them), and so do the hits. */
  clearRecords(): void {
    this.byConn.clear();
    this.count = 0;
    this.bytes = 0;
    for (const h of this.held) this.bytes += HELD_BYTES + payloadBytes(h.data);
  }

  clear(): void {
    this.byConn.clear();
    this.held.length = 0;
    this.hits.clear();
    this.lastHit.clear();
    this.count = 0;
    this.bytes = 0;
  }
}

/** A record as the capture event it came from. */
export function recordEvent(c: string, of: number, r: InterceptRecord): InterceptEvent<Base64> {
  const { t, dir, outcome, cause, seq, ...rest } = r;
  return { k: 'intercept', c, seq, t, of, dir, outcome, cause, ...rest };
}
