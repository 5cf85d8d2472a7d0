/**
 * Merges DevTools' network log (`getHAR()` entries, polled) into the panel as connections and frames the
 * page hooks did not capture — workers', the service worker's, WebSocketStreams — as capture events, the
 * store's one way in.
 *
 * - **Never twice.** An entry the hook made (its frame is the initiator's innermost, classify.ts) or that
 *   matches a hook connection — same URL, opened within MATCH_MS, the same first frames both ways — is the
 *   hook's: its record wins (it knows the close code, states, the page's calls). An entry that matches
 *   nothing waits GRACE_MS for the hook's record to arrive (it streams in batches) before it becomes a
 *   network connection; one that a hook record matches later is handed back (`replaced`: the panel drops
 *   the network copy).
 * - **Incremental.** Each `getHAR()` rebuilds the whole log; the merger remembers, per entry, how many of
 *   its messages it took, and turns only the new ones into frames.
 * - The log has no close code: a socket is marked CLOSED (code unknown) when DevTools says it finished —
 *   by `onRequestFinished`, or by the entry itself in any poll (har-entry.ts `entryEnd`: the event fires
 *   once, and not for a panel that was not listening yet).
 */
import { base64Length } from '../protocol/base64';
import { MAX_STACK_FRAMES, type ConnId } from '../protocol/events';
import type { WireEvent } from '../protocol/messages';
import { utf8Length } from '../protocol/utf8';
import type { Connection } from '../store/model';
import { classify, type Classified, type LogContext } from './classify';
import { entryEnd, entryStart, entryUrl, initiatorFrames, isWebSocketEntry, messagesOf, responseHeader, stackOf, type HarEntry, type HarMessage } from './har-entry';

/** The store's frame id and hook of network connections (no browser frame has a negative id). */
export const NETWORK_FRAME = -1;
export const NETWORK_HOOK = 'network';

/** A hook connection and an entry opened further apart than this are not the same socket. */
export const MATCH_MS = 3_000;
/** How long an unmatched entry waits for a hook's record before it is shown as a network connection. */
export const GRACE_MS = 1_500;
/** How long after it appeared a network connection may still turn out to be a hook's (then handed back). */
const LATE_MATCH_MS = 30_000;
/** First frames compared to tell two sockets to the same URL apart. */
const COMPARED_FRAMES = 3;

/**
 * One frame as both sides can say it: direction, opcode, payload (text, or base64). `partial`: the panel
 * holds only part of its payload (cut by the hook's limits, or a Blob not read yet): not compared.
 */
export interface FrameKey { out: boolean; binary: boolean; data: string; partial?: boolean }

/** What the merger needs of the hook connections (the store's, read live). */
export interface HookView {
  connections: readonly Connection[];
  /** the first `perWay` frames each way the panel holds of a connection (payload as text or base64) */
  firstFrames(conn: Connection, perWay: number): FrameKey[];
}

export interface MergeResult {
  /** capture events of network connections, in order (hook NETWORK_HOOK, frame NETWORK_FRAME) */
  events: WireEvent[];
  /** ids of network connections a hook record turned out to have: drop them */
  replaced: ConnId[];
}

interface Tracked {
  decision: 'pending' | 'hook' | 'network';
  firstSeen: number;
  cls: Classified;
  /** the hook connection this entry is (its key) */
  hookKey?: string;
  /** network connection: id, next seq, messages taken, opened, closed */
  id?: ConnId;
  seq: number;
  taken: number;
  opened: boolean;
  closed: boolean;
  /** DevTools said it finished (when): closed once it is shown (it may finish while it waits for a hook's record) */
  finished: boolean;
  finishedAt: number;
}

const frameOf = (m: HarMessage): FrameKey | undefined =>
  (m.opcode === 1 || m.opcode === 2) && (m.type === 'send' || m.type === 'receive') && typeof m.data === 'string'
    ? { out: m.type === 'send', binary: m.opcode === 2, data: m.data } : undefined;

export class HarMerger {
  private readonly tracked = new Map<string, Tracked>();
  /** hook connections an entry is already known to be */
  private readonly claimed = new Set<string>();
  /** sockets DevTools said finished before a poll listed them (a short-lived socket), by URL and start */
  private readonly finishedEarly = new Map<string, number>();
  private counter = 0;

  /** `ownScripts`: the URL prefix of this extension's scripts (the hook's frames), e.g. chrome-extension://<id>/ */
  constructor(private readonly ownScripts: string) {}

  /** Take one poll of the log. `now` in epoch ms. */
  update(entries: readonly HarEntry[], hooks: HookView, ctx: LogContext, now: number): MergeResult {
    const out: MergeResult = { events: [], replaced: [] };
    const seen = new Set<string>();
    const ordinal = new Map<string, number>();
    for (const e of entries) {
      if (!isWebSocketEntry(e)) continue;
      const base = `${entryUrl(e)}|${e.startedDateTime ?? ''}`;
      const n = ordinal.get(base) ?? 0;
      ordinal.set(base, n + 1);
      const key = `${base}|${n}`;
      seen.add(key);
      let t = this.tracked.get(key);
      if (!t) {
        t = { decision: 'pending', firstSeen: now, cls: classify(e, this.ownScripts, ctx), seq: 0, taken: 0, opened: false, closed: false, finished: false, finishedAt: 0 };
        this.tracked.set(key, t);
        const early = this.finishedEarly.get(base);
        if (early !== undefined) {
          t.finished = true;
          t.finishedAt = early;
          this.finishedEarly.delete(base);
        }
      } else if (t.decision === 'pending') {
        // what the page says about its scripts (its service workers) may have arrived since
        t.cls = classify(e, this.ownScripts, ctx);
      }
      const end = t.finished ? undefined : entryEnd(e);
      if (end !== undefined) {
        t.finished = true;
        t.finishedAt = end;
      }
      this.step(t, e, hooks, now, out);
    }
    // entries gone from the log (a navigation cleared it) never come back
    for (const key of this.tracked.keys()) if (!seen.has(key)) this.tracked.delete(key);
    return out;
  }

  /** DevTools says this socket finished (`onRequestFinished`): take its last messages and mark it closed. */
  finished(e: HarEntry, hooks: HookView, _ctx: LogContext, now: number): MergeResult {
    const out: MergeResult = { events: [], replaced: [] };
    const base = `${entryUrl(e)}|${e.startedDateTime ?? ''}`;
    // the first of its kind not yet finished (two sockets to one URL in one millisecond are rare)
    let listed = false;
    for (const [key, t] of this.tracked) {
      if (!key.startsWith(`${base}|`)) continue;
      listed = true;
      if (t.finished) continue;
      t.finished = true;
      t.finishedAt = now;
      this.step(t, e, hooks, now, out);
      return out;
    }
    // not polled yet: the next poll that lists it knows it is over (a listed one a poll already saw finish is done)
    if (!listed && this.finishedEarly.size < 1000) this.finishedEarly.set(base, now);
    return out;
  }

  private step(t: Tracked, e: HarEntry, hooks: HookView, now: number, out: MergeResult): void {
    if (t.decision === 'hook') {
      // the hook made it but its record had not arrived: claim it once it has, so no other entry takes it
      if (!t.hookKey && now - t.firstSeen < LATE_MATCH_MS) {
        const match = this.matchHook(e, hooks);
        if (match) { t.hookKey = match.key; this.claimed.add(match.key); }
      }
      return;
    }
    if (t.decision === 'pending') {
      const match = this.matchHook(e, hooks);
      if (match) t.hookKey = match.key;
      if (t.cls.byHook || match) {
        t.decision = 'hook';
        if (match) this.claimed.add(match.key);
        return;
      }
      if (now - t.firstSeen < GRACE_MS) return;
      t.decision = 'network';
      t.id = `${NETWORK_HOOK}.${this.counter++}`;
      this.created(t, e, out);
    } else if (now - t.firstSeen < LATE_MATCH_MS) {
      const match = this.matchHook(e, hooks);
      if (match) {
        t.decision = 'hook';
        this.claimed.add(match.key);
        out.replaced.push(t.id!);
        return;
      }
    }
    this.newMessages(t, e, out);
  }

  private created(t: Tracked, e: HarEntry, out: MergeResult): void {
    const url = entryUrl(e);
    const start = entryStart(e);
    const first = messagesOf(e)[0];
    const at = Number.isFinite(start) ? start : first ? first.time * 1000 : Date.now();
    const stack = stackOf(initiatorFrames(e), MAX_STACK_FRAMES);
    out.events.push({
      k: 'created', c: t.id!, seq: t.seq++, t: at, url, resolvedUrl: url, frameUrl: t.cls.script,
      ...(stack.length ? { stack } : {}), source: t.cls.source, network: true,
    });
  }

  private newMessages(t: Tracked, e: HarEntry, out: MergeResult): void {
    const id = t.id!;
    const status = typeof e.response?.status === 'number' ? e.response.status : 0;
    const start = entryStart(e);
    if (!t.opened && status === 101) {
      t.opened = true;
      const wait = typeof e.timings?.wait === 'number' && e.timings.wait >= 0 ? e.timings.wait : 0;
      const at = (Number.isFinite(start) ? start : Date.now()) + wait;
      out.events.push({ k: 'state', c: id, seq: t.seq++, t: at, state: 1, via: 'open' });
      out.events.push({
        k: 'open', c: id, seq: t.seq++, t: at,
        protocol: responseHeader(e, 'Sec-WebSocket-Protocol') ?? '', extensions: responseHeader(e, 'Sec-WebSocket-Extensions') ?? '', binaryType: '',
      });
    } else if (!t.opened && !t.closed && status >= 200) {
      // the handshake was refused (404, 403 …): never open
      t.closed = true;
      out.events.push({ k: 'error', c: id, seq: t.seq++, t: Number.isFinite(start) ? start : Date.now(), state: 0 });
      out.events.push({ k: 'state', c: id, seq: t.seq++, t: Number.isFinite(start) ? start : Date.now(), state: 3, via: 'error' });
    }
    const msgs = messagesOf(e);
    for (let i = t.taken; i < msgs.length; i++) {
      const m = msgs[i]!;
      const f = frameOf(m);
      if (!f) continue; // control frames or errors some versions add: counted as taken, not frames
      const binary = f.binary;
      let size: number;
      try { size = binary ? base64Length(f.data) : utf8Length(f.data); } catch { size = 0; }
      out.events.push({
        k: 'frame', c: id, seq: t.seq++, t: typeof m.time === 'number' ? m.time * 1000 : Date.now(),
        dir: f.out ? 'out' : 'in', kind: binary ? 'binary' : 'text', as: binary ? 'ArrayBuffer' : 'string', size,
        data: binary ? { b64: f.data } : f.data,
      });
    }
    t.taken = Math.max(t.taken, msgs.length);
    if (t.finished && !t.closed) {
      t.closed = true;
      out.events.push({ k: 'state', c: id, seq: t.seq++, t: Math.max(t.finishedAt, lastTime(msgs) ?? 0), state: 3, via: 'close' });
    }
  }

  /** The hook connection this entry is, if any: same URL, opened within MATCH_MS, the same first frames. */
  private matchHook(e: HarEntry, hooks: HookView): Connection | undefined {
    const url = entryUrl(e);
    const start = entryStart(e);
    const msgs = messagesOf(e);
    const mine = firstOfEachWay(msgs.length, (i) => frameOf(msgs[i]!), COMPARED_FRAMES);
    let best: Connection | undefined, bestGap = Infinity;
    for (const c of hooks.connections) {
      if (c.network || c.imported || c.resolvedUrl !== url || this.claimed.has(c.key)) continue;
      const gap = Number.isFinite(start) ? Math.abs(c.createdAt - start) : 0;
      if (gap > MATCH_MS || gap >= bestGap) continue;
      if (!sameFirstFrames(mine, hooks.firstFrames(c, COMPARED_FRAMES))) continue;
      best = c;
      bestGap = gap;
    }
    return best;
  }
}

/**
 * Do two sockets' first frames agree, each direction on its own (a send and a receive close together may
 * be logged in either order)? Frames one side lacks (not yet arrived, not recorded) are not compared.
 */
export function sameFirstFrames(a: readonly FrameKey[], b: readonly FrameKey[]): boolean {
  for (const out of [true, false]) {
    const x = a.filter((f) => f.out === out).slice(0, COMPARED_FRAMES);
    const y = b.filter((f) => f.out === out).slice(0, COMPARED_FRAMES);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i]!.binary !== y[i]!.binary) return false;
      if (!x[i]!.partial && !y[i]!.partial && x[i]!.data !== y[i]!.data) return false;
    }
  }
  return true;
}

/** The first `perWay` frames each way of `count` items, scanning no further than needed (a log may hold 100,000). */
export function firstOfEachWay(count: number, keyAt: (i: number) => FrameKey | undefined, perWay: number): FrameKey[] {
  const out: FrameKey[] = [];
  let sent = 0, received = 0;
  for (let i = 0; i < count && (sent < perWay || received < perWay); i++) {
    const f = keyAt(i);
    if (!f) continue;
    if (f.out ? sent++ < perWay : received++ < perWay) out.push(f);
  }
  return out;
}

/** When the last message of a log entry went, epoch ms. */
const lastTime = (msgs: readonly HarMessage[]): number | undefined => {
  const m = msgs[msgs.length - 1];
  return m && typeof m.time === 'number' ? m.time * 1000 : undefined;
};
