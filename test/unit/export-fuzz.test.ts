/**
 * Property-style: importers never throw, whatever they are fed (random bytes and text, valid
 * exports cut short or with characters changed, Chrome's HAR mutated), and always answer
 * `{ ok: true, … }` with events the capture protocol accepts, or `{ ok: false, error }` with text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportHar, exportNdjson, importFile, importHar, importNdjson, type ImportResult } from '../../src/export';
import { isCaptureEvent, isWireBinary } from '../../src/protocol/guards';
import { sampleEvents, storeOf } from './export-helpers';
import { prng } from './fuzz-helpers';

const store = storeOf(sampleEvents());
const valid = [
  exportNdjson(store.order, { redaction: { enabled: false } }).text,
  exportHar(store.order).text,
  readFileSync(new URL('../fixtures/har/chrome-websocket.har', import.meta.url), 'utf8'),
];
const enc = new TextEncoder();

function wellFormed(r: ImportResult): boolean {
  if (!r.ok) return typeof r.error === 'string' && r.error.length > 0;
  return r.connections.every((c) => Number.isSafeInteger(c.frameId) && typeof c.hook === 'string' && c.events.every((e) => isCaptureEvent(e, isWireBinary)));
}

describe('importers never throw (fuzz)', () => {
  for (const [name, importer] of [['importHar', importHar], ['importNdjson', importNdjson], ['importFile', importFile]] as const) {
    it(`${name}: 600 random, truncated and mutated files`, () => {
      const seed = 0x1e7 + name.length;
      const r = prng(seed);
      for (let i = 0; i < 600; i++) {
        let input: string | Uint8Array;
        const kind = r.int(4);
        if (kind === 0) input = r.bytes(r.pick([10, 300]));
        else if (kind === 1) input = r.text(r.pick([10, 300]));
        else {
          const base = enc.encode(r.pick(valid));
          const m = r.mutate(base);
          input = r.next() < 0.5 ? m : new TextDecoder().decode(m);
        }
        let res: ImportResult;
        try { res = importer(input); } catch (e) { throw new Error(`${name} threw (seed ${seed}, input ${i}): ${String(e)}`, { cause: e }); }
        expect(wellFormed(res), `seed ${seed}, input ${i}`).toBe(true);
      }
    });
  }
});
