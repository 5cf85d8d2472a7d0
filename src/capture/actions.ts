/**
 * What DevTools does to the page's sockets: send, inject an incoming message,
 * close, simulate a server close or a network drop.
 *
 * Commands arrive only on the hook's private channel (stream.ts), which only
 * the relay holds, and the relay forwards only what came from the background
 * port; nothing the page posts reaches here. Like the rest of the hook this
 * module has no dependencies, calls only the natives taken at start, and never
 * throws into the page: every command gets an answer, ok or the error.
 *
 * Everything acted is recorded as DevTools' (`by: 'devtools'`), so the log
 * never shows the page doing what it did not:
 * - send: the NATIVE send (not the patched one, which would record it as the
 *   page's), then the recorder logs the outgoing frame itself;
 * - inject: a MessageEvent dispatched on the socket; the recorder recognises
 *   it (marked) and logs an incoming frame. Its `isTrusted` is false: browsers
 *   do not let scripts make trusted events;
 * - simulated closes: the native close() really closes the socket; the
 *   recorder's close listener (the socket's first) stops the real close event
 *   and the page gets a synthetic one with the simulated fields instead, after
 *   a synthetic 'error' for a network drop. The log keeps both.
 */
import type { ConnId, SimulatedClose } from '../protocol/events';
import type { CommandResult } from '../protocol/messages';
import { utf8Length } from '../protocol/utf8';
import { errorInfo } from './fields';
import { onlyItem } from './iterable';
import type { Natives } from './natives';
import type { RecordedConn, Recorder } from './recorder';

const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
/** A close frame's reason is at most 123 UTF-8 bytes (RFC 6455 §5.5). */
const MAX_REASON_BYTES = 123;

type Rec = Record<string, unknown>;

const ok: CommandResult = { ok: true };
const fail = (name: string, message: string): CommandResult => ({ ok: false, error: { name, message } });

export class Actions {
  /** connection id → the socket, weakly: DevTools must not keep a page's socket alive */
  private readonly sockets: Record<ConnId, WeakRef<WebSocket>>;
  private tracked = 0;
  private sweepAt = 1024;

  constructor(private readonly n: Natives, private readonly rec: Recorder) {
    this.sockets = n.dict<WeakRef<WebSocket>>();
  }

  /** A socket was created (recorder callback). */
  track(id: ConnId, ws: WebSocket): void {
    this.sockets[id] = new this.n.WeakRef(ws);
    if (++this.tracked >= this.sweepAt) this.sweep();
  }

  /** Forget ids whose socket was collected, now and then (ids are small; this keeps the table bounded). */
  private sweep(): void {
    let live = 0;
    for (const id in this.sockets) {
      if (this.n.weakRefDeref(this.sockets[id]!) === undefined) delete this.sockets[id];
      else live++;
    }
    this.tracked = live;
    this.sweepAt = live * 2 > 1024 ? live * 2 : 1024;
  }

  /** Run one command from the private channel; never throws. */
  run(raw: unknown): CommandResult {
    try {
      if (typeof raw !== 'object' || raw === null) return fail('TypeError', 'malformed command');
      // only the command's own fields: a page may put getters on Object.prototype for the ones it lacks
      const own = (k: string): unknown => (this.n.hasOwn(raw, k) ? (raw as Rec)[k] : undefined);
      return this.exec({ op: own('op'), c: own('c'), data: own('data'), code: own('code'), reason: own('reason') });
    } catch (err) {
      return { ok: false, error: errorInfo(this.n, err) };
    }
  }

  private exec(cmd: Rec): CommandResult {
    if (typeof cmd.c !== 'string') return fail('TypeError', 'malformed command');
    const ref = this.sockets[cmd.c];
    const ws = ref ? this.n.weakRefDeref(ref) : undefined;
    const conn = ws ? this.rec.connOf(ws) : undefined;
    if (!ws || !conn) {
      return fail('NotFoundError', 'the socket no longer exists in the page (garbage-collected, or its document is gone)');
    }
    const state = this.n.readyState(ws);
    const notOpen = (): CommandResult => fail('InvalidStateError', `the socket is ${STATE_NAMES[state] ?? state}`);
    switch (cmd.op) {
      case 'send': {
        if (state !== 1) return notOpen();
        const data = this.payload(cmd.data);
        if (data === null) return fail('TypeError', 'the payload must be text or an ArrayBuffer');
        this.n.sendCall(ws, data);
        this.rec.sent(conn, data, data, state, 'devtools');
        return ok;
      }
      case 'inject': {
        if (state !== 1) return notOpen();
        const data = this.payload(cmd.data);
        if (data === null) return fail('TypeError', 'the payload must be text or an ArrayBuffer');
        this.inject(ws, data);
        return ok;
      }
      case 'close': {
        // like the page's own close(): allowed while connecting (it fails the connection) or open
        if (state >= 2) return fail('InvalidStateError', `the socket is already ${STATE_NAMES[state]}`);
        const args = this.n.list<unknown>();
        if (typeof cmd.code === 'number') args[0] = cmd.code;
        if (typeof cmd.code === 'number' && typeof cmd.reason === 'string') args[1] = cmd.reason;
        // the browser's own checks (code 1000 or 3000–4999, reason ≤ 123 bytes) throw here, and we answer with them
        this.n.Reflect.apply(this.n.close, ws, args);
        this.rec.closed(conn, args, state, 'devtools');
        return ok;
      }
      case 'simulate-server-close': {
        if (state !== 1) return notOpen();
        const code = cmd.code, reason = cmd.reason;
        if (typeof code !== 'number' || code % 1 !== 0 || code < 1000 || code > 4999) {
          return fail('InvalidAccessError', `the close code must be an integer from 1000 to 4999, not ${typeof code === 'number' ? code : typeof code}`);
        }
        if (typeof reason !== 'string' || utf8Length(reason, this.n.strCharCodeAt) > MAX_REASON_BYTES) {
          return fail('SyntaxError', `the close reason must be at most ${MAX_REASON_BYTES} bytes of UTF-8`);
        }
        // the server sees a normal client close: with the same code and reason when a client may send them
        const clientMay = code === 1000 || (code >= 3000 && code <= 4999);
        return this.simulate(conn, ws, state, { as: 'server', code, reason, wasClean: true }, clientMay ? [code, reason] : [1000]);
      }
      case 'simulate-drop':
        if (state !== 1) return notOpen();
        return this.simulate(conn, ws, state, { as: 'network', code: 1006, reason: '', wasClean: false }, [1000]);
      default:
        return fail('TypeError', `unknown command ${typeof cmd.op === 'string' ? cmd.op : typeof cmd.op}`);
    }
  }

  /** Text stays text; binary must be an ArrayBuffer the channel delivered (checked with natives). */
  private payload(data: unknown): string | ArrayBuffer | null {
    if (typeof data === 'string') return data;
    try {
      this.n.arrayBufferByteLength(data);
      return data as ArrayBuffer;
    } catch {
      return null;
    }
  }

  /**
   * Deliver a message as the browser would: data typed by binaryType, origin of the socket's URL.
   * Dictionaries without a prototype and a Blob made from an iterable of our own: the browser reads
   * both, and must not reach a getter or iterator the page put on Object.prototype or Array.prototype.
   */
  private inject(ws: WebSocket, data: string | ArrayBuffer): void {
    const n = this.n;
    const value = typeof data === 'string' || n.binaryType(ws) === 'arraybuffer' ? data : new n.Blob(onlyItem(data) as unknown as BlobPart[]);
    const origin = n.urlOrigin(new n.URL(n.url(ws)));
    const ev = new n.MessageEvent('message', { __proto__: null, data: value, origin } as MessageEventInit);
    this.rec.markDevtoolsEvent(ev);
    n.dispatchEvent(ws, ev);
  }

  private simulate(conn: RecordedConn, ws: WebSocket, state: number, sim: SimulatedClose, realArgs: unknown[]): CommandResult {
    this.n.Reflect.apply(this.n.close, ws, realArgs);
    // the close event is a later task: marking the simulation now is in time
    this.rec.simulateClose(conn, sim);
    this.rec.closed(conn, realArgs, state, 'devtools');
    return ok;
  }

  /**
   * Recorder callback, inside the real close event (already stopped): the page
   * sees the simulated close now, with readyState really CLOSED.
   */
  showSimulatedClose(ws: WebSocket, sim: SimulatedClose): void {
    const n = this.n;
    if (sim.as === 'network') n.dispatchEvent(ws, new n.Event('error', { __proto__: null } as EventInit));
    n.dispatchEvent(ws, new n.CloseEvent('close', { __proto__: null, code: sim.code, reason: sim.reason, wasClean: sim.wasClean } as CloseEventInit));
  }
}
