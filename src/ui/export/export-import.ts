/**
 * What the panel's Export and Import buttons do, without the DOM: build the
 * file (HAR or NDJSON, redacted unless the user turned it off, with the user's
 * own patterns), and read a file into the store next to live traffic (ids
 * prefixed, connections marked imported). Errors come back as text naming the
 * problem and its position; a failed import leaves the store untouched.
 */
import { compilePatterns, exportHar, exportNdjson, importFile, sizeProblem, type ExportOptions, type RedactionSummary } from '../../export';
import type { Connection } from '../../store/model';
import { Store } from '../../store/store';

export type ExportFormat = 'har' | 'ndjson';

export interface ExportChoice {
  format: ExportFormat;
  /** redaction on (the default) */
  redact: boolean;
  /** the user's patterns, one per line: a regex source, or /source/flags */
  patterns: string;
}

export type ExportOutcome =
  | { ok: true; text: string; filename: string; mime: string; redaction: RedactionSummary; connections: number }
  | { ok: false; error: string };

/** The non-empty lines of the patterns box. */
export const patternLines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

/** "websocket-inspector-2024-05-14T09-21-33.har" */
export function exportFilename(format: ExportFormat, now: Date = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `websocket-inspector-${stamp}.${format === 'har' ? 'har' : 'ndjson'}`;
}

export function buildExport(conns: readonly Connection[], choice: ExportChoice, now?: Date, intercepts?: ExportOptions['intercepts']): ExportOutcome {
  const compiled = compilePatterns(patternLines(choice.patterns));
  if (!compiled.ok) return { ok: false, error: `Redaction ${compiled.error}` };
  const redaction = { enabled: choice.redact, patterns: compiled.patterns };
  try {
    const out = choice.format === 'har' ? exportHar(conns, { redaction, intercepts }) : exportNdjson(conns, { redaction, intercepts });
    return {
      ok: true, text: out.text, redaction: out.redaction, connections: conns.length,
      filename: exportFilename(choice.format, now),
      mime: choice.format === 'har' ? 'application/json' : 'application/x-ndjson',
    };
  } catch (e) {
    return { ok: false, error: `Export failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** What an import needs of a File (a real one in the panel, a stand-in in tests). */
export interface FileLike { name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }

export type ImportOutcome =
  | { ok: true; format: 'har' | 'ndjson'; keys: string[]; events: number; warnings: string[] }
  | { ok: false; error: string };

/**
 * Read `file` into `store`: checked for size before it is read, parsed whole,
 * and only then ingested, so a bad file changes nothing. `idPrefix` keeps its
 * connection ids apart from live ones (and from earlier imports).
 */
export async function importInto(store: Store, file: FileLike, idPrefix: string, maxBytes?: number): Promise<ImportOutcome> {
  const tooBig = sizeProblem(file.size, maxBytes);
  if (tooBig) return { ok: false, error: tooBig };
  let bytes: ArrayBuffer;
  try { bytes = await file.arrayBuffer(); } catch (e) { return { ok: false, error: `The file could not be read: ${String(e)}` }; }
  const r = importFile(bytes, { idPrefix, ...(maxBytes !== undefined ? { maxBytes } : {}) });
  if (!r.ok) return r;
  if (r.connections.length === 0) return { ok: false, error: 'The file has no WebSocket connections' };
  const keys = new Set<string>();
  for (const c of r.connections) {
    for (const e of c.events) keys.add(Store.key(c.frameId, e.c));
  }
  // one batch per connection, then one mark: listeners see the import whole
  for (const c of r.connections) store.ingest(c.frameId, c.hook, c.events);
  store.markImported(keys, file.name);
  return { ok: true, format: r.format, keys: [...keys], events: r.events, warnings: r.warnings };
}
