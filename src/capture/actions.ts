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
import type { InterceptConfig } from '../protocol/intercept';
import { errorInfo } from './fields';
import type { Interceptor } from './intercept/interceptor';
import { parseJson } from './intercept/json';
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

  constructor(private readonly natives: Natives, private readonly rec: Recorder, private readonly intercept: Interceptor) {
    const n = natives;
    this.sockets = n.dict<WeakRef<WebSocket>>();
  }

  /** A socket was created (recorder callback). */
  track(id: ConnId, ws: WebSocket): void {
    this.sockets[id] = new this.natives.WeakRef(ws);
    if (++this.tracked >= this.sweepAt) this.sweep();
  }

  /** Forget ids whose socket was collected, now and then (ids are small; this keeps the table bounded). */
  private sweep(): void {
    let live = 0;
    for (const id in this.sockets) {
      if (this.natives.weakRefDeref(this.sockets[id]!) === undefined) delete this.sockets[id];
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
      const own = (k: string): unknown => (this.natives.hasOwn(raw, k) ? (raw as Rec)[k] : undefined);
      const op = own('op');
      if (op === 'intercept' || op === 'release' || op === 'release-all') return this.interception(op, own);
      return this.exec({ op, c: own('c'), data: own('data'), code: own('code'), reason: own('reason') });
    } catch (err) {
      return { ok: false, error: errorInfo(this.natives, err) };
    }
  }

  private exec(cmd: Rec): CommandResult {
    if (typeof cmd.c !== 'string') return fail('TypeError', 'malformed command');
    const ref = this.sockets[cmd.c];
    const ws = ref ? this.natives.weakRefDeref(ref) : undefined;
    const conn = ws ? this.rec.connOf(ws) : undefined;
    if (!ws || !conn) {
      return fail('NotFoundError', 'the socket no longer exists in the page (garbage-collected, or its document is gone)');
    }
    const state = this.natives.readyState(ws);
    const notOpen = (): CommandResult => fail('InvalidStateError', `the socket is ${STATE_NAMES[state] ?? state}`);
    switch (cmd.op) {
      case 'send': {
        if (state !== 1) return notOpen();
        const data = this.payload(cmd.data);
        if (data === null) return fail('TypeError', 'the payload must be text or an ArrayBuffer');
        this.natives.sendCall(ws, data);
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
        const args = this.natives.list<unknown>();
        if (typeof cmd.code === 'number') args[0] = cmd.code;
        if (typeof cmd.code === 'number' && typeof cmd.reason === 'string') args[1] = cmd.reason;
        // the browser's own checks (code 1000 or 3000–4999, reason ≤ 123 bytes) throw here, and we answer with them
        this.natives.Reflect.apply(this.natives.close, ws, args);
        this.rec.closed(conn, args, state, 'devtools');
        return ok;
      }
      case 'simulate-server-close': {
        if (state !== 1) return notOpen();
        const code = cmd.code, reason = cmd.reason;
        if (typeof code !== 'number' || code % 1 !== 0 || code < 1000 || code > 4999) {
          return fail('InvalidAccessError', `the close code must be an integer from 1000 to 4999, not ${typeof code === 'number' ? code : typeof code}`);
        }
        if (typeof reason !== 'string' || utf8Length(reason, this.natives.strCharCodeAt) > MAX_REASON_BYTES) {
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

  /**
   * Interception's commands. The config comes as JSON text (the relay writes it in its own world), parsed
   * here into objects without prototypes: reading a field it lacks finds nothing a page put on Object.prototype.
   */
  private interception(op: 'intercept' | 'release' | 'release-all', own: (k: string) => unknown): CommandResult {
    const action = own('action');
    if (op === 'intercept') {
      const config = own('config');
      if (config === null) { this.intercept.configure(null); return ok; }
      const parsed = typeof config === 'string' ? parseJson(this.natives, config) : undefined;
      if (typeof parsed !== 'object' || parsed === null) return fail('TypeError', 'the interception config is not JSON');
      this.intercept.configure(parsed as InterceptConfig);
      return ok;
    }
    if (action !== 'forward' && action !== 'drop') return fail('TypeError', 'the action must be forward or drop');
    if (op === 'release-all') { this.intercept.releaseAll(action); return ok; }
    const c = own('c'), hold = own('hold');
    const data = own('data') === undefined ? undefined : this.payload(own('data'));
    if (typeof c !== 'string' || typeof hold !== 'number' || data === null) return fail('TypeError', 'malformed release');
    return this.intercept.release(c, hold, action, data) ? ok : fail('NotFoundError', 'that message is no longer held (released, timed out, or its page went)');
  }

  /** Text stays text; binary must be an ArrayBuffer the channel delivered (checked with natives). */
  private payload(data: unknown): string | ArrayBuffer | null {
    if (typeof data === 'string') return data;
    try {
      this.natives.arrayBufferByteLength(data);
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
    const n = this.natives;
    const value = typeof data === 'string' || n.binaryType(ws) === 'arraybuffer' ? data : new n.Blob(onlyItem(data) as unknown as BlobPart[]);
    const origin = n.urlOrigin(new n.URL(n.url(ws)));
    const ev = new n.MessageEvent('message', { __proto__: null, data: value, origin } as MessageEventInit);
    this.rec.markDevtoolsEvent(ev);
    n.dispatchEvent(ws, ev);
  }

  private simulate(conn: RecordedConn, ws: WebSocket, state: number, sim: SimulatedClose, realArgs: unknown[]): CommandResult {
    this.natives.Reflect.apply(this.natives.close, ws, realArgs);
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
    const n = this.natives;
    if (sim.as === 'network') n.dispatchEvent(ws, new n.Event('error', { __proto__: null } as EventInit));
    n.dispatchEvent(ws, new n.CloseEvent('close', { __proto__: null, code: sim.code, reason: sim.reason, wasClean: sim.wasClean } as CloseEventInit));
  }
}
