/**
 * What the user types for interception, read the way the filter box reads it
 * (src/store/filter.ts, field-terms.ts), compiled into the protocol's shapes
 * (src/protocol/intercept.ts) that the page hook tests. The hook knows a
 * message's JSON fields and a socket.io event packet's (`event`, `data`,
 * `ackId`, `nsp`, `type`, `args`), not what the panel's other decoders make of
 * it: `decoded:` terms are refused with a reason.
 */
import type { Condition, FieldMatch, TextMatch } from '../protocol/intercept';
import { ANY_FIELD, type FieldTerm } from '../store/field-terms';
import { parseQuery } from '../store/filter';

export type Compiled<T> = { ok: true; value: T } | { ok: false; error: string };

/** The longest text a condition or match may have (the hook's guard takes up to 4,096 characters). */
export const MAX_MATCH_CHARS = 4096;
const MAX_TERMS = 32;

const REGEX = /^\/(.+)\/([dgimsuvy]*)$/s;

function term(t: FieldTerm): Compiled<FieldMatch> {
  if (t.name === ANY_FIELD) {
    return { ok: false, error: `${t.source}: "decoded:" needs the panel's decoders, which do not run in the page; use a field name (event:, type:, id: …)` };
  }
  const v = t.value;
  const test: FieldMatch['test'] = v.kind === 'exists' ? { kind: 'exists' }
    : v.kind === 'regex' ? { kind: 'regex', source: v.source, flags: v.flags }
    : { kind: v.kind, value: v.value };
  return { ok: true, value: { name: t.name, negate: t.negate, test } };
}

/**
 * A condition as typed in a condition or payload-match box: text (any case), `/regex/flags`, and field
 * terms (`event:chat`, `type:"subscribe"`, `id:*`, `-type:ping`, `user.name:/bo/`). Empty: every message.
 */
export function compileCondition(typed: string): Compiled<Condition> {
  const source = typed.trim();
  if (source.length > MAX_MATCH_CHARS) return { ok: false, error: `too long: ${source.length} characters (at most ${MAX_MATCH_CHARS})` };
  const q = parseQuery(source);
  if (q.kind === 'error') return { ok: false, error: q.term ? `${q.term}: ${q.message}` : `Invalid regular expression: ${q.message}` };
  if (q.terms.length > MAX_TERMS) return { ok: false, error: `too many field terms: ${q.terms.length} (at most ${MAX_TERMS})` };
  const terms: FieldMatch[] = [];
  for (const t of q.terms) {
    const r = term(t);
    if (!r.ok) return r;
    terms.push(r.value);
  }
  const text: TextMatch | undefined = q.kind === 'text' ? { kind: 'substring', value: q.needle }
    : q.kind === 'regex' ? { kind: 'regex', source: q.source, flags: q.flags } : undefined;
  return { ok: true, value: { source, terms, ...(text ? { text } : {}) } };
}

/**
 * Plain text or `/regex/flags` (a URL match, a replace rule's Match). `global`: the `g` flag is kept
 * (replace every match); otherwise `g` and `y` are dropped, as the filter box does. Empty: undefined.
 */
export function compileTextMatch(typed: string, { global = false }: { global?: boolean } = {}): Compiled<TextMatch | undefined> {
  if (typed === '') return { ok: true, value: undefined };
  if (typed.length > MAX_MATCH_CHARS) return { ok: false, error: `too long: ${typed.length} characters (at most ${MAX_MATCH_CHARS})` };
  const m = REGEX.exec(typed);
  if (!m) return { ok: true, value: { kind: 'substring', value: typed } };
  const flags = [...new Set(m[2]!.replace(global ? /y/g : /[gy]/g, ''))].join('');
  try {
    new RegExp(m[1]!, flags);
  } catch (e) {
    return { ok: false, error: `Invalid regular expression: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { ok: true, value: { kind: 'regex', source: m[1]!, flags } };
}
