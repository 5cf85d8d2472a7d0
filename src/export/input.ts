/**
 * What importers share: the size limit, the result type, and JSON parsing that
 * says where it failed. Imports never throw: bad input becomes `{ ok: false, error }`
 * with the problem and its position, and nothing already in the panel is touched.
 */
import type { WireEvent } from '../protocol/messages';
import { jsonErrorOffset } from './json-error';

/** Largest file an import accepts (the panel holds everything in memory). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/** One imported connection: feed it to the panel with `store.ingest(frameId, hook, events)`. */
export interface ImportedConnection { frameId: number; hook: string; events: WireEvent[] }

export type ImportResult =
  | { ok: true; format: 'har' | 'ndjson'; connections: ImportedConnection[]; events: number; warnings: string[] }
  | { ok: false; error: string };

export interface ImportOptions {
  /**
   * Prepended to every connection id, so an import cannot collide with (or be
   * taken as duplicates of) connections already in the store. Keep it short:
   * connection ids are limited to 64 characters.
   */
  idPrefix?: string;
  /** override MAX_IMPORT_BYTES (tests) */
  maxBytes?: number;
}

/** Says why a file of this many bytes cannot be imported, or undefined when it can (check File.size first). */
export function sizeProblem(bytes: number, max = MAX_IMPORT_BYTES): string | undefined {
  if (bytes <= max) return undefined;
  const mib = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MiB`;
  return `File too large: ${mib(bytes)}, the import limit is ${mib(max)}`;
}

/** Input as text, or the reason it cannot be read (too large, not UTF-8). */
export function inputText(input: string | Uint8Array | ArrayBuffer, max = MAX_IMPORT_BYTES): { text: string } | { error: string } {
  if (typeof input === 'string') {
    // a string's UTF-8 size is at least its length: reject without encoding it
    const tooBig = sizeProblem(input.length, max);
    return tooBig ? { error: tooBig } : { text: input };
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const tooBig = sizeProblem(bytes.byteLength, max);
  if (tooBig) return { error: tooBig };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { error: 'The file is not UTF-8 text' };
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1, last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line++; last = i; }
  return { line, column: offset - last };
}

/** JSON.parse that reports where the text stops being JSON (line, column, character offset). */
export function parseJsonAt(text: string, what = 'JSON'): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
    const offset = jsonErrorOffset(text);
    if (offset < 0) return { error: `Not valid ${what}: ${msg}` };
    const { line, column } = lineColumn(text, offset);
    const where = `line ${line}, column ${column} (character ${offset})`;
    if (offset >= text.length) return { error: `${what} ends too early at ${where}: the file looks truncated` };
    return { error: `Not valid ${what} at ${where}: unexpected ${JSON.stringify(text.slice(offset, offset + 12))}` };
  }
}
