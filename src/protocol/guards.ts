/**
 * Runtime guards for messages crossing a trust boundary.
 *
 * The relay shares its window with the page, and the page can post anything
 * there; extension ports carry what the relay forwarded. Each guard accepts a
 * value only if it has exactly the shape the protocol defines, within LIMITS,
 * and otherwise returns null — the caller drops it. Guards never throw.
 */
import { base64ToBytes } from './base64';
import { base64ByteLength } from './batch-codec';
import { DATA_TYPES, FLAG, FLAG_BITS, NONE, ROW_BYTES, columnViews, type ColumnViews } from './batch';
import { MAX_STACK_FRAMES, SOCKET_SOURCES, type CaptureEvent } from './events';
import {
  LIMITS, PROTOCOL_VERSION,
  type BackgroundToPanel, type BackgroundToRelay, type Base64, type Command, type CommandResult, type HookToRelay,
  type PanelToBackground, type RelayToBackground,
} from './messages';

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number = LIMITS.stringField): v is string => typeof v === 'string' && v.length <= max;
const optStr = (v: unknown): boolean => v === undefined || str(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const uint = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const optUint = (v: unknown): boolean => v === undefined || uint(v);
const optBool = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
const connId = (v: unknown): v is string => str(v, LIMITS.connIdLength);
const oneOf = <T extends string>(v: unknown, values: readonly T[]): v is T => values.includes(v as T);

const protocols = (v: unknown): boolean =>
  v === undefined || str(v) || (Array.isArray(v) && v.length <= 256 && v.every((p) => str(p, 1024)));
const errorInfo = (v: unknown): boolean => isRec(v) && str(v.name, 256) && str(v.message);

/** A call stack: at most MAX_STACK_FRAMES frames of {fn, url, line, col}, each string bounded. */
const stack = (v: unknown): boolean => Array.isArray(v) && v.length <= MAX_STACK_FRAMES
  && v.every((f) => isRec(f) && str(f.fn, 512) && str(f.url, 4096) && uint(f.line) && uint(f.col));
const optStack = (v: unknown): boolean => v === undefined || stack(v);

const optDevtools = (v: unknown): boolean => v === undefined || v === 'devtools';
const simulatedClose = (v: unknown): boolean =>
  isRec(v) && oneOf(v.as, ['server', 'network']) && uint(v.code) && str(v.reason) && typeof v.wasClean === 'boolean';

/**
 * Byte length of an ArrayBuffer of any realm, or -1 for anything else. `instanceof ArrayBuffer` is not
 * enough: Firefox hands the relay the page's objects through Xray wrappers of another compartment.
 */
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
export function byteLengthOfArrayBuffer(v: unknown): number {
  try { return arrayBufferByteLength.call(v) as number; } catch { return -1; }
}

/** Binary payload check, per channel: ArrayBuffer from the page, base64 on ports. */
type BinaryCheck = (v: unknown) => boolean;
export const isPageBinary: BinaryCheck = (v) => {
  const n = byteLengthOfArrayBuffer(v);
  return n >= 0 && n <= LIMITS.payloadBytes;
};
export const isWireBinary: BinaryCheck = (v) =>
  isRec(v) && typeof v.b64 === 'string' && v.b64.length <= (LIMITS.payloadBytes * 4) / 3 + 4;

const payload = (v: unknown, binary: BinaryCheck): boolean =>
  (typeof v === 'string' && v.length <= LIMITS.payloadBytes) || binary(v);

/** One capture event, field by field. */
export function isCaptureEvent(e: unknown, binary: BinaryCheck): boolean {
  if (!isRec(e) || !connId(e.c) || !uint(e.seq) || !num(e.t)) return false;
  switch (e.k) {
    case 'created':
      return str(e.url) && str(e.resolvedUrl) && protocols(e.protocols) && str(e.frameUrl) && optStr(e.subclass) && optStack(e.stack)
        && (e.source === undefined || oneOf(e.source, SOCKET_SOURCES)) && (e.network === undefined || e.network === true);
    case 'construct-error':
      return str(e.url) && protocols(e.protocols) && str(e.frameUrl) && errorInfo(e.error);
    case 'state':
      return oneOf(e.state, [0, 1, 2, 3] as never[]) && oneOf(e.via, ['open', 'close-call', 'devtools-close', 'close', 'error']);
    case 'open':
      return str(e.protocol) && str(e.extensions) && str(e.binaryType, 32);
    case 'frame':
      return oneOf(e.dir, ['out', 'in']) && oneOf(e.kind, ['text', 'binary']) && oneOf(e.as, DATA_TYPES)
        && uint(e.size) && (e.data === undefined || payload(e.data, binary)) && optBool(e.truncated)
        && optUint(e.buffered) && optBool(e.notSent) && optDevtools(e.by);
    case 'payload':
      return uint(e.of) && payload(e.data, binary) && optBool(e.truncated);
    case 'buffered':
      return uint(e.amount);
    case 'close-call':
      return (e.code === undefined || num(e.code)) && optStr(e.reason) && optDevtools(e.by);
    case 'close':
      return uint(e.code) && str(e.reason) && typeof e.wasClean === 'boolean'
        && oneOf(e.initiator, ['page', 'server', 'network', 'devtools'])
        && (e.simulated === undefined || simulatedClose(e.simulated));
    case 'error':
      return oneOf(e.state, [0, 1, 2, 3] as never[]);
    case 'api-error':
      return oneOf(e.method, ['send', 'close']) && errorInfo(e.error);
    case 'recording':
      return typeof e.frames === 'boolean';
    case 'send-site':
      return stack(e.stack);
    default:
      return false;
  }
}

/** A close code as a command may carry it (the browser or the hook checks the allowed ranges). */
const closeCode = (v: unknown): boolean => uint(v) && (v as number) <= 65535;

/** One command, field by field (payloads as the channel carries them). */
export function isCommand(v: unknown, binary: BinaryCheck): v is Command {
  if (!isRec(v) || !connId(v.c)) return false;
  switch (v.op) {
    case 'send':
    case 'inject':
      return payload(v.data, binary);
    case 'close':
      return (v.code === undefined || closeCode(v.code)) && (v.reason === undefined || str(v.reason, 1024));
    case 'simulate-server-close':
      return closeCode(v.code) && str(v.reason, 1024);
    case 'simulate-drop':
      return true;
    default:
      return false;
  }
}

/** A command's answer: `{ ok: true }` or `{ ok: false, error: { name, message } }`. */
export function isCommandResult(v: unknown): v is CommandResult {
  return isRec(v) && (v.ok === true || (v.ok === false && errorInfo(v.error)));
}

/** Lifecycle events travel as objects in a batch; messages, payloads and samples are rows. */
const isLifecycle = (e: unknown, binary: BinaryCheck): boolean =>
  isRec(e) && e.k !== 'frame' && e.k !== 'payload' && e.k !== 'buffered' && isCaptureEvent(e, binary);

/**
 * Every row of a batch's columns, in one pass without allocations: known flag bits, a known data type,
 * real times, and texts and bytes that add up to what the batch carries.
 */
export function columnsAreValid(c: ColumnViews, rows: number, textLength: number, binaryLength: number): boolean {
  let text = 0, bytes = 0;
  for (let r = 0; r < rows; r++) {
    const f = c.flags[r]!;
    const t = c.t[r]!;
    if ((f & ~FLAG_BITS) !== 0 || c.as[r]! >= DATA_TYPES.length || !(t - t === 0)) return false;
    if ((f & FLAG.payload) && (f & FLAG.sample)) return false;
    const tl = c.textLen[r]!, bl = c.binLen[r]!;
    // text belongs to text rows, bytes to binary ones; only a whole text may leave its size to the panel
    if ((tl > 0 && (f & FLAG.binary)) || (bl > 0 && !(f & FLAG.binary))) return false;
    if (c.size[r] === NONE && (f & (FLAG.binary | FLAG.truncated | FLAG.sample))) return false;
    text += tl;
    bytes += bl;
  }
  return text === textLength && bytes === binaryLength;
}

const eventsAreValid = (events: unknown, at: unknown, rows: number, binary: BinaryCheck): boolean => {
  if (!Array.isArray(events) || !Array.isArray(at) || at.length !== events.length) return false;
  if (rows + events.length > LIMITS.eventsPerBatch) return false;
  let prev = 0;
  for (let i = 0; i < events.length; i++) {
    const a: unknown = at[i];
    if (!Number.isSafeInteger(a) || (a as number) < prev || (a as number) > rows || !isLifecycle(events[i], binary)) return false;
    prev = a as number;
  }
  return true;
};

/** The hook's batch, as the relay gets it from the page (which can post anything). */
export function isPageBatch(v: unknown): boolean {
  if (!isRec(v) || !uint(v.rows) || typeof v.text !== 'string' || v.text.length > LIMITS.payloadBytes * 4) return false;
  const rows = v.rows;
  const colBytes = byteLengthOfArrayBuffer(v.cols);
  const binBytes = byteLengthOfArrayBuffer(v.binary);
  if (colBytes !== rows * ROW_BYTES || binBytes < 0 || binBytes > LIMITS.payloadBytes * 4) return false;
  if (!eventsAreValid(v.events, v.at, rows, isPageBinary)) return false;
  return columnsAreValid(columnViews(v.cols as ArrayBuffer, rows), rows, v.text.length, binBytes);
}

/** A batch on an extension port: base64 bytes, decoded here to check every row. */
export function isWireBatch(v: unknown): boolean {
  if (!isRec(v) || !uint(v.rows) || typeof v.text !== 'string' || typeof v.cols !== 'string' || typeof v.binary !== 'string') return false;
  const rows = v.rows;
  if (base64ByteLength(v.cols) !== rows * ROW_BYTES || v.binary.length > ((LIMITS.payloadBytes * 4) / 3) * 4 + 4) return false;
  if (!eventsAreValid(v.events, v.at, rows, isWireBinary)) return false;
  try {
    return columnsAreValid(fromWireColumns(v.cols, rows), rows, v.text.length, base64ByteLength(v.binary));
  } catch {
    return false;
  }
}

function fromWireColumns(b64: string, rows: number): ColumnViews {
  const bytes = base64ToBytes(b64);
  return columnViews(bytes.slice().buffer, rows);
}

const envelopeOf = (v: unknown, src: string): v is Rec => isRec(v) && v.src === src && v.v === PROTOCOL_VERSION;

/** Relay side: is this a message from our page hook? (the page can forge anything) */
export function asHookMessage(v: unknown): HookToRelay | null {
  if (!envelopeOf(v, 'wsi-hook')) return null;
  if (v.type === 'active') return v as unknown as HookToRelay;
  if (v.type === 'batch') return isPageBatch(v.batch) ? (v as unknown as HookToRelay) : null;
  if (v.type === 'payload') {
    return uint(v.req) && connId(v.c) && uint(v.seq) && (v.data === undefined || payload(v.data, isPageBinary))
      && optBool(v.truncated) && optStr(v.error) ? (v as unknown as HookToRelay) : null;
  }
  if (v.type === 'command-result') return uint(v.req) && isCommandResult(v.result) ? (v as unknown as HookToRelay) : null;
  return null;
}

/** Background side: a message from a relay port. */
export function asRelayMessage(v: unknown): RelayToBackground | null {
  if (!envelopeOf(v, 'wsi-relay') || !str(v.hook, LIMITS.connIdLength)) return null;
  switch (v.type) {
    case 'hello': return str(v.url) ? (v as unknown as RelayToBackground) : null;
    case 'batch': return isWireBatch(v.batch) ? (v as unknown as RelayToBackground) : null;
    case 'payload':
      return uint(v.req) && connId(v.c) && uint(v.seq) && (v.data === undefined || payload(v.data, isWireBinary))
        && optStr(v.error) ? (v as unknown as RelayToBackground) : null;
    case 'command-result': return uint(v.req) && isCommandResult(v.result) ? (v as unknown as RelayToBackground) : null;
    default: return null;
  }
}

const cursors = (v: unknown): boolean =>
  isRec(v) && Object.keys(v).length <= 100_000 && Object.entries(v).every(([k, s]) => connId(k) && uint(s));

/** Relay side: a command from the background. */
export function asBackgroundToRelay(v: unknown): BackgroundToRelay | null {
  if (!envelopeOf(v, 'wsi-background')) return null;
  switch (v.type) {
    case 'attach': return cursors(v.cursors) ? (v as unknown as BackgroundToRelay) : null;
    case 'detach': return v as unknown as BackgroundToRelay;
    case 'fetch-payload': return uint(v.req) && connId(v.c) && uint(v.seq) ? (v as unknown as BackgroundToRelay) : null;
    case 'command': return uint(v.req) && isCommand(v.cmd, isWireBinary) ? (v as unknown as BackgroundToRelay) : null;
    default: return null;
  }
}

/** Background side: a message from a panel port. */
export function asPanelMessage(v: unknown): PanelToBackground | null {
  if (!envelopeOf(v, 'wsi-panel')) return null;
  switch (v.type) {
    case 'subscribe': return uint(v.tabId) ? (v as unknown as PanelToBackground) : null;
    case 'attach':
      return uint(v.frameId) && str(v.hook, LIMITS.connIdLength) && cursors(v.cursors) ? (v as unknown as PanelToBackground) : null;
    case 'fetch-payload':
      return uint(v.frameId) && str(v.hook, LIMITS.connIdLength) && uint(v.req) && connId(v.c) && uint(v.seq)
        ? (v as unknown as PanelToBackground) : null;
    case 'command':
      return uint(v.frameId) && str(v.hook, LIMITS.connIdLength) && uint(v.req) && isCommand(v.cmd, isWireBinary)
        ? (v as unknown as PanelToBackground) : null;
    default: return null;
  }
}

/** Panel side: a message from the background (shape only; events were checked by the relay). */
export function asBackgroundToPanel(v: unknown): BackgroundToPanel | null {
  if (!envelopeOf(v, 'wsi-background')) return null;
  if (v.type !== 'batches' && (!uint(v.frameId) || !str(v.hook, LIMITS.connIdLength))) return null;
  switch (v.type) {
    case 'frame-hello': return str(v.url) ? (v as unknown as BackgroundToPanel) : null;
    case 'frame-gone': return v as unknown as BackgroundToPanel;
    // the background checked every row (it is the boundary); the panel checks the shape it relies on
    case 'batches': return Array.isArray(v.items) && v.items.every(isFrameBatchShape) ? (v as unknown as BackgroundToPanel) : null;
    case 'payload': return uint(v.req) && connId(v.c) ? (v as unknown as BackgroundToPanel) : null;
    case 'command-result': return uint(v.req) && isCommandResult(v.result) ? (v as unknown as BackgroundToPanel) : null;
    default: return null;
  }
}

const isFrameBatchShape = (v: unknown): boolean => isRec(v) && uint(v.frameId) && str(v.hook, LIMITS.connIdLength) && isRec(v.batch)
  && uint(v.batch.rows) && typeof v.batch.cols === 'string' && typeof v.batch.text === 'string' && typeof v.batch.binary === 'string'
  && Array.isArray(v.batch.events) && Array.isArray(v.batch.at);

export type { Base64, CaptureEvent };
