/**
 * Real hook batches for unit tests: events written to the hook's own FrameLog and built by its own
 * BatchWriter (the code that runs in pages), so tests exercise the format as the page produces it.
 */
import { BatchWriter } from '../../src/capture/batch-writer';
import { FrameLog } from '../../src/capture/frame-log';
import { takeDataNatives } from '../../src/capture/natives';
import { DATA_TYPES, FLAG, NONE, type LifecycleEvent, type PageBatch, type WireBatch } from '../../src/protocol/batch';
import { toWireBatch } from '../../src/protocol/batch-codec';
import type { CaptureEvent } from '../../src/protocol/events';

const n = takeDataNatives(globalThis);

/** Connection ids in tests are `${hook}.${number}`, as the hook makes them. */
const connNumber = (c: string) => Number(c.slice(c.lastIndexOf('.') + 1));

/** The batch a hook would post after recording these events (frames, payloads and samples as rows). */
export function pageBatchOf(events: readonly CaptureEvent<ArrayBuffer>[], previewBytes = 16 * 1024): PageBatch {
  const log = new FrameLog(n, 1e6, 1e12);
  const w = new BatchWriter(n, log, previewBytes, 1e5);
  for (const e of events) {
    const conn = connNumber(e.c);
    if (e.k === 'frame') {
      const flags = (e.dir === 'out' ? FLAG.out : 0) | (e.kind === 'binary' ? FLAG.binary : 0) | (e.truncated ? FLAG.truncated : 0)
        | (e.notSent ? FLAG.notSent : 0) | (e.by ? FLAG.devtools : 0) | (e.data === undefined ? FLAG.noData : 0);
      log.add(conn, e.seq, e.t, flags, DATA_TYPES.indexOf(e.as), e.size < 0 ? NONE : e.size, e.buffered ?? NONE, e.data);
    } else if (e.k === 'payload') {
      log.add(conn, e.seq, e.t, FLAG.payload | FLAG.binary | (e.truncated ? FLAG.truncated : 0), DATA_TYPES.indexOf('Blob'), 0, e.of, e.data);
    } else if (e.k === 'buffered') {
      log.add(conn, e.seq, e.t, FLAG.sample, 0, 0, e.amount, undefined);
    } else {
      w.addEvent(e as LifecycleEvent);
      continue;
    }
    w.addRow(log.written - 1);
  }
  return w.take();
}

export const wireBatchOf = (events: readonly CaptureEvent<ArrayBuffer>[]): WireBatch => toWireBatch(pageBatchOf(events));
