/**
 * Turns what happens to each WebSocket into capture events.
 *
 * The patch (patch.ts) calls in here around the page's constructor, send and
 * close calls; the hook's own listeners (registered at construction, before any
 * of the page's) report open/message/error/close. The recorder only reads —
 * through native getters — and never changes what the page sees. Every entry
 * point is called inside `guard`, so a bug here cannot throw into the page.
 */
import type { CaptureEvent, ConnId, DataType, ReadyStateValue, SimulatedClose } from '../protocol/events';
import { blobSize, copyView, cutText, utf8Length, viewOf } from './bytes';
import { clip, cut, errorInfo, protocolsOf, SIZE_LATER } from './fields';
import { LiveSockets } from './live-sockets';
import type { Natives } from './natives';

export interface RecorderOptions {
  hookId: string;
  /** text bytes kept per frame (strings are kept by reference, not copied); the rest is cut, marked truncated */
  maxFrameBytes: number;
  /** binary bytes copied per frame (the page may reuse or transfer its buffers, so they must be copied) */
  maxBinaryBytes: number;
  /** how often bufferedAmount is sampled while the send buffer drains */
  bufferedSampleMs: number;
  emit: (e: CaptureEvent<ArrayBuffer>) => void;
  /** the first socket of this document exists (the relay may now connect) */
  onFirstSocket: () => void;
  /** a socket was created (DevTools actions keep a weak reference to find it by id) */
  onSocket?: (id: ConnId, ws: WebSocket) => void;
  /** DevTools simulates this socket's close: the real close event was stopped, show the page the simulated one */
  onSimulatedClose?: (ws: WebSocket, sim: SimulatedClose) => void;
}

/** Marks what DevTools (this extension) did, as opposed to the page. */
type ByDevtools = 'devtools' | undefined;

/** One socket as the recorder tracks it (actions.ts passes it back to record DevTools' acts). */
export interface RecordedConn {
  id: ConnId;
  seq: number;
  ws: WebSocket;
  /** last readyState the hook recorded */
  state: ReadyStateValue;
  /** the page called close() while the socket was not yet closing */
  pageClosed: boolean;
  /** DevTools called close() while the socket was not yet closing, maybe to simulate a close */
  devtoolsClose?: { simulate?: SimulatedClose };
  sampling: boolean;
  lastBuffered: number;
  /** the hook's message listener of this socket, and whether it is registered (lightweight mode turns it off) */
  onMessage?: (ev: globalThis.Event) => void;
  listening?: boolean;
  /** links of the live-socket list (live-sockets.ts) */
  prevLive?: Conn | null;
  nextLive?: Conn | null;
}

type Conn = RecordedConn;
type Event = CaptureEvent<ArrayBuffer>;
// Distributes over the union, so each member keeps its own fields.
type Body<E> = E extends Event ? Omit<E, 'c' | 'seq' | 't'> : never;

export class Recorder {
  private readonly conns: WeakMap<WebSocket, Conn>;
  private counter = 0;
  /** synthetic events the hook itself dispatched for DevTools (injected messages): traffic, unlike the page's */
  private readonly devtoolsEvents: WeakSet<globalThis.Event>;
  /** messages are recorded (false in lightweight mode while no panel is attached) */
  private framesOn = true;
  /** sockets not yet closed (lightweight mode switches their message listeners) */
  private readonly live = new LiveSockets<Conn>();
  constructor(private readonly n: Natives, private readonly o: RecorderOptions) {
    this.conns = new n.WeakMap();
    this.devtoolsEvents = new n.WeakSet();
  }

  now(): number {
    return this.n.timeOrigin + this.n.now();
  }

  private nextId(): ConnId {
    return `${this.o.hookId}.${this.counter++}`;
  }

  private record(conn: Conn, body: Body<Event>): Event {
    const e = { c: conn.id, seq: conn.seq++, t: this.now(), ...body } as Event;
    this.o.emit(e);
    return e;
  }

  private setState(conn: Conn, state: ReadyStateValue, via: 'open' | 'close-call' | 'devtools-close' | 'close' | 'error'): void {
    if (conn.state === state) return;
    conn.state = state;
    this.record(conn, { k: 'state', state, via });
  }

  // ---------- constructor ----------

  created(ws: WebSocket, args: readonly unknown[], subclass: string | undefined): void {
    const conn: Conn = { id: this.nextId(), seq: 0, ws, state: 0, pageClosed: false, sampling: false, lastBuffered: 0 };
    this.conns.set(ws, conn);
    const resolvedUrl = clip(this.n.url(ws));
    this.record(conn, {
      k: 'created', url: typeof args[0] === 'string' ? clip(args[0]) : resolvedUrl, resolvedUrl,
      protocols: protocolsOf(args[1]), frameUrl: clip(this.n.location.href), ...(subclass ? { subclass: clip(subclass) } : {}),
    });
    // Listeners of this socket only: the message path (hot: every frame) needs no lookup, no type switch.
    const onMessage = (ev: globalThis.Event) => {
      try { this.onMessage(conn, ev as MessageEvent); } catch { /* never reach the page */ }
    };
    const onLifecycle = (ev: globalThis.Event) => {
      try { this.onLifecycle(conn, ev); } catch { /* never reach the page */ }
    };
    conn.onMessage = onMessage;
    conn.listening = false;
    // lifecycle first: its close listener must stay the socket's first (simulated closes stop the real event)
    this.n.addEventListener(ws, 'open', onLifecycle);
    this.n.addEventListener(ws, 'error', onLifecycle);
    this.n.addEventListener(ws, 'close', onLifecycle);
    // a message listener costs every message a dispatch: lightweight mode registers it only while a panel is attached
    if (this.framesOn) { this.n.addEventListener(ws, 'message', onMessage); conn.listening = true; }
    else this.record(conn, { k: 'recording', frames: false });
    this.live.add(conn);
    this.o.onSocket?.(conn.id, ws);
    if (this.counter === 1) this.o.onFirstSocket();
  }

  constructError(args: readonly unknown[], err: unknown): void {
    const conn = { id: this.nextId(), seq: 0 } as Conn;
    this.record(conn, {
      k: 'construct-error', url: typeof args[0] === 'string' ? clip(args[0]) : `(${typeof args[0]})`,
      protocols: protocolsOf(args[1]), frameUrl: clip(this.n.location.href), error: errorInfo(err),
    });
    if (this.counter === 1) this.o.onFirstSocket();
  }

  // ---------- send ----------

  /** The connection a send/close call is about, or undefined (not a socket we saw). */
  connOf(ws: unknown): Conn | undefined {
    return typeof ws === 'object' && ws !== null ? this.conns.get(ws as WebSocket) : undefined;
  }

  /**
   * Prepare the argument for the native send: values send() would convert to a
   * string are converted here, once, so the log has the exact text (the page's
   * toString still runs exactly once). Returns what to pass on.
   */
  coerce(data: unknown): unknown {
    if (typeof data === 'string' || typeof data === 'symbol') return data;
    if (typeof data === 'object' && data !== null && (viewOf(this.n, data) || blobSize(this.n, data) >= 0)) return data;
    return `${data as string}`;
  }

  /** A send() went out: the page's (through the patch), or DevTools' (`by`, through the native send). */
  sent(conn: Conn, data: unknown, original: unknown, stateBefore: number, by?: ByDevtools): void {
    const notSent = stateBefore >= 2 ? { notSent: true } : {};
    const mark = by ? { by } : {};
    const buffered = this.n.bufferedAmount(conn.ws);
    if (typeof data === 'string' && !by && stateBefore < 2 && data.length <= this.o.maxFrameBytes / 3) {
      // the hot path of send(): one object of one shape; the size is measured if a panel gets it
      const e: Event = {
        c: conn.id, seq: conn.seq++, t: this.now(), k: 'frame', dir: 'out', kind: 'text',
        as: typeof original === 'string' ? 'string' : 'coerced', size: SIZE_LATER, data, buffered,
      };
      this.o.emit(e);
    } else if (typeof data === 'string') {
      const as: DataType = typeof original === 'string' ? 'string' : 'coerced';
      this.record(conn, { k: 'frame', dir: 'out', ...this.text(data), as, buffered, ...notSent, ...mark });
    } else {
      const view = viewOf(this.n, data);
      if (view) {
        this.record(conn, { k: 'frame', dir: 'out', kind: 'binary', as: view.as, size: view.length,
          data: copyView(this.n, view, this.o.maxBinaryBytes), ...cut(view.length, this.o.maxBinaryBytes), buffered, ...notSent, ...mark });
      } else {
        const size = blobSize(this.n, data);
        const frame = this.record(conn, { k: 'frame', dir: 'out', kind: 'binary', as: 'Blob', size, buffered, ...notSent, ...mark });
        this.readBlob(conn, frame.seq, data as Blob, size);
      }
    }
    if (buffered > 0) this.sampleBuffered(conn, buffered);
  }

  private text(s: string): { kind: 'text'; size: number; data: string; truncated?: boolean } {
    const size = utf8Length(s);
    if (size <= this.o.maxFrameBytes) return { kind: 'text', size, data: s };
    return { kind: 'text', size, data: cutText(s, this.o.maxFrameBytes), truncated: true };
  }

  /** Blob bytes arrive later; a payload event points back at the frame by seq. */
  private readBlob(conn: Conn, of: number, blob: Blob, size: number): void {
    const max = this.o.maxBinaryBytes;
    const part = size > max ? this.n.blobSlice(blob, 0, max) : blob;
    this.n.promiseThen(this.n.blobArrayBuffer(part), (buf) => {
      this.record(conn, { k: 'payload', of, data: buf, ...cut(size, max) });
    }, () => { /* unreadable Blob: the frame keeps its size, without bytes */ });
  }

  /** Sample bufferedAmount on a timer until the send buffer has drained. */
  private sampleBuffered(conn: Conn, amount: number): void {
    conn.lastBuffered = amount;
    if (conn.sampling) return;
    conn.sampling = true;
    const tick = () => {
      try {
        const now = this.n.bufferedAmount(conn.ws);
        if (now !== conn.lastBuffered) this.record(conn, { k: 'buffered', amount: now });
        conn.lastBuffered = now;
        // a closed socket never drains (bytes sent after close stay counted): stop there
        if (now === 0 || this.n.readyState(conn.ws) === 3) conn.sampling = false;
        else this.n.setTimeout(tick, this.o.bufferedSampleMs);
      } catch {
        conn.sampling = false;
      }
    };
    this.n.setTimeout(tick, this.o.bufferedSampleMs);
  }

  // ---------- close ----------

  /** close() was called: by the page (through the patch), or by DevTools (`by`, the native close). */
  closed(conn: Conn, args: readonly unknown[], stateBefore: number, by?: ByDevtools): void {
    const code = typeof args[0] === 'number' ? { code: args[0] } : {};
    const reason = typeof args[1] === 'string' ? { reason: args[1] } : {};
    this.record(conn, { k: 'close-call', ...code, ...reason, ...(by ? { by } : {}) });
    if (stateBefore < 2) {
      if (by) conn.devtoolsClose ??= {};
      else conn.pageClosed = true;
    }
    this.setState(conn, this.n.readyState(conn.ws) as ReadyStateValue, by ? 'devtools-close' : 'close-call');
  }

  /** DevTools is about to close this socket to simulate a close: the page will see `sim`, not the real event. */
  simulateClose(conn: Conn, sim: SimulatedClose): void {
    conn.devtoolsClose = { simulate: sim };
  }

  /** An event the hook dispatches for DevTools (an injected message): record it as traffic by DevTools. */
  markDevtoolsEvent(ev: globalThis.Event): void {
    this.n.weakSetAdd(this.devtoolsEvents, ev);
  }

  apiError(conn: Conn, method: 'send' | 'close', err: unknown): void {
    this.record(conn, { k: 'api-error', method, error: errorInfo(err) });
  }

  // ---------- events ----------

  /** Events the page dispatches itself are not traffic; those the hook dispatched for DevTools are. */
  private origin(ev: globalThis.Event): 'page' | 'devtools' | undefined {
    if (this.n.eventIsTrusted(ev)) return 'page';
    return this.n.weakSetHas(this.devtoolsEvents, ev) ? 'devtools' : undefined;
  }

  private onMessage(conn: Conn, ev: MessageEvent): void {
    const from = this.origin(ev);
    if (from) this.received(conn, this.n.messageData(ev), from === 'devtools' ? 'devtools' : undefined);
  }

  private onLifecycle(conn: Conn, ev: globalThis.Event): void {
    const n = this.n;
    if (!this.origin(ev)) return;
    switch (n.eventType(ev)) {
      case 'open':
        this.setState(conn, 1, 'open');
        this.record(conn, {
          k: 'open', protocol: n.protocol(conn.ws), extensions: n.extensions(conn.ws), binaryType: n.binaryType(conn.ws),
        });
        return;
      case 'error':
        this.record(conn, { k: 'error', state: n.readyState(conn.ws) as ReadyStateValue });
        return;
      case 'close': {
        const ce = ev as globalThis.CloseEvent;
        const code = n.closeCode(ce);
        const wasClean = n.closeWasClean(ce);
        const initiator = conn.devtoolsClose ? 'devtools' : conn.pageClosed ? 'page' : wasClean && code !== 1006 ? 'server' : 'network';
        // a simulated close: this real event goes no further (the hook's listener is the socket's first)
        const simulated = conn.devtoolsClose?.simulate;
        if (simulated) n.stopImmediatePropagation(ev);
        this.setState(conn, 3, 'close');
        this.live.remove(conn);
        this.record(conn, { k: 'close', code, reason: n.closeReason(ce), wasClean, initiator, ...(simulated ? { simulated } : {}) });
        if (simulated) this.o.onSimulatedClose?.(conn.ws, simulated);
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
      if (on) this.n.addEventListener(c.ws, 'message', c.onMessage);
      else this.n.removeEventListener(c.ws, 'message', c.onMessage);
      c.listening = on;
      this.record(c, { k: 'recording', frames: on });
    });
  }

  private received(conn: Conn, data: unknown, by: ByDevtools): void {
    if (typeof data === 'string' && !by && data.length <= this.o.maxFrameBytes / 3) {
      // the hot path: one object of one shape; its UTF-8 size is worked out only if a panel ever gets it
      const e: Event = { c: conn.id, seq: conn.seq++, t: this.now(), k: 'frame', dir: 'in', kind: 'text', as: 'string', size: SIZE_LATER, data };
      this.o.emit(e);
      return;
    }
    const mark = by ? { by } : {};
    if (typeof data === 'string') {
      this.record(conn, { k: 'frame', dir: 'in', as: 'string', ...this.text(data), ...mark });
      return;
    }
    const view = viewOf(this.n, data);
    if (view) {
      this.record(conn, { k: 'frame', dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: view.length,
        data: copyView(this.n, view, this.o.maxBinaryBytes), ...cut(view.length, this.o.maxBinaryBytes), ...mark });
      return;
    }
    const size = blobSize(this.n, data);
    if (size < 0) return;
    const frame = this.record(conn, { k: 'frame', dir: 'in', kind: 'binary', as: 'Blob', size, ...mark });
    this.readBlob(conn, frame.seq, data as Blob, size);
  }
}
