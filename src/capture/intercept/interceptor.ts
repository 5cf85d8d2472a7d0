/**
 * Interception in the page: breakpoints hold messages, rules act on them,
 * synchronously, as they are sent or arrive (protocol/intercept.ts).
 *
 * Each socket with something to do gets `conn.icpt`; without a config it is
 * undefined and the hook's paths do what they do without interception. Per
 * socket and direction, a FIFO queue keeps order: a held (or delayed) message
 * holds the later ones behind it; `send()` still returns at once; a page
 * `close()` waits behind them; received messages, and the close and error
 * events after them, reach the page's listeners later, in their order, as
 * events the hook dispatches (isTrusted false: browsers do not let scripts
 * make trusted events). Keep-alives of the socket's protocol pass, unless the
 * user includes them.
 *
 * It fails open: everything held goes on, in order and as it was, when the
 * config goes (or a direction's breakpoint), the panel detaches, the page is
 * hidden, or a breakpoint's timeout fires (with the action the user chose).
 * Every act is recorded (`intercept` events) against the message's row.
 */
import type { Condition, InterceptCause, InterceptConfig, InterceptOutcome, Rule, TextMatch } from '../../protocol/intercept';
import type { RecordedConn } from '../recorder';
import { onlyItem } from '../iterable';
import type { Natives } from '../natives';
import { compileCondition, compileText, type Test, type TextTest } from './condition';
import { isKeepAlive } from './keep-alive';
import { viewOf, type MessageView, type Payload } from './message';
import { fillTemplate, replaceText, setJsonField } from './rewrite';

type Dir = 'out' | 'in';

/** What waits in a queue: a message, or (received) a close or error event, or (sent) the page's close(). */
interface Item {
  kind: 'message' | 'event' | 'close-call';
  dir: Dir;
  /** the message's seq (its row) */
  seq: number;
  payload: Payload;
  edited: boolean;
  /** 0: not held by a breakpoint (waiting behind one, or delayed) */
  hold: number;
  /** a held item's decision, once made */
  decided: 'forward' | 'drop' | undefined;
  /** a delayed item goes at this time (performance.now) */
  notBefore: number;
  /** a close rule closes the socket after it */
  closeAfter: { code: number; reason: string } | undefined;
  /** received: the event it came in (its origin), or the close/error event to dispatch again */
  event: Event | undefined;
  /** sent close(): the page's arguments */
  args: ArrayLike<unknown> | undefined;
}

interface CompiledRule { rule: Rule; test: Test; text: TextTest | undefined }

interface Direction {
  rules: CompiledRule[];
  /** the breakpoint's test, if one holds this socket's messages this way */
  hold: Test | undefined;
  queue: Item[];
  head: number;
  /** a timer is set for the queue's first delayed item */
  timed: boolean;
}

/** A socket's interception (`RecordedConn.icpt`). */
export interface ConnIntercept {
  out: Direction | undefined;
  in: Direction | undefined;
  protocol: string | undefined;
}

export interface InterceptorDeps {
  /** record what interception did to a message */
  record: (conn: RecordedConn, body: InterceptRecord) => void;
  /** every socket not yet closed */
  forEachLive: (fn: (c: RecordedConn) => void) => void;
  /** an event the hook dispatches as a rule's answer: recorded as a received message by that rule */
  markRuleAnswer: (ev: Event) => void;
}

export interface InterceptRecord {
  of: number; dir: Dir; outcome: InterceptOutcome; cause: InterceptCause;
  hold?: number; matched?: string; rule?: { id: string; name: string }; data?: string | ArrayBuffer; ms?: number; code?: number; reason?: string;
}

export class Interceptor {
  private config: InterceptConfig | undefined;
  private inScope: Record<string, true> | undefined;
  private compiled: CompiledRule[];
  private nextHold = 1;
  /** bumped when the config changes: a respond rule's pending answer of an older config is not sent */
  private epoch = 0;
  /** events the hook dispatched again (held, delayed, edited): the hook lets them pass */
  private readonly redelivered: WeakSet<Event>;
  private readonly held: Record<number, { conn: RecordedConn; item: Item }>;

  constructor(private readonly natives: Natives, private readonly deps: InterceptorDeps) {
    const n = natives;
    this.compiled = n.list();
    this.redelivered = new n.WeakSet();
    this.held = n.dict();
  }

  // ---------- config ----------

  /** The panel's config (null: off). Directions whose breakpoint went release what they hold. */
  configure(config: InterceptConfig | null): void {
    this.epoch++;
    this.config = config ?? undefined;
    this.inScope = undefined;
    this.compiled = this.natives.list();
    if (config) {
      if (config.scope !== 'all') {
        this.inScope = this.natives.dict();
        for (let i = 0; i < config.scope.length; i++) this.inScope[config.scope[i]!] = true;
      }
      for (let i = 0; i < config.rules.length; i++) {
        const rule = config.rules[i]!;
        if (!rule.enabled) continue;
        const replace = rule.action.type === 'replace' ? rule.action.find : undefined;
        this.compiled[this.compiled.length] = { rule, test: compileCondition(this.natives, rule.match), text: matchGroups(this.natives, rule.match, replace) };
      }
    }
    this.deps.forEachLive((c) => this.attach(c));
  }

  /** Give a socket its interception under the current config (a new socket, or a new config). */
  attach(conn: RecordedConn): void {
    const cfg = this.config;
    const before = conn.icpt;
    if (!cfg) {
      conn.icpt = undefined;
    } else {
      const scoped = this.inScope === undefined || this.inScope[conn.id] === true;
      const dir = (d: Dir, bp: { condition: Condition } | undefined, old: Direction | undefined): Direction | undefined => {
        const rules = this.natives.list<CompiledRule>();
        for (let i = 0; i < this.compiled.length; i++) {
          const r = this.compiled[i]!;
          if (r.rule.direction !== 'both' && r.rule.direction !== (d === 'out' ? 'sent' : 'received')) continue;
          if (r.rule.url && !urlMatches(this.natives, r.rule.url, conn.url)) continue;
          rules[rules.length] = r;
        }
        const hold = scoped && bp ? compileCondition(this.natives, bp.condition) : undefined;
        // a queue with items keeps its direction alive until it drains
        if (rules.length === 0 && !hold && !(old && old.head < old.queue.length)) return undefined;
        return { rules, hold, queue: old ? old.queue : this.natives.list<Item>(), head: old ? old.head : 0, timed: old ? old.timed : false };
      };
      const out = dir('out', cfg.sent, before?.out);
      const inn = dir('in', cfg.received, before?.in);
      conn.icpt = out || inn ? { out, in: inn, protocol: this.natives.hasOwn(cfg.protocols, conn.id) ? cfg.protocols[conn.id] : undefined } : undefined;
    }
    // what no breakpoint holds any more goes on
    const now = conn.icpt;
    if (before?.out && before.out.head < before.out.queue.length && !now?.out?.hold) this.releaseQueue(conn, before.out, 'forward', 'released');
    if (before?.in && before.in.head < before.in.queue.length && !now?.in?.hold) this.releaseQueue(conn, before.in, 'forward', 'released');
  }

  /** Let everything go, in order (the panel went, the page is hidden). */
  failOpen(): void {
    this.configure(null);
  }

  // ---------- sent ----------

  /**
   * The page sent a message on an intercepted socket (already recorded as the row `seq`): go now, or
   * later, or never. Never throws.
   */
  send(conn: RecordedConn, payload: Payload, seq: number): void {
    const d = conn.icpt?.out;
    if (!d) { this.nativeSend(conn, payload); return; }
    const item = this.item('message', 'out', seq, payload);
    const view = this.view(payload);
    if (this.passes(conn, view)) { this.nativeSend(conn, payload); return; }
    if (!this.applyRules(conn, d, item, view)) return;
    // what the breakpoint sees: the message as the rules left it
    this.holdOrQueue(conn, d, item, item.edited ? this.view(item.payload) : view);
  }

  /** The page called close() with messages held before it: it goes after them. True when it waits. */
  closeCall(conn: RecordedConn, args: ArrayLike<unknown>): boolean {
    const d = conn.icpt?.out;
    if (!d || d.head >= d.queue.length) return false;
    const item = this.item('close-call', 'out', -1, '');
    item.args = args;
    this.enqueue(conn, d, item);
    return true;
  }

  // ---------- received ----------

  /**
   * A message arrived on an intercepted socket (recorded as the row `seq`). True when interception took
   * it: the hook stopped the event and the page gets it later (or never).
   */
  received(conn: RecordedConn, ev: Event, payload: Payload, seq: number): boolean {
    const d = conn.icpt?.in;
    if (!d) return false;
    const item = this.item('message', 'in', seq, payload);
    item.event = ev;
    const view = this.view(payload);
    if (this.passes(conn, view)) return false;
    const keep = this.applyRules(conn, d, item, view);
    const waiting = d.head < d.queue.length;
    const hold = keep && this.breakpoint(conn, d, item, view);
    if (keep && !hold && !waiting && !item.edited && item.notBefore === 0 && !item.closeAfter) return false; // untouched: as it came
    this.natives.stopImmediatePropagation(ev);
    if (!keep) return true;
    if (!hold) this.enqueue(conn, d, item);
    return true;
  }

  /** A close or error event of a socket whose received messages are held: it waits behind them. */
  deferEvent(conn: RecordedConn, ev: Event): boolean {
    const d = conn.icpt?.in;
    if (!d || d.head >= d.queue.length) return false;
    this.natives.stopImmediatePropagation(ev);
    const item = this.item('event', 'in', -1, '');
    item.event = ev;
    this.enqueue(conn, d, item);
    return true;
  }

  /** An event the hook dispatched again: the hook lets it pass (it was recorded when it came). */
  isRedelivery(ev: Event): boolean {
    return this.natives.weakSetHas(this.redelivered, ev);
  }

  // ---------- the user's decisions ----------

  release(connId: string, hold: number, action: 'forward' | 'drop', data: string | ArrayBuffer | undefined): boolean {
    const h = this.natives.hasOwn(this.held, hold) ? this.held[hold] : undefined;
    if (!h || h.conn.id !== connId) return false;
    this.decide(h.conn, h.item, action, action === 'forward' && data !== undefined ? data : undefined, 'user');
    return true;
  }

  releaseAll(action: 'forward' | 'drop'): void {
    for (const k in this.held) {
      const h = this.held[k]!;
      this.decide(h.conn, h.item, action, undefined, 'user');
    }
  }

  // ---------- inside ----------

  private item(kind: Item['kind'], dir: Dir, seq: number, payload: Payload): Item {
    return {
      kind, dir, seq, payload, edited: false, hold: 0, decided: undefined, notBefore: 0, closeAfter: undefined, event: undefined, args: undefined,
    };
  }

  private view(payload: Payload): MessageView {
    return viewOf(this.natives, payload, (p) => bytesOf(this.natives, p));
  }

  /** Keep-alives pass interception (and any queue) unless the user includes them. */
  private passes(conn: RecordedConn, view: MessageView): boolean {
    return !this.config?.heartbeats && isKeepAlive(this.natives, conn.icpt?.protocol, view);
  }

  /** Apply the rules in order; false when the message goes no further (dropped, or answered and not forwarded). */
  private applyRules(conn: RecordedConn, d: Direction, item: Item, first: MessageView): boolean {
    let view = first;
    for (let i = 0; i < d.rules.length; i++) {
      const { rule, test, text } = d.rules[i]!;
      if (test(view) === undefined) continue;
      const a = rule.action;
      const by = { id: rule.id, name: rule.name };
      const report = (outcome: InterceptOutcome, more?: Partial<InterceptRecord>) =>
        this.deps.record(conn, { of: item.seq, dir: item.dir, outcome, cause: 'rule', rule: by, ...more });
      switch (a.type) {
        case 'replace':
        case 'replace-json': {
          if (typeof item.payload !== 'string') continue; // text messages only
          const next = a.type === 'replace' ? replaceText(this.natives, item.payload, a.find, a.replace) : setJsonField(this.natives, item.payload, a.path, a.value);
          if (next === undefined || next === item.payload) continue;
          item.payload = next;
          item.edited = true;
          view = this.view(next);
          report('edited', { data: next });
          continue;
        }
        case 'respond': {
          if (item.dir !== 'out') continue;
          const groups = text && view.text() !== undefined ? text(view.text()!) : undefined;
          this.answer(conn, fillTemplate(this.natives, a.body, view, groups as never), a.delayMs);
          report('answered');
          if (a.forward) continue;
          report('dropped');
          return false;
        }
        case 'drop':
          report('dropped');
          return false;
        case 'delay':
          item.notBefore = this.natives.now() + a.ms;
          report('delayed', { ms: a.ms });
          continue;
        case 'close':
          item.closeAfter = { code: a.code, reason: a.reason };
          report('closed', { code: a.code, reason: a.reason });
          continue;
      }
    }
    return true;
  }

  /** Does the direction's breakpoint hold this message? Holds it when it does. */
  private breakpoint(conn: RecordedConn, d: Direction, item: Item, view: MessageView): boolean {
    if (!d.hold) return false;
    const matched = d.hold(view);
    if (matched === undefined) return false;
    item.hold = this.nextHold++;
    this.held[item.hold] = { conn, item };
    this.enqueue(conn, d, item);
    this.deps.record(conn, { of: item.seq, dir: item.dir, outcome: 'held', cause: 'breakpoint', hold: item.hold, matched });
    const timeout = this.config!.timeout;
    const hold = item.hold;
    this.natives.setTimeout(() => {
      try {
        if (this.natives.hasOwn(this.held, hold) && this.held[hold]!.item === item) this.decide(conn, item, timeout.action, undefined, 'timeout');
      } catch { /* never reach the page */ }
    }, timeout.ms);
    return true;
  }

  private holdOrQueue(conn: RecordedConn, d: Direction, item: Item, view: MessageView): void {
    if (this.breakpoint(conn, d, item, view)) return;
    if (d.head < d.queue.length || item.notBefore > 0) { this.enqueue(conn, d, item); return; }
    this.go(conn, item);
  }

  private enqueue(conn: RecordedConn, d: Direction, item: Item): void {
    d.queue[d.queue.length] = item;
    this.drain(conn, d);
  }

  /** A held item's decision: record it, then let the queue go as far as it can. */
  private decide(conn: RecordedConn, item: Item, action: 'forward' | 'drop', data: string | ArrayBuffer | undefined, cause: InterceptCause): void {
    if (item.decided) return;
    item.decided = action;
    delete this.held[item.hold];
    if (data !== undefined) { item.payload = data; item.edited = true; }
    const outcome: InterceptOutcome = action === 'drop' ? 'dropped' : data !== undefined ? 'edited' : 'forwarded';
    this.deps.record(conn, {
      of: item.seq, dir: item.dir, outcome, cause, ...(data !== undefined ? { data } : {}),
    });
    const d = item.dir === 'out' ? conn.icpt?.out : conn.icpt?.in;
    if (d) this.drain(conn, d);
    else this.go(conn, item);
  }

  /** Everything a queue holds goes (or is dropped), in order. */
  private releaseQueue(conn: RecordedConn, d: Direction, action: 'forward' | 'drop', cause: InterceptCause): void {
    for (let i = d.head; i < d.queue.length; i++) {
      const item = d.queue[i]!;
      item.notBefore = 0;
      if (item.hold && !item.decided) {
        item.decided = action;
        delete this.held[item.hold];
        this.deps.record(conn, { of: item.seq, dir: item.dir, outcome: action === 'drop' ? 'dropped' : 'forwarded', cause });
      }
    }
    this.drain(conn, d);
  }

  /** Send or deliver from the front of the queue what may go now; stop at a held or delayed item. */
  private drain(conn: RecordedConn, d: Direction): void {
    while (d.head < d.queue.length) {
      const item = d.queue[d.head]!;
      if (item.hold && !item.decided) return;
      const wait = item.notBefore - this.natives.now();
      if (wait > 0) {
        if (!d.timed) {
          d.timed = true;
          this.natives.setTimeout(() => { d.timed = false; try { this.drain(conn, d); } catch { /* never reach the page */ } }, wait);
        }
        return;
      }
      d.queue[d.head] = undefined as unknown as Item;
      d.head++;
      if (item.decided !== 'drop') this.go(conn, item);
    }
    d.queue = this.natives.list();
    d.head = 0;
  }

  /** Let one item go: to the server, or to the page. */
  private go(conn: RecordedConn, item: Item): void {
    const n = this.natives;
    if (item.kind === 'close-call') {
      try { n.Reflect.apply(n.close, conn.ws, item.args!); } catch { /* the page's close() already returned */ }
      return;
    }
    if (item.kind === 'event') { this.dispatch(conn, copyEvent(n, item.event!)); return; }
    if (item.dir === 'out') this.nativeSend(conn, item.payload);
    else this.deliver(conn, item);
    if (item.closeAfter) {
      try { n.Reflect.apply(n.close, conn.ws, [item.closeAfter.code, item.closeAfter.reason]); } catch { /* a code the browser refuses */ }
    }
  }

  private nativeSend(conn: RecordedConn, payload: Payload): void {
    try { this.natives.sendCall(conn.ws, payload); } catch { /* send() already returned to the page */ }
  }

  /** A received message to the page, as the browser would have delivered it (data typed as it came). */
  private deliver(conn: RecordedConn, item: Item): void {
    const n = this.natives;
    let data: unknown = item.payload;
    if (item.edited && typeof item.payload !== 'string' && n.binaryType(conn.ws) !== 'arraybuffer') data = new n.Blob(onlyItem(item.payload) as unknown as BlobPart[]);
    const origin = item.event ? n.messageOrigin(item.event as MessageEvent) : '';
    this.dispatch(conn, new n.MessageEvent('message', { __proto__: null, data, origin } as MessageEventInit));
  }

  private dispatch(conn: RecordedConn, ev: Event): void {
    this.natives.weakSetAdd(this.redelivered, ev);
    try { this.natives.dispatchEvent(conn.ws, ev); } catch { /* the page's listener threw: its own error */ }
  }

  /** A respond rule's answer, to the page as if the server had sent it, after `delayMs`. */
  private answer(conn: RecordedConn, body: string, delayMs: number): void {
    const epoch = this.epoch;
    const n = this.natives;
    const send = () => {
      if (epoch !== this.epoch || n.readyState(conn.ws) !== 1) return;
      const ev = new n.MessageEvent('message', { __proto__: null, data: body, origin: n.urlOrigin(new n.URL(n.url(conn.ws))) } as MessageEventInit);
      this.deps.markRuleAnswer(ev);
      try { n.dispatchEvent(conn.ws, ev); } catch { /* the page's listener threw */ }
    };
    n.setTimeout(() => { try { send(); } catch { /* never reach the page */ } }, delayMs);
  }
}

/** The rule's match as a text test for `{{$n}}` groups (its regex), or the replace rule's find. */
function matchGroups(n: Natives, match: Condition, find: TextMatch | undefined): TextTest | undefined {
  const t = match.text ?? find;
  return t ? compileText(n, t) : undefined;
}

function urlMatches(n: Natives, m: TextMatch, url: string): boolean {
  return compileText(n, m)(url) !== undefined;
}

/** The bytes of a binary payload (not a Blob: it cannot be read synchronously). */
function bytesOf(n: Natives, p: Payload): Uint8Array | undefined {
  if (typeof p === 'string') return undefined;
  try { return new n.Uint8Array(p as ArrayBuffer, 0, n.arrayBufferByteLength(p)); } catch { /* not an ArrayBuffer */ }
  if (!n.isView(p)) return undefined;
  return new n.Uint8Array(n.typedArrayBuffer(p), n.typedArrayOffset(p), n.typedArrayLength(p));
}

/** A close or error event again, for the page (the original was stopped). */
function copyEvent(n: Natives, ev: Event): Event {
  if (n.eventType(ev) === 'close') {
    const ce = ev as CloseEvent;
    return new n.CloseEvent('close', { __proto__: null, code: n.closeCode(ce), reason: n.closeReason(ce), wasClean: n.closeWasClean(ce) } as CloseEventInit);
  }
  return new n.Event(n.eventType(ev), { __proto__: null } as EventInit);
}
