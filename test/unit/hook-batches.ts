/**
 * Real hook batches for unit tests: events written to the hook's own FrameLog and built by its own
 * BatchWriter (the code that runs in pages), so tests exercise the format as the page produces it.
 */
import { BatchWriter } from '../../src/capture/batch-writer';
import { FrameLog } from '../../src/capture/frame-log';
import { takeDataNatives } from '../../src/capture/natives';
import { DATA_TYPES, FLAG, NONE, type ColumnBatch, type PageBatch, type WireBatch } from '../../src/protocol/batch';
import { toWireBatch } from '../../src/protocol/batch-codec';
import type { CaptureEvent } from '../../src/protocol/events';
import type { Base64 } from '../../src/protocol/messages';
import { utf8Length } from '../../src/protocol/utf8';

const n = takeDataNatives(globalThis);

/** Connection ids in tests are `${hook}.${number}`, as the hook makes them. */
const connNumber = (c: string) => Number(c.slice(c.lastIndexOf('.') + 1));

/** A message, Blob payload or sample event as the Recorder writes it: a row of the log. */
export function writeRow(log: FrameLog, e: Extract<CaptureEvent<ArrayBuffer>, { k: 'frame' | 'payload' | 'buffered' }>): void {
  const conn = connNumber(e.c);
  if (e.k === 'frame') {
    const flags = (e.dir === 'out' ? FLAG.out : 0) | (e.kind === 'binary' ? FLAG.binary : 0) | (e.truncated ? FLAG.truncated : 0)
      | (e.notSent ? FLAG.notSent : 0) | (e.by ? FLAG.devtools : 0) | (e.data === undefined ? FLAG.noData : 0);
    log.add(conn, e.seq, e.t, flags, DATA_TYPES.indexOf(e.as), e.size < 0 ? NONE : e.size, e.buffered ?? NONE, e.data);
  } else if (e.k === 'payload') {
    log.add(conn, e.seq, e.t, FLAG.payload | FLAG.binary | (e.truncated ? FLAG.truncated : 0), DATA_TYPES.indexOf('Blob'), 0, e.of, e.data);
  } else {
    log.add(conn, e.seq, e.t, FLAG.sample, 0, 0, e.amount, undefined);
  }
}

/** The batch a hook would post after recording these events (frames, payloads and samples as rows). */
export function pageBatchOf(events: readonly CaptureEvent<ArrayBuffer>[], previewBytes = 16 * 1024): PageBatch {
  const log = new FrameLog(n, events.length + 1, 1e12);
  const w = new BatchWriter(n, log, previewBytes, events.length + 1);
  for (const e of events) {
    if (e.k === 'frame' || e.k === 'payload' || e.k === 'buffered') {
      writeRow(log, e);
      w.addRow(log.written - 1);
    } else {
      w.addEvent(e);
    }
  }
  return w.take(undefined);
}

export const wireBatchOf = (events: readonly CaptureEvent<ArrayBuffer>[]): WireBatch => toWireBatch(pageBatchOf(events), false);

/** A batch back as capture events (binary as base64), for assertions on what travelled. */
export function eventsOfBatch(b: ColumnBatch, hook = 'h'): CaptureEvent<Base64>[] {
  const out: CaptureEvent<Base64>[] = [];
  const c = b.cols;
  let e = 0, textAt = 0, binAt = 0;
  for (let r = 0; r <= b.rows; r++) {
    while (e < b.events.length && b.at[e]! <= r) out.push(b.events[e++]!);
    if (r === b.rows) break;
    const id = b.connIds ? b.connIds[c.conn[r]!]! : `${hook}.${c.conn[r]}`;
    const f = c.flags[r]!;
    const text = c.textLen[r] ? b.texts[textAt++] : undefined;
    const bytes = c.binLen[r] || f & FLAG.binary ? b.binary.subarray(binAt, (binAt += c.binLen[r]!)) : undefined;
    const data = text ?? (bytes && !(f & FLAG.noData) ? { b64: Buffer.from(bytes).toString('base64') } : f & FLAG.noData ? undefined : '');
    const base = { c: id, seq: c.seq[r]!, t: c.t[r]! };
    if (f & FLAG.sample) out.push({ ...base, k: 'buffered', amount: c.aux[r]! });
    else if (f & FLAG.payload) out.push({ ...base, k: 'payload', of: c.aux[r]!, data: data ?? '', ...(f & FLAG.truncated ? { truncated: true } : {}) });
    else {
      out.push({
        ...base, k: 'frame', dir: f & FLAG.out ? 'out' : 'in', kind: f & FLAG.binary ? 'binary' : 'text', as: DATA_TYPES[c.as[r]!]!,
        size: c.size[r] === NONE ? utf8Length(text ?? '') : c.size[r]!,
        ...(data === undefined ? {} : { data }), ...(f & FLAG.truncated ? { truncated: true } : {}), ...(f & FLAG.notSent ? { notSent: true } : {}),
        ...(f & FLAG.devtools ? { by: 'devtools' as const } : {}), ...(c.aux[r] !== NONE ? { buffered: c.aux[r]! } : {}),
      });
    }
  }
  return out;
}
