/**
 * Public API of export and import (see README, "Decoders, export and import").
 * Exports take the store's connections; imports return events per connection
 * for `store.ingest(frameId, hook, events)`, or `{ ok: false, error }`.
 */
import { importHar } from './har-import';
import { inputText, type ImportOptions, type ImportResult } from './input';
import { importNdjson, NDJSON_FORMAT } from './ndjson';

export { exportHar, CREATOR, type ExportOptions, type HarMessage } from './har-export';
export { importHar } from './har-import';
export { exportNdjson, importNdjson, NDJSON_FORMAT, NDJSON_VERSION, type NdjsonHeader } from './ndjson';
export { connectionEvents, type ConnectionModel, type FrameModel } from './events';
export { compilePatterns, Redactor, type RedactionOptions, type RedactionSummary, type RuleName } from './redact';
export { MAX_IMPORT_BYTES, sizeProblem, type ImportedConnection, type ImportOptions, type ImportResult } from './input';

/** Import a file whose format is not known: NDJSON when its first line is our header, else HAR. */
export function importFile(input: string | Uint8Array | ArrayBuffer, opts: ImportOptions = {}): ImportResult {
  const read = inputText(input, opts.maxBytes);
  if ('error' in read) return { ok: false, error: read.error };
  const head = read.text.slice(0, 300).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('{') && head.includes(`"${NDJSON_FORMAT}"`) && !/^\{\s*"log"/.test(head)
    ? importNdjson(read.text, opts) : importHar(read.text, opts);
}
