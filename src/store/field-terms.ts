/**
 * Filter terms on decoded fields, typed in the filter box beside free text
 * (like DevTools' Network filter `method:POST`):
 *
 *   event:chat        the field `event` contains "chat" (any case)
 *   event:"chat"      the field is exactly "chat" (any case)
 *   topic:/^a\/b/i    the field matches the regular expression
 *   ackId:*           the frame has the field
 *   -type:PING        leading `-`: frames that do NOT match
 *   decoded:greet     the decoder's summary or any field value contains it
 *
 * Field names are the decoder's (see README, "Decoders"); they are compared
 * case-insensitively. A word with a colon is a term only when it looks like
 * `name:value` with an identifier for a name and not `scheme://…` (so
 * `ws://host` stays text); put text in quotes or a /regex/ to search a colon.
 */

/** A frame's decoding as filters see it. */
export interface DecodedFacts {
  summary: string;
  /** a list when the message carried several packets: a term holds when it holds for any value */
  fields: Readonly<Record<string, string | number | readonly (string | number)[]>>;
}

/** What a term's value asks for, as data (interception sends it to the page hook to test there). */
export type TermValue =
  | { kind: 'exists' }
  | { kind: 'exact'; value: string }
  | { kind: 'contains'; value: string }
  | { kind: 'regex'; source: string; flags: string };

export interface FieldTerm {
  /** as typed, e.g. `-event:"chat"` */
  source: string;
  /** lower-case field name, or 'decoded' for the summary and all values */
  name: string;
  negate: boolean;
  test: (value: string) => boolean;
  value: TermValue;
}

/** The name that matches the summary and every field value. */
export const ANY_FIELD = 'decoded';

const TERM = /(^|\s)(-?)([A-Za-z_$][\w$.-]*):("(?:[^"\\]|\\.)*"|\S+)(?=\s|$)/g;
const REGEX_VALUE = /^\/(.+)\/([dimsuv]*)$/s;

export type SplitResult =
  | { ok: true; terms: FieldTerm[]; rest: string }
  | { ok: false; error: string; term: string };

/** A term's value and its test, or why it is invalid. */
function valueTest(raw: string): { value: TermValue; test: (v: string) => boolean } | string {
  if (raw === '*') return { value: { kind: 'exists' }, test: () => true };
  if (raw.startsWith('"')) {
    const typed = raw.slice(1, -1).replace(/\\(.)/g, '$1');
    const exact = typed.toLowerCase();
    return { value: { kind: 'exact', value: typed }, test: (v) => v.length === exact.length && v.toLowerCase() === exact };
  }
  const m = REGEX_VALUE.exec(raw);
  if (m) {
    try {
      const re = new RegExp(m[1]!, m[2]!);
      return { value: { kind: 'regex', source: m[1]!, flags: m[2]! }, test: (v) => re.test(v) };
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  const needle = raw.toLowerCase();
  return { value: { kind: 'contains', value: raw }, test: (v) => v.toLowerCase().includes(needle) };
}

/**
 * Take the field terms out of a filter query. `rest` is the free text left
 * (the query itself, untouched, when it has no terms).
 */
export function splitTerms(query: string): SplitResult {
  const terms: FieldTerm[] = [];
  let rest = '';
  let last = 0;
  for (const m of query.matchAll(TERM)) {
    const [, lead, minus, name, raw] = m as unknown as [string, string, string, string, string];
    if (raw.startsWith('//')) continue; // ws://host, https://… are text
    const parsed = valueTest(raw);
    const source = `${minus}${name}:${raw}`;
    if (typeof parsed === 'string') return { ok: false, error: parsed, term: source };
    terms.push({ source, name: name.toLowerCase(), negate: minus === '-', ...parsed });
    rest += query.slice(last, m.index + lead.length);
    last = m.index + m[0].length;
  }
  if (!terms.length) return { ok: true, terms, rest: query };
  rest += query.slice(last);
  return { ok: true, terms, rest: rest.trim().replace(/\s{2,}/g, ' ') };
}

function matchesOne(t: FieldTerm, facts: DecodedFacts): boolean {
  const any = t.name === ANY_FIELD;
  if (any && t.test(facts.summary)) return true;
  for (const k in facts.fields) {
    if (!any && k.toLowerCase() !== t.name) continue;
    const v = facts.fields[k]!;
    if (typeof v === 'object' ? v.some((x) => t.test(String(x))) : t.test(String(v))) return true;
  }
  return false;
}

/** Every term holds for this frame (no decoding: only negated terms can hold). */
export function matchesTerms(terms: readonly FieldTerm[], facts: DecodedFacts | undefined): boolean {
  for (const t of terms) {
    const hit = facts !== undefined && matchesOne(t, facts);
    if (hit === t.negate) return false;
  }
  return true;
}

const NAME = /^[A-Za-z_$][\w$.-]*$/;

/** The term that keeps frames whose field is exactly this value (the Decoded section's "filter" buttons); null when the name cannot be typed. */
export function exactTerm(name: string, value: string | number): string | null {
  if (!NAME.test(name)) return null;
  return `${name}:"${String(value).replace(/["\\]/g, '\\$&')}"`;
}
