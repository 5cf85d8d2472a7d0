/**
 * What the frame grid shows: filters that combine (direction, type,
 * connection, text or /regex/flags, invert) and the tight loop that applies
 * them to the frame table's columns.
 *
 * Semantics (also in README, "Filters"):
 * - direction and type always apply; lifecycle rows (open, close, error …)
 *   show only when the Lifecycle type is on, whatever the direction;
 * - the text box matches case-insensitively; `/pattern/flags` is a regular
 *   expression (flags d i m s u v; g and y are ignored: each row is tested on
 *   its own). Text frames are matched on their text, binary frames on their
 *   bytes read as Latin-1 (so ASCII inside binary messages is found; the first
 *   48 KiB), lifecycle rows on their description;
 * - `name:value` words are terms on decoded fields (src/store/field-terms.ts):
 *   they need what a decoder made of the row, which the caller passes as
 *   `facts`; text and terms must both match;
 * - invert keeps the rows the query (text and terms) does NOT match
 *   (direction, type and connection still apply).
 */
import { IdList } from './columns';
import { matchesTerms, splitTerms, type DecodedFacts, type FieldTerm } from './field-terms';
import { AS_LIFECYCLE, ROW, type FrameTable } from './frame-table';

export type Direction = 'all' | 'out' | 'in';

export interface FilterSpec {
  dir: Direction;
  text: boolean;
  binary: boolean;
  lifecycle: boolean;
  /** a connection's index (Connection.index), or -1 for all connections */
  conn: number;
  /** the text box: words, or /regex/flags */
  query: string;
  invert: boolean;
}

/** What a decoder made of a row (by id), for terms on decoded fields; undefined: not decoded (lifecycle rows, decoders not loaded). */
export type FactsOf = (id: number) => DecodedFacts | undefined;

export const DEFAULT_FILTER: FilterSpec = {
  dir: 'all', text: true, binary: true, lifecycle: false, conn: -1, query: '', invert: false,
};

/** The text box read: the free-text part, and terms on decoded fields (`terms`, possibly empty). */
export type Query =
  | { kind: 'none'; terms: FieldTerm[] }
  | { kind: 'text'; needle: string; terms: FieldTerm[] }
  | { kind: 'regex'; source: string; flags: string; terms: FieldTerm[] }
  | { kind: 'error'; message: string; /** the field term at fault (else the text's regex) */ term?: string };

const REGEX = /^\/(.+)\/([dgimsuvy]*)$/s;

/**
 * Read the text box: a whole `/regex/flags`; else field terms (`event:chat`)
 * and the free text left, which is plain text or a /regex/flags; or why it is
 * invalid (a regex that does not compile).
 */
export function parseQuery(q: string): Query {
  if (q === '') return { kind: 'none', terms: [] };
  let terms: FieldTerm[] = [];
  let text = q;
  if (!REGEX.test(q)) {
    const split = splitTerms(q);
    if (!split.ok) return { kind: 'error', message: split.error, term: split.term };
    terms = split.terms;
    text = split.rest;
    if (text === '') return { kind: 'none', terms };
  }
  const m = REGEX.exec(text);
  if (!m) return { kind: 'text', needle: text, terms };
  const source = m[1]!;
  const flags = [...new Set(m[2]!.replace(/[gy]/g, ''))].join('');
  try {
    new RegExp(source, flags);
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  return { kind: 'regex', source, flags, terms };
}

/** The query has terms on decoded fields (the panel loads the decoders for them). */
export const hasTerms = (q: Query): boolean => q.kind !== 'error' && q.terms.length > 0;

/** Bytes of a binary payload that the text filter reads (base64 chars: a multiple of 4). */
const BINARY_SEARCH_CHARS = 65_536;

export interface PayloadTest {
  /** a text frame's text, or a lifecycle row's description */
  text: (s: string) => boolean;
  /** a binary frame's base64 */
  binary: (b64: string) => boolean;
}

/** The tests of one payload string, or null when the query tests nothing. */
export function payloadTest(q: Query): PayloadTest | null {
  let text: (s: string) => boolean;
  switch (q.kind) {
    case 'none':
    case 'error':
      return null;
    case 'text': {
      const needle = q.needle;
      if (needle.toLowerCase() === needle.toUpperCase()) {
        text = (s) => s.includes(needle);
      } else {
        // a case-insensitive regex beats lowercasing every payload (no copy per row)
        const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'i');
        text = (s) => re.test(s);
      }
      break;
    }
    case 'regex': {
      const re = new RegExp(q.source, q.flags);
      text = (s) => re.test(s);
      break;
    }
  }
  const binary = (b64: string): boolean => {
    let bytes: string;
    try {
      bytes = atob(b64.length > BINARY_SEARCH_CHARS ? b64.slice(0, BINARY_SEARCH_CHARS) : b64);
    } catch {
      return false;
    }
    return text(bytes);
  };
  return { text, binary };
}

/** The compiled filter: which rows of a table match. */
export interface Matcher {
  spec: FilterSpec;
  /**
   * Test rows from id `from` up to `to` (exclusive), appending matches to
   * `out`; stops early after `deadline` (performance.now()). Returns the next
   * id to test.
   */
  scan(t: FrameTable, from: number, to: number, out: IdList, deadline?: number): number;
}

/** How many rows are tested between two looks at the clock. */
const CHUNK = 8192;

const REMOVED = ROW.removed, BINARY = ROW.binary, OUT = ROW.out;

export function compileFilter(spec: FilterSpec, query: Query = parseQuery(spec.query), facts?: FactsOf): Matcher {
  const test = payloadTest(query);
  const textTest = test?.text, binaryTest = test?.binary;
  const terms = query.kind === 'error' ? [] : query.terms;
  const termTest = terms.length ? (id: number) => matchesTerms(terms, facts?.(id)) : null;
  const tests = textTest !== undefined || termTest !== null;
  const invert = spec.invert;
  const conn = spec.conn;
  // direction: rows whose out bit must be clear (in) or set (out); -1 for any
  const wantOut = spec.dir === 'all' ? -1 : spec.dir === 'out' ? OUT : 0;
  const text = spec.text, binary = spec.binary, lifecycle = spec.lifecycle;
  // matches of one chunk, appended to the result in one copy
  const found = new Uint32Array(CHUNK);
  return {
    spec,
    scan(t, from, to, out, deadline = Infinity) {
      const flagsCol = t.flags.data, connCol = t.conn.data, asCol = t.as.data, payload = t.payload;
      let id = Math.max(from, t.firstId);
      while (id < to) {
        const stop = Math.min(to, id + CHUNK);
        let p = t.posUnchecked(id);
        let n = 0;
        for (; id < stop; id++, p++) {
          const f = flagsCol[p]!;
          if (f & REMOVED) continue;
          if (conn >= 0 && connCol[p] !== conn) continue;
          if (asCol[p]! & AS_LIFECYCLE) {
            if (!lifecycle) continue;
          } else {
            if (f & BINARY ? !binary : !text) continue;
            if (wantOut >= 0 && (f & OUT) !== wantOut) continue;
          }
          if (tests) {
            let ok = true;
            if (textTest) {
              const s = payload[p];
              ok = s !== undefined && (f & BINARY ? binaryTest!(s) : textTest(s));
            }
            // terms last: they may decode the row
            if (ok && termTest) ok = termTest(id);
            if (ok === invert) continue;
          }
          found[n++] = id;
        }
        out.pushMany(found, n);
        if (id < to && performance.now() > deadline) break;
      }
      return id;
    },
  };
}

/** Filter every row of a table at once (tests, benchmarks). */
export function filterAll(t: FrameTable, spec: FilterSpec, facts?: FactsOf): number[] {
  const out = new IdList();
  compileFilter(spec, parseQuery(spec.query), facts).scan(t, t.firstId, t.nextId, out);
  return Array.from(out.view());
}

/** A short name for a filter, e.g. `received · text · /err/i · inverted` (saved filters are listed by it). */
export function describeFilter(spec: FilterSpec): string {
  const parts: string[] = [];
  if (spec.dir !== 'all') parts.push(spec.dir === 'out' ? 'sent' : 'received');
  const types = (['text', 'binary', 'lifecycle'] as const).filter((k) => spec[k]);
  if (types.length !== 2 || spec.lifecycle) parts.push(types.length ? types.join('+') : 'no types');
  if (spec.query) parts.push(spec.query);
  if (spec.invert && spec.query) parts.push('inverted');
  return parts.length ? parts.join(' · ') : 'everything';
}
