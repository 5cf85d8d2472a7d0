/**
 * Turns what happens to each WebSocket into capture records.
 *
 * The patch (patch.ts) calls in here around the page's constructor, send and
 * close calls; the hook's own listeners (registered at construction, before any
 * of the page's) report open/message/error/close. The recorder only reads —
 * through native getters — and never changes what the page sees. Every entry
 * point is called inside `guard`, so a bug here cannot throw into the page.
 *
 * Messages (and Blob payloads, bufferedAmount samples) are written as rows of
 * the FrameLog, by index: the hot path allocates nothing. Lifecycle events
 * (created, open, close …) are objects, a few per socket.
 */
import { DATA_TYPES, FLAG, NONE, type LifecycleEvent } from '../protocol/batch';
import type { ConnId, DataType, ReadyStateValue, SimulatedClose, SocketSource, StackFrame } from '../protocol/events';
import { blobSize, viewOf, type BinaryView } from './bytes';
import { argAt, clip, errorInfo, protocolsOf } from './fields';
import type { FrameLog } from './frame-log';
import type { ConnIntercept, InterceptRecord, Interceptor } from './intercept/interceptor';
import { LiveSockets } from './live-sockets';
import type { Natives } from './natives';

export interface RecorderOptions {
  hookId: string;
  /** text bytes kept per message (strings are kept by reference, not copied); the rest is cut, marked truncated */
  maxFrameBytes: number;
  /** binary bytes copied per message (the page may reuse or transfer its buffers, so they must be copied) */
  maxBinaryBytes: number;
  /** how often bufferedAmount is sampled while the send buffer drains */
  bufferedSampleMs: number;
  /** where messages, payloads and samples are written */
  log: FrameLog;
  /** a row was written to the log */
  wrote: () => void;
  /** a lifecycle event happened */
  lifecycle: (e: LifecycleEvent) => void;
  /** the first socket of this document exists (the relay may now connect) */
  onFirstSocket: () => void;
  /** a socket was created (DevTools actions keep a weak reference to find it by id) */
  onSocket: (id: ConnId, ws: WebSocket) => void;
  /** DevTools simulates this socket's close: the real close event was stopped, show the page the simulated one */
  onSimulatedClose: (ws: WebSocket, sim: SimulatedClose) => void;
  /** the hook caught an error of its own (about this connection number, if known): counted and shown, never silent */
  failed: (conn?: number) => void;
  /** the page's stack at `new WebSocket` (call-site.ts), recorded with `created` */
  creationStack?: () => StackFrame[] | undefined;
  /** the next connection number, when other sockets share this hook's numbering (stream-socket.ts) */
  nextConn?: () => number;
  /** opt-in: the page's stack at a send() when it moved since this socket's last (send-sites.ts) */
  sendSite?: (ws: WebSocket) => StackFrame[] | undefined;
  /** where this hook runs when not in a window (a deep-captured worker), recorded with `created` */
  source?: SocketSource;
}

/** Marks what DevTools (this extension) did, as opposed to the page. */
type ByDevtools = 'devtools' | undefined;

/**
 * One socket as the recorder tracks it (actions.ts passes it back to record DevTools' acts). Every field
 * is set when it is made: reading a field a record lacks would look it up on Object.prototype, where a
 * page may have put a getter.
 */
export interface RecordedConn {
  id: ConnId;
  /** its number in this hook (rows carry it; the id is `${hookId}.${n}`) */
  n: number;
  /** the socket's resolved URL (interception rules match it) */
  url: string;
  /** what interception does to its messages; undefined (the common case): nothing */
  icpt: ConnIntercept | undefined;
  seq: number;
  ws: WebSocket;
  /** last readyState the hook recorded */
  state: ReadyStateValue;
  /** the page called close() while the socket was not yet closing */
  pageClosed: boolean;
  /** DevTools called close() while the socket was not yet closing, maybe to simulate a close */
  devtoolsClose: { simulate: SimulatedClose | undefined } | undefined;
  sampling: boolean;
  lastBuffered: number;
  /** the hook's message listener of this socket, and whether it is registered (lightweight mode turns it off) */
  onMessage: ((ev: globalThis.Event) => void) | undefined;
  listening: boolean;
  /** links of the live-socket list (live-sockets.ts) */
  prevLive: Conn | null | undefined;
  nextLive: Conn | null | undefined;
}

type Conn = RecordedConn;
// Distributes over the union, so each member keeps its own fields.
type Body<E> = E extends LifecycleEvent ? Omit<E, 'c' | 'seq' | 't'> : never;

/** DATA_TYPES index by name, without a prototype (made when the hook starts, before page scripts). */
// eslint-disable-next-line wsi/no-page-builtins -- runs once at document_start, before any page script
const AS: Record<string, number> = Object.create(null) as Record<string, number>;
for (let i = 0; i < DATA_TYPES.length; i++) AS[DATA_TYPES[i]!] = i;
const AS_STRING = AS.string!;
const AS_COERCED = AS.coerced!;
const AS_BLOB = AS.Blob!;
const AS_ARRAYBUFFER = AS.ArrayBuffer!;

export class Recorder {
  private readonly conns: WeakMap<WebSocket, Conn>;
  private counter = 0;
  /** synthetic events the hook itself dispatched for DevTools (injected messages): traffic, unlike the page's */
  private readonly devtoolsEvents: WeakSet<globalThis.Event>;
  /** synthetic events an interception rule dispatched as an answer: traffic too, marked as the rule's */
  private readonly ruleEvents: WeakSet<globalThis.Event>;
  /** interception (set once at start; it needs the recorder to record) */
  private interceptor: Interceptor | undefined;
  /** messages are recorded (false in lightweight mode while no panel is attached) */
  private framesOn = true;
  /** sockets not yet closed (lightweight mode switches their message listeners) */
  private readonly live = new LiveSockets<Conn>();
  private readonly log: FrameLog;
  /** a deep-captured worker's hook (read once, own only: a page's getter on Object.prototype never sees it asked) */
  private readonly source: SocketSource | undefined;

  constructor(private readonly natives: Natives, private readonly options: RecorderOptions) {
    const n = natives;
    this.source = n.hasOwn(options, 'source') ? options.source : undefined;
    this.conns = new n.WeakMap();
    this.devtoolsEvents = new n.WeakSet();
    this.ruleEvents = new n.WeakSet();
    this.log = options.log;
  }

  setInterceptor(i: Interceptor): void {
    this.interceptor = i;
  }

  /** Every socket not yet closed (interception gives each its config). */
  forEachLive(fn: (c: Conn) => void): void {
    this.live.forEach(fn);
  }

  /** What interception did to a message. */
  intercepted(conn: Conn, body: InterceptRecord): void {
    this.record(conn, { k: 'intercept', ...body });
  }

  /** An event an interception rule dispatches as its answer: a received message by that rule. */
  markRuleAnswer(ev: globalThis.Event): void {
    this.natives.weakSetAdd(this.ruleEvents, ev);
  }

  /** Count an error the hook caught in itself (in catch blocks only; never throws). */
  failed(conn?: Conn): void {
    this.options.failed(conn ? conn.n : undefined);
  }

  now(): number {
    return this.natives.timeOrigin + this.natives.now();
  }

  private newConn(ws: WebSocket | undefined): Conn {
    const n = this.options.nextConn ? this.options.nextConn() : this.counter;
    this.counter++;
    return {
      id: `${this.options.hookId}.${n}`, n, url: '', icpt: undefined, seq: 0, ws: ws as WebSocket, state: 0, pageClosed: false, devtoolsClose: undefined,
      sampling: false, lastBuffered: 0, onMessage: undefined, listening: false, prevLive: undefined, nextLive: undefined,
    };
  }

  private record(conn: Conn, body: Body<LifecycleEvent>): void {
    this.options.lifecycle({ c: conn.id, seq: conn.seq++, t: this.now(), ...body } as LifecycleEvent);
  }

  /** Write a row: a message, a Blob's payload or a sample. Returns its seq. */
  private row(conn: Conn, flags: number, as: number, size: number, aux: number, data: string | ArrayBuffer | undefined): number {
    const seq = conn.seq++;
    this.log.add(conn.n, seq, this.now(), flags, as, size, aux, data);
    this.options.wrote();
    return seq;
  }

  /** Write a binary message's row: its bytes (at most maxBinaryBytes) copied once, into the log's ring. */
  private bytesRow(conn: Conn, flags: number, as: number, view: BinaryView, aux: number): number {
    const seq = conn.seq++;
    this.log.addView(conn.n, seq, this.now(), flags | FLAG.binary, as, aux, view, this.options.maxBinaryBytes);
    this.options.wrote();
    return seq;
  }

  private setState(conn: Conn, state: ReadyStateValue, via: 'open' | 'close-call' | 'devtools-close' | 'close' | 'error'): void {
    if (conn.state === state) return;
    conn.state = state;
    this.record(conn, { k: 'state', state, via });
  }

  // ---------- constructor ----------

  created(ws: WebSocket, args: ArrayLike<unknown>, subclass: string | undefined): void {
    const conn = this.newConn(ws);
    this.natives.weakMapSet(this.conns, ws, conn);
    const resolvedUrl = clip(this.natives, this.natives.url(ws));
    conn.url = resolvedUrl;
    const url = argAt(args, 0);
    // the page's protocols list may be a Proxy whose traps throw: the socket is still captured, the failure counted
    let unread = false;
    let protocols: string | string[] | undefined;
    try { protocols = protocolsOf(this.natives, argAt(args, 1)); } catch { unread = true; }
    let stack: StackFrame[] | undefined;
    try { stack = this.options.creationStack?.(); } catch { unread = true; }
    this.record(conn, {
      k: 'created', url: typeof url === 'string' ? clip(this.natives, url) : resolvedUrl, resolvedUrl,
      protocols, frameUrl: clip(this.natives, this.natives.location.href),
      ...(subclass ? { subclass: clip(this.natives, subclass) } : {}), ...(stack ? { stack } : {}),
      ...(this.source ? { source: this.source } : {}),
    });
    // Listeners of this socket only: the message path (hot: every frame) needs no lookup, no type switch.
    const onMessage = (ev: globalThis.Event) => {
      try { this.onMessage(conn, ev as MessageEvent); } catch { this.failed(conn); }
    };
    const onLifecycle = (ev: globalThis.Event) => {
      try { this.onLifecycle(conn, ev); } catch { this.failed(conn); }
    };
    conn.onMessage = onMessage;
    // lifecycle first: its close listener must stay the socket's first (simulated closes stop the real event)
    this.natives.addEventListener(ws, 'open', onLifecycle);
    this.natives.addEventListener(ws, 'error', onLifecycle);
    this.natives.addEventListener(ws, 'close', onLifecycle);
    // a message listener costs every message a dispatch: lightweight mode registers it only while a panel is attached
    if (this.framesOn) { this.natives.addEventListener(ws, 'message', onMessage); conn.listening = true; }
    else this.record(conn, { k: 'recording', frames: false });
    this.live.add(conn);
    this.interceptor?.attach(conn);
    this.options.onSocket(conn.id, ws);
    if (this.counter === 1) this.options.onFirstSocket();
    if (unread) this.failed(conn);
  }

  constructError(args: ArrayLike<unknown>, err: unknown): void {
    const conn = this.newConn(undefined);
    const url = argAt(args, 0);
    this.record(conn, {
      k: 'construct-error', url: typeof url === 'string' ? clip(this.natives, url) : `(${typeof url})`,
      protocols: this.protocolsOrNone(args), frameUrl: clip(this.natives, this.natives.location.href), error: errorInfo(this.natives, err),
    });
    if (this.counter === 1) this.options.onFirstSocket();
  }

  /** The protocols argument as recorded; undefined (and an error counted) when reading it throws. */
  private protocolsOrNone(args: ArrayLike<unknown>): string | string[] | undefined {
    try { return protocolsOf(this.natives, argAt(args, 1)); } catch { this.failed(); return undefined; }
  }

  // ---------- send ----------

  /** The connection a send/close call is about, or undefined (not a socket we saw). */
  connOf(ws: unknown): Conn | undefined {
    return typeof ws === 'object' && ws !== null ? this.natives.weakMapGet(this.conns, ws as WebSocket) : undefined;
  }

  /**
   * Does send() convert this value to text? Strings are text already; Symbols make the native throw;
   * ArrayBuffers, views, Blobs and shared memory go to the native as they are (it sends them, or refuses
   * shared memory). Everything else — numbers, null, objects with a toString — is converted, once, by
   * the patch, so the log holds the exact text.
   */
  needsText(data: unknown): boolean {
    const t = typeof data;
    if (t === 'string' || t === 'symbol') return false;
    if (t !== 'object' || data === null) return true;
    return !viewOf(this.natives, data) && blobSize(this.natives, data) < 0 && !this.natives.isSharedBuffer(data);
  }

  /**
   * A send() went out: the page's (through the patch), or DevTools' (`by`, through the native send).
   * Returns the message's seq.
   */
  sent(conn: Conn, data: unknown, original: unknown, stateBefore: number, by?: ByDevtools): number {
    if (!by && this.options.sendSite) {
      let site: StackFrame[] | undefined;
      try { site = this.options.sendSite(conn.ws); } catch { this.failed(conn); }
      if (site) this.record(conn, { k: 'send-site', stack: site });
    }
    const buffered = this.natives.bufferedAmount(conn.ws);
    const aux = buffered < NONE ? buffered : NONE - 1;
    const flags = FLAG.out | (stateBefore >= 2 ? FLAG.notSent : 0) | (by ? FLAG.devtools : 0);
    let seq: number;
    if (typeof data === 'string') {
      seq = this.text(conn, flags, typeof original === 'string' ? AS_STRING : AS_COERCED, data, aux);
    } else {
      const view = viewOf(this.natives, data);
      if (view) {
        seq = this.bytesRow(conn, flags, AS[view.as] ?? AS_ARRAYBUFFER, view, aux);
      } else {
        const size = blobSize(this.natives, data);
        seq = this.row(conn, flags | FLAG.binary | FLAG.noData, AS_BLOB, size, aux, undefined);
        this.readBlob(conn, seq, data as Blob, size);
      }
    }
    if (buffered > 0) this.sampleBuffered(conn, buffered);
    return seq;
  }

  /** A text message: kept whole by reference (its size measured by the panel), or cut to maxFrameBytes. */
  private text(conn: Conn, flags: number, as: number, s: string, aux: number): number {
    const seq = conn.seq++;
    this.log.addText(conn.n, seq, this.now(), flags, as, aux, s, this.options.maxFrameBytes);
    this.options.wrote();
    return seq;
  }

  /** Blob bytes arrive later: a payload row points back at the message by its seq. */
  private readBlob(conn: Conn, of: number, blob: Blob, size: number): void {
    const max = this.options.maxBinaryBytes;
    const part = size > max ? this.natives.blobSlice(blob, 0, max) : blob;
    this.natives.readBlob(part, (buf) => {
      try {
        this.row(conn, FLAG.payload | FLAG.binary | (size > max ? FLAG.truncated : 0), AS_BLOB, size, of, buf);
      } catch { this.failed(conn); }
    }, () => this.failed(conn)); // unreadable Blob: the message keeps its size, without bytes
  }

  /** Sample bufferedAmount on a timer until the send buffer has drained. */
  private sampleBuffered(conn: Conn, amount: number): void {
    conn.lastBuffered = amount;
    if (conn.sampling) return;
    conn.sampling = true;
    const tick = () => {
      try {
        const now = this.natives.bufferedAmount(conn.ws);
        if (now !== conn.lastBuffered) this.row(conn, FLAG.sample, 0, 0, now < NONE ? now : NONE - 1, undefined);
        conn.lastBuffered = now;
        // a closed socket never drains (bytes sent after close stay counted): stop there
        if (now === 0 || this.natives.readyState(conn.ws) === 3) conn.sampling = false;
        else this.natives.setTimeout(tick, this.options.bufferedSampleMs);
      } catch {
        conn.sampling = false;
        this.failed(conn);
      }
    };
    this.natives.setTimeout(tick, this.options.bufferedSampleMs);
  }

  // ---------- close ----------

  /** close() was called: by the page (through the patch), or by DevTools (`by`, the native close). */
  closed(conn: Conn, args: ArrayLike<unknown>, stateBefore: number, by?: ByDevtools): void {
    const first = argAt(args, 0);
    const second = argAt(args, 1);
    const code = typeof first === 'number' ? { code: first } : {};
    const reason = typeof second === 'string' ? { reason: clip(this.natives, second) } : {};
    this.record(conn, { k: 'close-call', ...code, ...reason, ...(by ? { by } : {}) });
    if (stateBefore < 2) {
      if (by) conn.devtoolsClose ??= { simulate: undefined };
      else conn.pageClosed = true;
    }
    this.setState(conn, this.natives.readyState(conn.ws) as ReadyStateValue, by ? 'devtools-close' : 'close-call');
  }

  /** DevTools is about to close this socket to simulate a close: the page will see `sim`, not the real event. */
  simulateClose(conn: Conn, sim: SimulatedClose): void {
    conn.devtoolsClose = { simulate: sim };
  }

  /** An event the hook dispatches for DevTools (an injected message): record it as traffic by DevTools. */
  markDevtoolsEvent(ev: globalThis.Event): void {
    this.natives.weakSetAdd(this.devtoolsEvents, ev);
  }

  apiError(conn: Conn, method: 'send' | 'close', err: unknown): void {
    this.record(conn, { k: 'api-error', method, error: errorInfo(this.natives, err) });
  }

  // ---------- events ----------

  /** Events the page dispatches itself are not traffic; those the hook dispatched for DevTools are. */
  private origin(ev: globalThis.Event): 'page' | 'devtools' | undefined {
    if (this.natives.eventIsTrusted(ev)) return 'page';
    return this.natives.weakSetHas(this.devtoolsEvents, ev) ? 'devtools' : undefined;
  }

  private onMessage(conn: Conn, ev: MessageEvent): void {
    if (this.natives.eventIsTrusted(ev)) {
      const data = this.natives.messageData(ev);
      const seq = this.received(conn, data, undefined);
      // interception: decided now; a message it takes reaches the page later (or never)
      if (conn.icpt !== undefined && seq >= 0) this.interceptor!.received(conn, ev, data as string | ArrayBuffer | Blob, seq);
    } else if (this.natives.weakSetHas(this.devtoolsEvents, ev)) this.received(conn, this.natives.messageData(ev), 'devtools');
    else if (this.natives.weakSetHas(this.ruleEvents, ev)) this.received(conn, this.natives.messageData(ev), 'rule');
  }

  private onLifecycle(conn: Conn, ev: globalThis.Event): void {
    const n = this.natives;
    if (!this.origin(ev)) return;
    switch (n.eventType(ev)) {
      case 'open':
        this.setState(conn, 1, 'open');
        this.record(conn, {
          k: 'open', protocol: clip(n, n.protocol(conn.ws)), extensions: clip(n, n.extensions(conn.ws)), binaryType: n.binaryType(conn.ws),
        });
        return;
      case 'error':
        this.record(conn, { k: 'error', state: n.readyState(conn.ws) as ReadyStateValue });
        // behind received messages interception holds, it reaches the page after them
        if (conn.icpt !== undefined) this.interceptor!.deferEvent(conn, ev);
        return;
      case 'close': {
        const ce = ev as globalThis.CloseEvent;
        const code = n.closeCode(ce);
        const wasClean = n.closeWasClean(ce);
        const dt = conn.devtoolsClose;
        const initiator = dt ? 'devtools' : conn.pageClosed ? 'page' : wasClean && code !== 1006 ? 'server' : 'network';
        // a simulated close: this real event goes no further (the hook's listener is the socket's first)
        const simulated = dt ? dt.simulate : undefined;
        if (simulated) n.stopImmediatePropagation(ev);
        this.setState(conn, 3, 'close');
        this.live.remove(conn);
        this.record(conn, { k: 'close', code, reason: clip(n, n.closeReason(ce)), wasClean, initiator, ...(simulated ? { simulated } : {}) });
        if (simulated) this.options.onSimulatedClose(conn.ws, simulated);
        else if (conn.icpt !== undefined) this.interceptor!.deferEvent(conn, ev);
      }
    }
  }

  // ---------- lightweight mode ----------

  /**
   * Record messages (on) or not (off) from now on, on every socket not yet
   * closed and on new ones: each socket records the switch, so the panel shows
   * where messages were not recorded. Turning on registers the message listener
   * after the page's own (a page listener that stops propagation hides those
   * messages from the hook).
   */
  setFrames(on: boolean): void {
    if (on === this.framesOn) return;
    this.framesOn = on;
    this.live.forEach((c) => {
      if (c.listening === on || !c.onMessage) return;
      if (on) this.natives.addEventListener(c.ws, 'message', c.onMessage);
      else this.natives.removeEventListener(c.ws, 'message', c.onMessage);
      c.listening = on;
      this.record(c, { k: 'recording', frames: on });
    });
  }

  /** A message arrived (or DevTools or a rule injected one). Returns its seq (-1: not a message). */
  private received(conn: Conn, data: unknown, by: ByDevtools | 'rule'): number {
    const flags = by === 'devtools' ? FLAG.devtools : by === 'rule' ? FLAG.rule : 0;
    if (typeof data === 'string') {
      // the hot path: a short text is one row, kept by reference, measured by the panel
      if (data.length * 3 <= this.options.maxFrameBytes) return this.row(conn, flags, AS_STRING, NONE, NONE, data);
      return this.text(conn, flags, AS_STRING, data, NONE);
    }
    const view = viewOf(this.natives, data);
    if (view) return this.bytesRow(conn, flags, AS_ARRAYBUFFER, view, NONE);
    const size = blobSize(this.natives, data);
    if (size < 0) return -1;
    const seq = this.row(conn, flags | FLAG.binary | FLAG.noData, AS_BLOB, size, NONE, undefined);
    this.readBlob(conn, seq, data as Blob, size);
    return seq;
  }
}

export type { DataType };
