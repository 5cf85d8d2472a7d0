/**
 * Capture events as one column batch (protocol/batch.ts), for what reaches
 * the panel as events rather than from a hook — imported files, tests — so
 * the store has one way in: `Store.ingestBatch`.
 */
import { base64ToBytes } from '../protocol/base64';
import { COLUMNS, DATA_TYPES, FLAG, NONE, type ColumnBatch, type ColumnViews, type LifecycleEvent } from '../protocol/batch';
import type { Base64, WireEvent, WirePayload } from '../protocol/messages';
import { wellFormed } from '../protocol/utf8';

const AS_INDEX = new Map(DATA_TYPES.map((d, i) => [d, i]));

export function batchOfEvents(events: readonly WireEvent[]): ColumnBatch {
  const rowEvents = events.filter((e) => e.k === 'frame' || e.k === 'payload' || e.k === 'buffered');
  const rows = rowEvents.length;
  const cols = Object.fromEntries(Object.entries(COLUMNS).map(([k, C]) => [k, new C(rows)])) as unknown as ColumnViews;
  const connIds: string[] = [];
  const connIndex = new Map<string, number>();
  const texts: string[] = [];
  const bytes: Uint8Array[] = [];
  const lifecycle: LifecycleEvent<Base64>[] = [];
  const at: number[] = [];
  let r = 0;
  for (const e of events) {
    if (e.k !== 'frame' && e.k !== 'payload' && e.k !== 'buffered') {
      lifecycle.push(e);
      at.push(r);
      continue;
    }
    let conn = connIndex.get(e.c);
    if (conn === undefined) connIndex.set(e.c, (conn = connIds.push(e.c) - 1));
    cols.t[r] = e.t;
    cols.seq[r] = e.seq;
    cols.conn[r] = conn;
    cols.aux[r] = NONE;
    const payload = (d: WirePayload | undefined) => {
      if (typeof d === 'string') {
        // a file may hold lone surrogates (JSON escapes them); on the wire, UTF-8, they were U+FFFD either way
        const text = wellFormed(d);
        if (text.length) texts.push(text);
        cols.textLen[r] = text.length;
      } else if (d) {
        const b = base64ToBytes(d.b64);
        bytes.push(b);
        cols.binLen[r] = b.length;
      }
    };
    if (e.k === 'buffered') {
      cols.flags[r] = FLAG.sample;
      cols.aux[r] = e.amount;
    } else if (e.k === 'payload') {
      cols.flags[r] = FLAG.payload | FLAG.binary | (e.truncated ? FLAG.truncated : 0);
      cols.aux[r] = e.of;
      cols.size[r] = NONE - 1;
      cols.as[r] = AS_INDEX.get('Blob')!;
      payload(e.data);
    } else {
      cols.flags[r] = (e.dir === 'out' ? FLAG.out : 0) | (e.kind === 'binary' ? FLAG.binary : 0) | (e.truncated ? FLAG.truncated : 0)
        | (e.notSent ? FLAG.notSent : 0) | (e.by === 'devtools' ? FLAG.devtools : e.by === 'rule' ? FLAG.rule : 0) | (e.data === undefined ? FLAG.noData : 0);
      cols.as[r] = AS_INDEX.get(e.as) ?? DATA_TYPES.length - 1;
      cols.size[r] = e.size;
      if (e.buffered !== undefined) cols.aux[r] = e.buffered;
      payload(e.data);
    }
    r++;
  }
  const total = bytes.reduce((n, b) => n + b.length, 0);
  const binary = new Uint8Array(total);
  let off = 0;
  for (const b of bytes) { binary.set(b, off); off += b.length; }
  return { rows, cols, texts, binary, events: lifecycle, at, connIds };
}
