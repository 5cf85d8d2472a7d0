/**
 * What the composer turns into a payload, checked before anything is sent:
 * text as is, JSON validated (with the position of the first error), binary
 * typed as hex or base64 (with the position of a bad character). Pure, so it
 * is unit-tested in node. Positions count characters from 0, as JSON.parse does.
 */
import { bytesToBase64 } from '../protocol/base64';
import type { WirePayload } from '../protocol/messages';

export type Format = 'text' | 'json' | 'hex' | 'base64';
export const FORMATS: readonly Format[] = ['text', 'json', 'hex', 'base64'];
export const FORMAT_LABELS: Record<Format, string> = { text: 'Text', json: 'JSON', hex: 'Hex', base64: 'Base64' };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; position: number };

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
/** A character as the error message shows it (control characters by code). */
const show = (c: string): string => (c < ' ' || c === '\u007f' ? `U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}` : `'${c}'`);

// ---------- hex ----------

/**
 * Hex digits, two per byte, with any whitespace between them (as in "48 65 6c"
 * or "48656c"); a "0x" before a group is allowed.
 */
export function parseHex(text: string): Parsed<Uint8Array> {
  const nibbles: number[] = [];
  let lastAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (isSpace(c)) continue;
    if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && (i === 0 || isSpace(text[i - 1]!)) && nibbles.length % 2 === 0) {
      i++;
      continue;
    }
    const v = parseInt(c, 16);
    if (Number.isNaN(v) || !/[0-9a-fA-F]/.test(c)) return { ok: false, error: `invalid hex digit ${show(c)} at position ${i}`, position: i };
    nibbles.push(v);
    lastAt = i;
  }
  if (nibbles.length % 2) {
    return {
      ok: false,
      error: `odd number of hex digits (${nibbles.length}): the digit at position ${lastAt} has no pair`,
      position: lastAt,
    };
  }
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return { ok: true, value: out };
}

/** "48 65 6c …": how the composer shows bytes for editing. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i ? ' ' : '') + bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

// ---------- base64 ----------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function b64Value(c: string): number {
  const i = B64.indexOf(c);
  if (i >= 0) return i;
  if (c === '+' || c === '-') return 62;
  if (c === '/' || c === '_') return 63;
  return -1;
}

/** Base64, standard or URL-safe alphabet, padding optional, whitespace ignored. */
export function parseBase64(text: string): Parsed<Uint8Array> {
  const values: number[] = [];
  let padAt = -1;
  let pads = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (isSpace(c)) continue;
    if (c === '=') {
      if (padAt < 0) padAt = i;
      pads++;
      if (pads > 2) return { ok: false, error: `too much '=' padding at position ${i}`, position: i };
      continue;
    }
    if (padAt >= 0) return { ok: false, error: `'=' padding at position ${padAt} is not at the end`, position: padAt };
    const v = b64Value(c);
    if (v < 0) return { ok: false, error: `invalid base64 character ${show(c)} at position ${i}`, position: i };
    values.push(v);
  }
  const rest = values.length % 4;
  if (rest === 1) {
    return { ok: false, error: `base64 ends with a lone character (${values.length} characters; 1 more than a multiple of 4)`, position: text.length };
  }
  if (pads && (values.length + pads) % 4) {
    return { ok: false, error: `wrong '=' padding at position ${padAt} for ${values.length} characters`, position: padAt };
  }
  const out = new Uint8Array(Math.floor((values.length * 6) / 8));
  let acc = 0, bits = 0, k = 0;
  for (const v of values) {
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[k++] = (acc >> bits) & 0xff;
    }
  }
  return { ok: true, value: out };
}

// ---------- JSON ----------

/** JSON.parse, but a failure names the position (and line and column) of the first error. */
export function parseJson(text: string): Parsed<unknown> {
  const err = jsonError(text);
  if (err) {
    const { line, column } = lineColumn(text, err.position);
    return { ok: false, error: `invalid JSON: ${err.what} at position ${err.position} (line ${line}, column ${column})`, position: err.position };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `invalid JSON: ${(e as Error).message}`, position: 0 };
  }
}

/** Pretty-printed (2 spaces), or the error with its position. */
export function formatJson(text: string): Parsed<string> {
  const r = parseJson(text);
  return r.ok ? { ok: true, value: JSON.stringify(r.value, null, 2) } : r;
}

export function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1, start = 0;
  for (let i = 0; i < position && i < text.length; i++) if (text[i] === '\n') { line++; start = i + 1; }
  return { line, column: position - start + 1 };
}

/** A small JSON scanner (RFC 8259) that says where the input stops being JSON; null if it is JSON. */
export function jsonError(text: string): { what: string; position: number } | null {
  let i = 0;
  const fail = (what: string): never => { throw { what, position: i }; };
  const ws = () => { while (i < text.length && isSpace(text[i]!)) i++; };
  const unexpected = (): never => (i >= text.length ? fail('unexpected end of input') : fail(`unexpected character ${show(text[i]!)}`));
  const literal = (word: string) => {
    for (const ch of word) { if (text[i] !== ch) unexpected(); i++; }
  };
  const digits = () => { const s = i; while (text[i]! >= '0' && text[i]! <= '9') i++; if (i === s) unexpected(); };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') { i++; digits(); }
    if (text[i] === 'e' || text[i] === 'E') { i++; if (text[i] === '+' || text[i] === '-') i++; digits(); }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i]!;
      if (c === '"') { i++; return; }
      if (c < ' ') fail(`control character ${show(c)} in a string (escape it)`);
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) { i += k; fail('bad \\u escape'); }
          i += 5;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape');
      }
      i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i >= text.length ? 'unexpected end of input' : `expected a property name in double quotes, found ${show(text[i]!)}`);
        string(); ws();
        if (text[i] !== ':') fail(i >= text.length ? 'unexpected end of input' : `expected ':', found ${show(text[i]!)}`);
        i++;
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail(i >= text.length ? 'unexpected end of input' : `expected ',' or '}', found ${show(text[i]!)}`);
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail(i >= text.length ? 'unexpected end of input' : `expected ',' or ']', found ${show(text[i]!)}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    unexpected();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected character ${show(text[i]!)} after the JSON value`);
    return null;
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'what' in e) return e as { what: string; position: number };
    throw e;
  }
}

// ---------- composer draft → payload ----------

/** The payload a draft stands for, or why it cannot be sent (with the position). */
export function encodeDraft(format: Format, text: string): Parsed<WirePayload> {
  switch (format) {
    case 'text':
      return { ok: true, value: text };
    case 'json': {
      const r = parseJson(text);
      return r.ok ? { ok: true, value: text } : r;
    }
    case 'hex':
    case 'base64': {
      const r = format === 'hex' ? parseHex(text) : parseBase64(text);
      return r.ok ? { ok: true, value: { b64: bytesToBase64(r.value) } } : r;
    }
  }
}

/** Binary drafts up to this size are shown as hex (editable byte by byte), bigger ones as base64. */
export const HEX_DRAFT_MAX_BYTES = 4096;

/** A captured payload as a composer draft (for "edit and replay"): text stays text, bytes become hex or base64. */
export function draftOf(data: WirePayload, bytes: (b64: string) => Uint8Array): { format: Format; text: string } {
  if (typeof data === 'string') return { format: 'text', text: data };
  const b = bytes(data.b64);
  return b.length <= HEX_DRAFT_MAX_BYTES ? { format: 'hex', text: toHex(b) } : { format: 'base64', text: data.b64 };
}
