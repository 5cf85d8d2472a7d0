/**
 * The original and the changed payload of a message, as a diff the frame
 * detail shows as text: line by line (JSON pretty-printed first, so a changed
 * field is one line), or word by word for a one-line text. Binary payloads are
 * compared as hex. Very long payloads are not diffed (both are shown).
 */
import { diffLines, diffWordsWithSpace } from 'diff';
import { prettyJson } from '../compose/json-layout';
import { jsonError, toHex } from '../compose/parse';
import { base64ToBytes } from '../protocol/base64';
import type { WirePayload } from '../protocol/messages';

export interface DiffPart { kind: 'same' | 'removed' | 'added'; text: string }

/** Payloads longer than this (characters, after layout) are shown side by side, not diffed. */
export const MAX_DIFF_CHARS = 100_000;

/** A payload as the text compared: JSON pretty-printed, bytes as hex (16 per line). */
export function diffText(d: WirePayload): string {
  if (typeof d === 'string') return /^\s*[[{]/.test(d) && jsonError(d) === null ? prettyJson(d) : d;
  const hex = toHex(base64ToBytes(d.b64));
  return hex.replace(/((?:[0-9a-f]{2} ){15}[0-9a-f]{2}) /g, '$1\n');
}

/** The diff of two payloads; null when they are too long to diff. */
export function payloadDiff(original: WirePayload, changed: WirePayload): DiffPart[] | null {
  const a = diffText(original), b = diffText(changed);
  if (a.length > MAX_DIFF_CHARS || b.length > MAX_DIFF_CHARS) return null;
  const oneLine = !a.includes('\n') && !b.includes('\n');
  const changes = oneLine ? diffWordsWithSpace(a, b) : diffLines(a, b);
  return changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}
