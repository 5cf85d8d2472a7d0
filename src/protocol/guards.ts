/**
 * Runtime guards for messages crossing a trust boundary.
 *
 * The relay shares its window with the page, and the page can post anything
 * there; extension ports carry what the relay forwarded. Each guard accepts a
 * value only if it has exactly the shape the protocol defines, within LIMITS,
 * and otherwise returns null — the caller drops it. Guards never throw.
 */
import { base64Length } from './base64';
import { fromWireColumns } from './batch-codec';
import type { Condition, FieldMatch, InterceptCause, InterceptConfig, InterceptOutcome, Rule, TextMatch } from './intercept';
import {
  COLUMNS, DATA_TYPES, FLAG, FLAG_BITS, HEALTH_MAX_CONNS, NONE, ROW_BYTES, columnViews, isFixable, wireColumnBytes,
  type ColumnViews, type FixedColumns,
} from './batch';
import { MAX_STACK_FRAMES, SOCKET_SOURCES, type CaptureEvent } from './events';
import {
  LIMITS, PROTOCOL_VERSION, WORKER_SCRIPT,
  type BackgroundToPanel, type BackgroundToRelay, type Base64, type Command, type CommandResult, type HookToRelay,
  type PanelToBackground, type RelayToBackground, type WorkerScriptWord,
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
/** A close code as a command may carry it (the browser or the hook checks the allowed ranges). */
const closeCode = (v: unknown): boolean => uint(v) && (v as number) <= 65535;
const optBy = (v: unknown): boolean => v === undefined || v === 'devtools' || v === 'rule';
const OUTCOMES: readonly InterceptOutcome[] = ['held', 'forwarded', 'edited', 'dropped', 'delayed', 'answered', 'closed'];
const CAUSES: readonly InterceptCause[] = ['breakpoint', 'rule', 'user', 'timeout', 'released'];
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
        && optUint(e.buffered) && optBool(e.notSent) && optBy(e.by);
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
    case 'intercept':
      return uint(e.of) && oneOf(e.dir, ['out', 'in']) && oneOf(e.outcome, OUTCOMES) && oneOf(e.cause, CAUSES)
        && optUint(e.hold) && (e.matched === undefined || str(e.matched, 4096))
        && (e.rule === undefined || (isRec(e.rule) && str(e.rule.id, 256) && str(e.rule.name, 1024)))
        && (e.data === undefined || payload(e.data, binary)) && optUint(e.ms) && optUint(e.code) && optStr(e.reason);
    case 'send-site':
      return stack(e.stack);
    default:
      return false;
  }
}


const textMatch = (v: unknown): v is TextMatch => isRec(v) && (v.kind === 'substring' ? str(v.value, 4096)
  : v.kind === 'regex' && str(v.source, 4096) && str(v.flags, 8) && regexOk(v.source, v.flags));
const regexOk = (source: string, flags: string): boolean => {
  try { new RegExp(source, flags); return true; } catch { return false; }
};
const fieldMatch = (v: unknown): v is FieldMatch => isRec(v) && str(v.name, 256) && typeof v.negate === 'boolean' && isRec(v.test)
  && (v.test.kind === 'exists' || ((v.test.kind === 'contains' || v.test.kind === 'exact') && str(v.test.value, 4096))
    || (v.test.kind === 'regex' && str(v.test.source, 4096) && str(v.test.flags, 8) && regexOk(v.test.source, v.test.flags)));
const condition = (v: unknown): v is Condition => isRec(v) && str(v.source, 4096) && (v.text === undefined || textMatch(v.text))
  && Array.isArray(v.terms) && v.terms.length <= 32 && v.terms.every(fieldMatch);
const ruleAction = (v: unknown): boolean => {
  if (!isRec(v)) return false;
  switch (v.type) {
    case 'replace': return textMatch(v.find) && str(v.replace, LIMITS.payloadBytes);
    case 'replace-json': return str(v.path, 1024) && str(v.value, LIMITS.payloadBytes);
    case 'respond': return str(v.body, LIMITS.payloadBytes) && uint(v.delayMs) && typeof v.forward === 'boolean';
    case 'drop': return true;
    case 'delay': return uint(v.ms);
    case 'close': return closeCode(v.code) && str(v.reason, 1024);
    default: return false;
  }
};
const rule = (v: unknown): v is Rule => isRec(v) && str(v.id, 256) && str(v.name, 1024) && typeof v.enabled === 'boolean'
  && oneOf(v.direction, ['sent', 'received', 'both']) && (v.url === undefined || textMatch(v.url)) && condition(v.match) && ruleAction(v.action);

/** An interception config, field by field (src/protocol/intercept.ts). */
export function isInterceptConfig(v: unknown): v is InterceptConfig {
  if (!isRec(v) || !(v.scope === 'all' || (Array.isArray(v.scope) && v.scope.length <= 10_000 && v.scope.every(connId)))) return false;
  const bp = (b: unknown) => b === undefined || (isRec(b) && condition(b.condition));
  return bp(v.sent) && bp(v.received) && typeof v.heartbeats === 'boolean'
    && isRec(v.timeout) && uint(v.timeout.ms) && oneOf(v.timeout.action, ['forward', 'drop'])
    && Array.isArray(v.rules) && v.rules.length <= 500 && v.rules.every(rule)
    && isRec(v.protocols) && Object.keys(v.protocols).length <= 10_000
    && Object.entries(v.protocols).every(([k, p]) => connId(k) && str(p, 64));
}

/** One command, field by field (payloads as the channel carries them). */
export function isCommand(v: unknown, binary: BinaryCheck): v is Command {
  if (!isRec(v)) return false;
  switch (v.op) {
    case 'intercept':
      return v.config === null || isInterceptConfig(v.config);
    case 'release':
      return connId(v.c) && uint(v.hold) && oneOf(v.action, ['forward', 'drop']) && (v.data === undefined || payload(v.data, binary));
    case 'release-all':
      return oneOf(v.action, ['forward', 'drop']);
  }
  if (!connId(v.c)) return false;
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
 * real times, a text of the stated length for every text row, and bytes that add up to what the batch carries.
 */
export function columnsAreValid(c: ColumnViews, rows: number, texts: readonly unknown[], binaryLength: number): boolean {
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
    if (tl > 0) {
      const s = texts[text++];
      if (typeof s !== 'string' || s.length !== tl) return false;
    }
    bytes += bl;
  }
  return text === texts.length && bytes === binaryLength;
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

/** A batch's capture health (batch.ts): counts only. */
const health = (v: unknown): boolean => v === undefined || (isRec(v) && optUint(v.hookErrors) && optUint(v.relayRejected)
  && optUint(v.backgroundRejected) && (v.connErrors === undefined
    || (Array.isArray(v.connErrors) && v.connErrors.length <= HEALTH_MAX_CONNS * 2 && v.connErrors.length % 2 === 0 && v.connErrors.every(uint))));

/** The hook's batch, as the relay gets it from the page (which can post anything). */
export function isPageBatch(v: unknown): boolean {
  if (!isRec(v) || !uint(v.rows) || !Array.isArray(v.texts) || v.texts.length > v.rows || !health(v.health)) return false;
  const rows = v.rows;
  const colBytes = byteLengthOfArrayBuffer(v.cols);
  const binBytes = byteLengthOfArrayBuffer(v.binary);
  if (colBytes !== rows * ROW_BYTES || binBytes < 0 || binBytes > LIMITS.payloadBytes * 4) return false;
  if (!eventsAreValid(v.events, v.at, rows, isPageBinary)) return false;
  return columnsAreValid(columnViews(v.cols as ArrayBuffer, rows), rows, v.texts, binBytes);
}

/** A batch on an extension port: its bytes as ArrayBuffers or base64 (decoded here), every row checked. */
export function isWireBatch(v: unknown): boolean {
  if (!isRec(v) || !uint(v.rows) || !Array.isArray(v.texts) || v.texts.length > v.rows) return false;
  const colBytes = wireBytesLength(v.cols);
  const binBytes = wireBytesLength(v.binary);
  if (colBytes < 0 || binBytes < 0 || binBytes > LIMITS.payloadBytes * 4) return false;
  if (!health(v.health)) return false;
  const rows = v.rows;
  if (!fixedColumns(v.fixed)) return false;
  const fixed = v.fixed as FixedColumns | undefined;
  if (colBytes !== wireColumnBytes(rows, fixed)) return false;
  if (!eventsAreValid(v.events, v.at, rows, isWireBinary)) return false;
  try {
    return columnsAreValid(fromWireColumns(v.cols as ArrayBuffer | string, rows, fixed), rows, v.texts, binBytes);
  } catch {
    return false;
  }
}

/** Bytes a wire batch's buffer holds: an ArrayBuffer's length, or a base64 string's decoded length; -1 if neither. */
function wireBytesLength(v: unknown): number {
  if (typeof v === 'string') return v.length > ((LIMITS.payloadBytes * 4) / 3) * 4 + 4 ? -1 : base64Length(v);
  return byteLengthOfArrayBuffer(v);
}

/** A wire batch's `fixed`: absent, or only fixable columns, each a whole number its column can hold. */
function fixedColumns(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isRec(v)) return false;
  for (const k of Object.keys(v)) {
    if (!isFixable(k)) return false;
    const n = v[k];
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) >= 2 ** (8 * COLUMNS[k].BYTES_PER_ELEMENT)) return false;
  }
  return true;
}

const envelopeOf = (v: unknown, src: string): v is Rec => isRec(v) && v.src === src && v.v === PROTOCOL_VERSION;

/**
 * The checks of one channel's messages: one for every `type` of its union, and no other — the compiler
 * says so when a message is added to messages.ts without its check (or a check outlives its message).
 */
type Checks<M extends { type: string }> = { readonly [K in M['type']]: (v: Rec) => boolean };

/** A message of one channel, checked field by field by its type's check; null for anything else. */
function message<M extends { type: string }>(v: unknown, src: string, checks: Checks<M>): M | null {
  if (!envelopeOf(v, src) || typeof v.type !== 'string' || !Object.hasOwn(checks, v.type)) return null;
  // the one cast: every field the type has was checked just now
  return checks[v.type as M['type']](v) ? (v as unknown as M) : null;
}

const hookPayload = (binary: BinaryCheck) => (v: Rec): boolean => uint(v.req) && connId(v.c) && uint(v.seq)
  && (v.data === undefined || payload(v.data, binary)) && optBool(v.truncated) && optStr(v.error);
const frameOf = (v: Rec): boolean => uint(v.frameId) && str(v.hook, LIMITS.connIdLength);

const HOOK_TO_RELAY: Checks<HookToRelay> = {
  active: () => true,
  batch: (v) => isPageBatch(v.batch),
  payload: hookPayload(isPageBinary),
  'command-result': (v) => uint(v.req) && isCommandResult(v.result),
  'worker-script': (v) => str(v.url) && uint(v.base) && v.base > 0,
};

const RELAY_TO_BACKGROUND: Checks<RelayToBackground> = {
  hello: (v) => str(v.hook, LIMITS.connIdLength) && str(v.url),
  batch: (v) => str(v.hook, LIMITS.connIdLength) && isWireBatch(v.batch),
  payload: (v) => str(v.hook, LIMITS.connIdLength) && hookPayload(isWireBinary)(v),
  'command-result': (v) => str(v.hook, LIMITS.connIdLength) && uint(v.req) && isCommandResult(v.result),
};

const cursors = (v: unknown): boolean =>
  isRec(v) && Object.keys(v).length <= 100_000 && Object.entries(v).every(([k, s]) => connId(k) && uint(s));

/** The attach's probe (messages.ts): absent, an empty ArrayBuffer, or the `{}` JSON makes of one. */
function cloneProbe(v: unknown): boolean {
  if (v === undefined) return true;
  const n = byteLengthOfArrayBuffer(v);
  return n === 0 || (n < 0 && isRec(v) && Object.keys(v).length === 0);
}

const BACKGROUND_TO_RELAY: Checks<BackgroundToRelay> = {
  attach: (v) => cursors(v.cursors) && cloneProbe(v.clone),
  detach: () => true,
  'fetch-payload': (v) => uint(v.req) && connId(v.c) && uint(v.seq),
  command: (v) => uint(v.req) && isCommand(v.cmd, isWireBinary),
};

const PANEL_TO_BACKGROUND: Checks<PanelToBackground> = {
  subscribe: (v) => uint(v.tabId),
  attach: (v) => frameOf(v) && cursors(v.cursors),
  'fetch-payload': (v) => frameOf(v) && uint(v.req) && connId(v.c) && uint(v.seq),
  command: (v) => frameOf(v) && uint(v.req) && isCommand(v.cmd, isWireBinary),
};

const BACKGROUND_TO_PANEL: Checks<BackgroundToPanel> = {
  'frame-hello': (v) => frameOf(v) && str(v.url),
  'frame-gone': frameOf,
  // the background checked every row (it is the boundary); the panel checks the shape it relies on
  batches: (v) => Array.isArray(v.items) && v.items.every(isFrameBatchShape),
  payload: (v) => frameOf(v) && hookPayload(isWireBinary)(v),
  'command-result': (v) => frameOf(v) && uint(v.req) && isCommandResult(v.result),
};

/** Relay side: is this a message from our page hook? (the page can forge anything) */
export const asHookMessage = (v: unknown): HookToRelay | null => message(v, 'wsi-hook', HOOK_TO_RELAY);
/** Background side: a message from a relay port. */
export const asRelayMessage = (v: unknown): RelayToBackground | null => message(v, 'wsi-relay', RELAY_TO_BACKGROUND);
/** Relay side: a command from the background. */
export const asBackgroundToRelay = (v: unknown): BackgroundToRelay | null => message(v, 'wsi-background', BACKGROUND_TO_RELAY);
/** Background side: a message from a panel port. */
export const asPanelMessage = (v: unknown): PanelToBackground | null => message(v, 'wsi-panel', PANEL_TO_BACKGROUND);
/** Panel side: a message from the background. */
export const asBackgroundToPanel = (v: unknown): BackgroundToPanel | null => message(v, 'wsi-background', BACKGROUND_TO_PANEL);

/** Background side (Firefox): a relay's word about a worker script to put the worker hook in front of. */
export const asWorkerScriptWord = (v: unknown): WorkerScriptWord | null =>
  isRec(v) && v.type === WORKER_SCRIPT && str(v.url) && str(v.hook, LIMITS.connIdLength) && uint(v.base) && v.base > 0 && v.base <= 0xffffffff
    ? { type: WORKER_SCRIPT, url: v.url as string, hook: v.hook as string, base: v.base as number } : null;

const isFrameBatchShape = (v: unknown): boolean => isRec(v) && uint(v.frameId) && str(v.hook, LIMITS.connIdLength) && isRec(v.batch)
  && uint(v.batch.rows) && wireBytesLength(v.batch.cols) >= 0 && Array.isArray(v.batch.texts) && wireBytesLength(v.batch.binary) >= 0
  && Array.isArray(v.batch.events) && Array.isArray(v.batch.at) && (v.batch.fixed === undefined || isRec(v.batch.fixed));

export type { Base64, CaptureEvent };
