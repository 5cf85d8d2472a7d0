/**
 * Page-side code (a string, evaluated in the panel page: tsx would add helpers a
 * page does not have) that defines `wire(rows, fill, texts, bins, events, at)`:
 * a wire batch as the relay sends it (src/protocol/batch.ts), built with the
 * protocol's own column layout. `fill(c)` writes the rows into typed views `c`.
 * Used by the million-frame panel bench and the redraw case of bench:compare.
 */
import { columnOffsets, NONE, ROW_BYTES } from '../../src/protocol/batch';

export const WIRE_IN_PAGE = `
  const AT = ${JSON.stringify(columnOffsets(1))}, ROW_BYTES = ${ROW_BYTES}, NONE = ${NONE};
  const b64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); };
  const wire = (rows, fill, texts, bins, events = [], at = []) => {
    const buf = new ArrayBuffer(rows * ROW_BYTES);
    const c = { t: new Float64Array(buf, AT.t * rows, rows), seq: new Uint32Array(buf, AT.seq * rows, rows), conn: new Uint32Array(buf, AT.conn * rows, rows),
      size: new Uint32Array(buf, AT.size * rows, rows), aux: new Uint32Array(buf, AT.aux * rows, rows), textLen: new Uint32Array(buf, AT.textLen * rows, rows),
      binLen: new Uint32Array(buf, AT.binLen * rows, rows), flags: new Uint16Array(buf, AT.flags * rows, rows), as: new Uint8Array(buf, AT.as * rows, rows) };
    fill(c);
    const total = bins.reduce((n, b) => n + b.length, 0);
    const bytes = new Uint8Array(total); let off = 0; for (const b of bins) { bytes.set(b, off); off += b.length; }
    return { rows, cols: b64(new Uint8Array(buf)), texts, binary: b64(bytes), events, at };
  };`;
