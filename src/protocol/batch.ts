/**
 * A batch of capture events as it travels from page hook to panel: in
 * columns, end to end.
 *
 * Messages, Blob payloads and bufferedAmount samples are ROWS (thousands a
 * second); their numbers travel packed in one buffer, column after column
 * (COLUMNS), their texts as one list of strings (each text row's own, in
 * order: the panel keeps them as they arrive, without slicing a big string
 * that would hold every text of the batch alive) and their bytes in ONE
 * buffer, each row saying how much of those is its own (`textLen`, `binLen`). Cloning that to the relay, writing it to an extension port and
 * reading it in the panel then costs a few copies per batch instead of a few
 * objects per message — and the page's thread pays for the first two. The
 * panel appends the columns to its frame table as they are. Lifecycle events
 * (created, open, close …: a few per socket) travel as objects, each with the
 * number of rows before it (`at`), so order is kept.
 *
 *   hook → relay   PageBatch  (cols and binary as ArrayBuffers, transferred; the rest cloned)
 *   on ports       WireBatch  (cols and binary as ArrayBuffers where ports carry
 *                  structured clones — Firefox, Chrome 148+ with the manifest's
 *                  `message_serialization` —, else as base64 (JSON); a column the
 *                  same on every row as its one value, `fixed`)
 *   in the panel   ColumnBatch (typed views over the decoded buffers)
 */
import type { CaptureEvent, DataType } from './events';
import type { Base64 } from './messages';

export const DATA_TYPES: readonly DataType[] = ['string', 'ArrayBuffer', 'Blob', 'DataView', 'Int8Array', 'Uint8Array',
  'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array',
  'Float64Array', 'BigInt64Array', 'BigUint64Array', 'coerced'];

/**
 * Bits of a row's `flags`. A row is a message unless `payload` (the bytes of an earlier Blob message,
 * whose seq is in `aux`) or `sample` (a bufferedAmount sample, the amount in `aux`).
 */
export const FLAG = {
  /** sent by the page (or DevTools); else received */
  out: 1,
  /** binary on the wire (opcode 2); else text */
  binary: 2,
  /** the payload is only the first bytes of the message (`size` is the whole) */
  truncated: 4,
  /** send() was called while CLOSING/CLOSED: nothing went out */
  notSent: 8,
  /** sent or injected by DevTools (this extension), not by the page */
  devtools: 16,
  /** no bytes yet (a Blob being read: a payload row follows) */
  noData: 32,
  payload: 64,
  sample: 128,
  /** an interception rule's answer to a sent message (injected into the page), not the server's */
  rule: 256,
} as const;
/** Every bit a row may carry on the wire; the panel's table adds its own bits above (store/frame-table.ts). */
export const FLAG_BITS = 0x1ff;

/** `size` of a whole text the hook did not measure (the panel measures it), and `aux` when there is none. */
export const NONE = 0xffffffff;

/** The packed columns, widest first so every column is aligned to its element size. */
export const COLUMNS = {
  /** epoch ms, sub-ms precision */
  t: Float64Array,
  /** per-connection sequence number */
  seq: Uint32Array,
  /** the connection's number in its hook (its id is `${hook}.${conn}`) */
  conn: Uint32Array,
  /** bytes on the wire (UTF-8 for text); NONE: a whole text, measured by the panel */
  size: Uint32Array,
  /** messages sent: bufferedAmount right after send(); samples: the amount; payloads: the message's seq; else NONE */
  aux: Uint32Array,
  /** UTF-16 units of the row's text (its entry in `texts`; 0: none) */
  textLen: Uint32Array,
  /** bytes of `binary` that are this row's */
  binLen: Uint32Array,
  flags: Uint16Array,
  /** index into DATA_TYPES: the JS type the page passed to send() or received */
  as: Uint8Array,
} as const;

export type ColumnName = keyof typeof COLUMNS;
export type ColumnViews = { [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]> };
const NAMES = Object.keys(COLUMNS) as ColumnName[];
/** The columns in their packed order. */
export const COLUMN_NAMES: readonly ColumnName[] = NAMES;

/** Bytes one row takes in the packed columns. */
export const ROW_BYTES: number = NAMES.reduce((n, k) => n + COLUMNS[k].BYTES_PER_ELEMENT, 0);

/** Typed views of `rows` rows over a packed buffer (no copy); throws if it is too small. */
export function columnViews(buffer: ArrayBuffer, rows: number): ColumnViews {
  return wireColumnViews(buffer, rows, undefined);
}

/**
 * On ports, a column whose every row holds the same value travels as that one value (`WireBatch.fixed`)
 * instead of a base64 run: in a busy socket's batch the connection, the flags, the data type, `aux`,
 * `binLen` (and `size` of texts the panel measures) are the same on every row. Every character costs on
 * each hop — the relay's port `postMessage` takes ~30 ns of wall time per character, the service worker
 * and the panel parse and post it again (README Performance) — and these columns were two thirds of a small
 * text row's packed bytes (a fifth of its message). Only whole-number columns: times never repeat.
 */
export const FIXABLE = ['seq', 'conn', 'size', 'aux', 'textLen', 'binLen', 'flags', 'as'] as const satisfies readonly ColumnName[];
export type FixableColumn = (typeof FIXABLE)[number];
/** The columns a wire batch carries as one value each (every row's), left out of its packed `cols`. */
export type FixedColumns = { [K in FixableColumn]?: number };

/** Is this one of the columns a wire batch may carry as one value? */
export const isFixable = (k: string): k is FixableColumn => (FIXABLE as readonly string[]).includes(k);

/** Packed bytes of `rows` rows without the fixed columns. */
export function wireColumnBytes(rows: number, fixed: FixedColumns | undefined): number {
  let per = ROW_BYTES;
  if (fixed) for (const k of FIXABLE) if (fixed[k] !== undefined) per -= COLUMNS[k].BYTES_PER_ELEMENT;
  return rows * per;
}

/**
 * Typed views of `rows` rows over a buffer packed without the fixed columns (COLUMNS' order, widest
 * first, so each stays aligned; none fixed: the whole packed layout); a fixed column becomes an array of
 * its one value. Throws if too small.
 */
export function wireColumnViews(buffer: ArrayBuffer, rows: number, fixed: FixedColumns | undefined): ColumnViews {
  const out = {} as Record<ColumnName, ArrayBufferView>;
  let at = 0;
  for (const k of NAMES) {
    const C = COLUMNS[k];
    const v = fixed && isFixable(k) ? fixed[k] : undefined;
    if (v !== undefined) { out[k] = new C(rows).fill(v); continue; }
    out[k] = new C(buffer, at, rows);
    at += rows * C.BYTES_PER_ELEMENT;
  }
  return out as ColumnViews;
}

/** Where each column starts in a packed buffer of `rows` rows (the hook writes them with natives). */
export function columnOffsets(rows: number): Record<ColumnName, number> {
  const out = {} as Record<ColumnName, number>;
  let at = 0;
  for (const k of NAMES) {
    out[k] = at;
    at += rows * COLUMNS[k].BYTES_PER_ELEMENT;
  }
  return out;
}

/** The events that travel as objects (messages, payloads and samples are rows); `B`: an edited binary payload's form. */
export type LifecycleEvent<B = ArrayBuffer> = Exclude<CaptureEvent<B>, { k: 'frame' | 'payload' | 'buffered' }>;

/**
 * What failed in capture, so the panel can say so (never silence): counts since the document started,
 * carried by every batch once one is not zero (a batch with only this may have no rows and no events).
 * Each hop adds its own; the panel keeps the largest seen of each.
 */
export interface CaptureHealth {
  /** errors the page hook caught in itself (so that they never reach the page) */
  hookErrors?: number;
  /** of those, per socket: [connection number, errors, connection number, errors, …] */
  connErrors?: number[];
  /** messages from the hook the relay refused (malformed, or a field over a limit) */
  relayRejected?: number;
  /** messages from the relay the background refused */
  backgroundRejected?: number;
}

/**
 * How much text and binary one batch carries at most (a batch is posted once past either): a Chrome
 * extension port refuses a message over 64 MiB of JSON — and drops the port — so the worst case (every
 * text character escaped as \uXXXX, bytes as base64) must stay under that.
 */
export const BATCH_TEXT_CHARS = 4 * 1024 * 1024;
export const BATCH_BINARY_BYTES = 16 * 1024 * 1024;

/** The most connections a batch's health names (the ones with the most errors come first is not needed: any). */
export const HEALTH_MAX_CONNS = 1000;

interface BatchOf<Bytes, B> {
  /** capture failures so far (absent while there are none) */
  health?: CaptureHealth;
  rows: number;
  /** the packed columns (COLUMNS) */
  cols: Bytes;
  /** the texts of the rows that have one (textLen > 0), in row order */
  texts: string[];
  /** every row's bytes, concatenated */
  binary: Bytes;
  events: LifecycleEvent<B>[];
  /** per event: how many rows come before it (non-decreasing) */
  at: number[];
}

/** Hook → relay on its MessageChannel: the two buffers transferred, the rest a structured clone. */
export type PageBatch = BatchOf<ArrayBuffer, ArrayBuffer>;
/**
 * On extension ports: bytes as ArrayBuffers where ports carry structured clones, else as base64 (a port
 * that serializes to JSON turns an ArrayBuffer into `{}`); columns the same on every row as one value.
 */
export interface WireBatch extends BatchOf<ArrayBuffer | string, Base64> {
  /** columns left out of `cols`, each with every row's value (absent: every column is in `cols`) */
  fixed?: FixedColumns;
}
/** In the panel: typed views, ready to append. */
export interface ColumnBatch extends Omit<BatchOf<never, Base64>, 'cols' | 'binary'> {
  cols: ColumnViews;
  binary: Uint8Array;
  /**
   * The connection id of each `conn` number, when the batch did not come from a hook (an import): a
   * hook's connections are `${hook}.${conn}`.
   */
  connIds?: readonly string[];
}
