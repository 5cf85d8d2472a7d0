/**
 * Conditions (protocol/intercept.ts) compiled into tests the hook runs on a
 * message: its text (a substring in any case, or a regular expression) and
 * every field term on its JSON. A test returns what matched, for the panel to
 * show, or undefined. Regular expressions are made without a prototype and
 * run with the exec taken at start (see natives.ts).
 */
import type { Condition, FieldMatch, TextMatch } from '../../protocol/intercept';
import type { Natives } from '../natives';
import { getPath, stringifyJson } from './json';
import type { MessageView } from './message';

export type Test = (m: MessageView) => string | undefined;

/** A text test: the first match's index and the match (with groups for a regex), or undefined. */
export type TextTest = (text: string) => RegExpExecArray | { index: number; 0: string } | undefined;

export function compileText(n: Natives, t: TextMatch): TextTest {
  if (t.kind === 'substring') {
    const needle = n.strToLowerCase(t.value);
    return (text) => {
      const at = n.strIndexOf(n.strToLowerCase(text), needle, 0);
      return at < 0 ? undefined : { index: at, 0: n.strSlice(text, at, at + needle.length) };
    };
  }
  // every exec starts at 0 (a global or sticky regex keeps a lastIndex of its own)
  const re = n.regex(t.source, t.flags);
  return (text) => {
    re.lastIndex = 0;
    return n.regexExec(re, text) ?? undefined;
  };
}

/** A field's value as text, for comparing. */
function asText(n: Natives, v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' && v !== null ? stringifyJson(n, v) : `${v as string}`;
}

function compileTerm(n: Natives, f: FieldMatch): (m: MessageView) => boolean {
  const t = f.test;
  let test: (value: string) => boolean;
  if (t.kind === 'exists') test = () => true;
  else if (t.kind === 'regex') {
    const re = n.regex(t.source, t.flags);
    test = (v) => { re.lastIndex = 0; return n.regexExec(re, v) !== null; };
  } else {
    const want = n.strToLowerCase(t.value);
    test = t.kind === 'exact' ? (v) => n.strToLowerCase(v) === want : (v) => n.strIndexOf(n.strToLowerCase(v), want, 0) >= 0;
  }
  return (m) => {
    const v = getPath(n, m.json(), f.name);
    const holds = v !== undefined && test(asText(n, v));
    return f.negate ? !holds : holds;
  };
}

/** A condition as a test; the empty condition matches every message. */
export function compileCondition(n: Natives, c: Condition): Test {
  const text = c.text ? compileText(n, c.text) : undefined;
  const terms = n.list<(m: MessageView) => boolean>();
  for (let i = 0; i < c.terms.length; i++) terms[terms.length] = compileTerm(n, c.terms[i]!);
  const shown = c.source === '' ? 'every message' : c.source;
  return (m) => {
    if (text) {
      const s = m.text();
      if (s === undefined || !text(s)) return undefined;
    }
    for (let i = 0; i < terms.length; i++) if (!terms[i]!(m)) return undefined;
    return shown;
  };
}
