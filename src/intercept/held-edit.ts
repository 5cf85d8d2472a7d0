/**
 * Editing a held message: what the editor starts with (JSON pretty-printed,
 * bytes as hex or base64), and what Forward sends — nothing when the user
 * changed nothing (the message goes on exactly as it was), else the edited
 * payload, checked first (JSON and hex/base64 errors with their position).
 * Pretty-printing and compacting only move whitespace between JSON tokens, so
 * a message sent compact goes on compact and its numbers as written.
 */
import { compactJson, prettyJson } from '../compose/json-layout';
import { draftOf, encodeDraft, jsonError, parseBase64, parseHex, toHex, type Format } from '../compose/parse';
import { base64ToBytes, bytesToBase64 } from '../protocol/base64';
import type { WirePayload } from '../protocol/messages';

export interface EditorDraft { format: Format; text: string }

/** A JSON object or array (what editing as JSON is for). */
const looksJson = (s: string): boolean => /^\s*[[{]/.test(s) && jsonError(s) === null;

/** The editor's first content for a payload. */
export function editorDraftOf(data: WirePayload): EditorDraft {
  if (typeof data === 'string') return looksJson(data) ? { format: 'json', text: prettyJson(data) } : { format: 'text', text: data };
  return draftOf(data, base64ToBytes);
}

/** The editor's content as bytes (UTF-8 for text), or null when it does not read as its format. */
function bytesOf(d: EditorDraft): Uint8Array | null {
  if (d.format === 'text' || d.format === 'json') return new TextEncoder().encode(d.text);
  const r = d.format === 'hex' ? parseHex(d.text) : parseBase64(d.text);
  return r.ok ? r.value : null;
}

/** The editor's content in another format: the same bytes (text as UTF-8), or the original's when it does not read. */
export function switchFormat(d: EditorDraft, to: Format, original: WirePayload): EditorDraft {
  if (to === d.format) return d;
  const textual = (f: Format) => f === 'text' || f === 'json';
  if (textual(to) && textual(d.format)) return { format: to, text: to === 'json' && jsonError(d.text) === null ? prettyJson(d.text) : d.text };
  const bytes = bytesOf(d) ?? (typeof original === 'string' ? new TextEncoder().encode(original) : base64ToBytes(original.b64));
  if (to === 'hex') return { format: to, text: toHex(bytes) };
  if (to === 'base64') return { format: to, text: bytesToBase64(bytes) };
  const text = new TextDecoder().decode(bytes);
  return { format: to, text: to === 'json' && looksJson(text) ? prettyJson(text) : text };
}

export type ReleaseData = { ok: true; data: WirePayload | undefined } | { ok: false; error: string };

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** What Forward sends for this editor content: undefined data when nothing changed. */
export function releaseData(original: WirePayload, d: EditorDraft): ReleaseData {
  const encoded = encodeDraft(d.format, d.text);
  if (!encoded.ok) return { ok: false, error: encoded.error };
  const v = encoded.value;
  if (typeof v === 'string') {
    if (typeof original !== 'string') return { ok: true, data: v };
    if (d.format === 'json' && jsonError(original) === null) {
      if (compactJson(v) === compactJson(original)) return { ok: true, data: undefined };
      // sent compact, goes on compact
      return { ok: true, data: compactJson(original) === original ? compactJson(v) : v };
    }
    return { ok: true, data: v === original ? undefined : v };
  }
  if (typeof original !== 'string' && sameBytes(base64ToBytes(v.b64), base64ToBytes(original.b64))) return { ok: true, data: undefined };
  return { ok: true, data: v };
}
