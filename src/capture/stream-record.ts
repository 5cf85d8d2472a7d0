/**
 * The capture records of WebSocketStreams (stream-socket.ts observes them): the same events and rows a
 * WebSocket gets from recorder.ts — created (with `source: 'stream'`), state and open with the negotiated
 * protocol and extensions, every message both ways as a row of the hook's FrameLog, close() calls, the
 * close with its code and reason, errors — numbered in the same sequence as the hook's WebSockets.
 *
 * Called inside the hook's guards only; reads the page's values through natives and own data properties,
 * never a getter the page could have put there.
 */
import { DATA_TYPES, FLAG, NONE, type LifecycleEvent } from '../protocol/batch';
import type { CloseInitiator, ConnId, ReadyStateValue, StackFrame } from '../protocol/events';
import { viewOf } from './bytes';
import type { StackTaker } from './call-site';
import { argAt, clip, errorInfo, protocolsOf } from './fields';
import type { FrameLog } from './frame-log';
import type { Natives } from './natives';

export interface StreamRecordOptions {
  hookId: string;
  log: FrameLog;
  maxFrameBytes: number;
  maxBinaryBytes: number;
  /** a row was written */
  wrote: () => void;
  /** a lifecycle event happened */
  lifecycle: (e: LifecycleEvent) => void;
  /** a socket exists: the relay may connect */
  announce: () => void;
  /** this hook's next connection number (shared with its WebSockets) */
  nextConn: () => number;
  stack: StackTaker;
  /** opt-in: the page's stack at a write when it moved since this stream's last (send-sites.ts) */
  sendSite?: (stream: object) => StackFrame[] | undefined;
}

/** One WebSocketStream as recorded. Every field set when made (a missing one would be looked up on Object.prototype). */
export interface StreamConn {
  id: ConnId;
  n: number;
  seq: number;
  state: ReadyStateValue;
  /** the page closed it (close(), cancelling its readable, aborting its writable) */
  pageClosed: boolean;
}

type Body<E> = E extends LifecycleEvent ? Omit<E, 'c' | 'seq' | 't'> : never;

export class StreamRecords {
  /** messages are recorded (false in lightweight mode while no panel is attached) */
  private framesOn = true;
  /** streams not yet closed, for the lightweight switch */
  private live: StreamConn[];

  constructor(private readonly natives: Natives, private readonly options: StreamRecordOptions) {
    this.live = natives.list<StreamConn>();
  }

  /** Lightweight mode: record messages (on) or not from now on; each live stream records the switch, as WebSockets do. */
  setFrames(on: boolean): void {
    if (on === this.framesOn) return;
    this.framesOn = on;
    for (let i = 0; i < this.live.length; i++) this.record(this.live[i]!, { k: 'recording', frames: on });
  }

  private now(): number {
    return this.natives.timeOrigin + this.natives.now();
  }

  private conn(): StreamConn {
    const n = this.options.nextConn();
    return { id: `${this.options.hookId}.${n}`, n, seq: 0, state: 0, pageClosed: false };
  }

  private record(c: StreamConn, body: Body<LifecycleEvent>): void {
    this.options.lifecycle({ c: c.id, seq: c.seq++, t: this.now(), ...body } as LifecycleEvent);
  }

  private state(c: StreamConn, state: ReadyStateValue, via: 'open' | 'close-call' | 'close' | 'error'): void {
    if (c.state === state) return;
    c.state = state;
    this.record(c, { k: 'state', state, via });
  }

  /** `new WebSocketStream(url, options)` returned `resolvedUrl`'s stream. */
  created(args: ArrayLike<unknown>, resolvedUrl: string, subclass: string | undefined): StreamConn {
    const c = this.conn();
    const url = argAt(args, 0);
    const stack = this.options.stack();
    this.record(c, {
      k: 'created', url: typeof url === 'string' ? clip(this.natives, url) : clip(this.natives, resolvedUrl), resolvedUrl: clip(this.natives, resolvedUrl),
      protocols: protocolsOf(this.natives, this.ownData(argAt(args, 1), 'protocols')), frameUrl: clip(this.natives, this.natives.location.href),
      ...(subclass ? { subclass: clip(this.natives, subclass) } : {}), ...(stack ? { stack } : {}), source: 'stream',
    });
    if (!this.framesOn) this.record(c, { k: 'recording', frames: false });
    this.live[this.live.length] = c;
    this.options.announce();
    return c;
  }

  constructError(args: ArrayLike<unknown>, err: unknown): void {
    const c = this.conn();
    const url = argAt(args, 0);
    this.record(c, {
      k: 'construct-error', url: typeof url === 'string' ? clip(this.natives, url) : `(${typeof url})`,
      protocols: protocolsOf(this.natives, this.ownData(argAt(args, 1), 'protocols')), frameUrl: clip(this.natives, this.natives.location.href), error: errorInfo(this.natives, err),
    });
    this.options.announce();
  }

  opened(c: StreamConn, protocol: unknown, extensions: unknown): void {
    this.state(c, 1, 'open');
    this.record(c, {
      k: 'open', protocol: typeof protocol === 'string' ? clip(this.natives, protocol) : '',
      extensions: typeof extensions === 'string' ? clip(this.natives, extensions) : '', binaryType: '',
    });
  }

  /** The connection failed (opened or closed rejected): an error, then the close as the page learns it. */
  failed(c: StreamConn): void {
    this.record(c, { k: 'error', state: c.state });
  }

  /** A message: a string (text) or bytes (an ArrayBuffer or a view), each way. */
  message(c: StreamConn, out: boolean, chunk: unknown): void {
    if (!this.framesOn) return;
    const site = out ? this.options.sendSite?.(c) : undefined;
    if (site) this.record(c, { k: 'send-site', stack: site });
    const dir = out ? FLAG.out : 0;
    const log = this.options.log;
    if (typeof chunk === 'string') {
      log.addText(c.n, c.seq++, this.now(), dir, AS_STRING, NONE, chunk, this.options.maxFrameBytes);
    } else {
      const view = viewOf(this.natives, chunk);
      if (!view) return;
      // the bytes copied once, into the log's ring (the page owns its chunk's buffer)
      log.addView(c.n, c.seq++, this.now(), dir | FLAG.binary, asIndex(view.as), NONE, view, this.options.maxBinaryBytes);
    }
    this.options.wrote();
  }

  /** The page asked to close: close(), or cancelling its readable or aborting its writable (`code`/`reason` when it said). */
  closeCall(c: StreamConn, code: unknown, reason: unknown): void {
    const first = !c.pageClosed && c.state < 2;
    c.pageClosed = true;
    this.record(c, { k: 'close-call', ...(typeof code === 'number' ? { code } : {}), ...(typeof reason === 'string' ? { reason: clip(this.natives, reason) } : {}) });
    if (first) this.state(c, 2, 'close-call');
  }

  /** `closed` settled: clean with the code and reason, or not (a WebSocketError's, or 1006). */
  closed(c: StreamConn, code: unknown, reason: unknown, clean: boolean): void {
    const initiator: CloseInitiator = c.pageClosed ? 'page' : clean ? 'server' : 'network';
    this.state(c, 3, 'close');
    const live = this.natives.list<StreamConn>();
    for (let i = 0; i < this.live.length; i++) if (this.live[i] !== c) live[live.length] = this.live[i]!;
    this.live = live;
    this.record(c, {
      k: 'close', code: typeof code === 'number' && code >= 0 ? code : 1006, reason: typeof reason === 'string' ? clip(this.natives, reason) : '',
      wasClean: clean, initiator,
    });
  }

  apiError(c: StreamConn, err: unknown): void {
    this.record(c, { k: 'api-error', method: 'close', error: errorInfo(this.natives, err) });
  }

  /** An own data property of a value the page passed (a dictionary), without running its getters. */
  ownData(v: unknown, key: string): unknown {
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return undefined;
    const d = this.natives.getOwnPropertyDescriptor(v, key);
    return d && 'value' in d ? d.value : undefined;
  }
}

// DATA_TYPES index by name, without a prototype (made when the hook starts, before page scripts)
// eslint-disable-next-line wsi/no-page-builtins -- runs once at document_start, before any page script
const AS: Record<string, number> = Object.create(null) as Record<string, number>;
for (let i = 0; i < DATA_TYPES.length; i++) AS[DATA_TYPES[i]!] = i;
const AS_STRING = AS.string!;
const asIndex = (as: string): number => AS[as] ?? AS.ArrayBuffer!;
