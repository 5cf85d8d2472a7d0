/**
 * What rules make of a message: a text with every match replaced (`$1`–`$9`,
 * `$&`, `$$` in the replacement, as String.prototype.replace reads them), one
 * JSON field set, and a respond rule's answer from its template (`{{$1}}`,
 * `{{a.b}}`, `{{ackId}}`). All with the hook's natives.
 */
import type { TextMatch } from '../../protocol/intercept';
import type { Natives } from '../natives';
import { getPath, parseJson, setPath, stringifyJson } from './json';
import type { MessageView } from './message';

type Match = ArrayLike<string | undefined> & { index: number };

/** The replacement for one match: `$n` groups, `$&` the match, `$$` a dollar. */
function expand(n: Natives, template: string, m: Match): string {
  let out = '';
  let from = 0;
  for (;;) {
    const at = n.strIndexOf(template, '$', from);
    if (at < 0 || at + 1 >= template.length) return out + n.strSlice(template, from, template.length);
    out += n.strSlice(template, from, at);
    const c = n.strCharCodeAt(template, at + 1);
    if (c === 0x24) { out += '$'; from = at + 2; } // $$
    else if (c === 0x26) { out += m[0] ?? ''; from = at + 2; } // $&
    else if (c >= 0x31 && c <= 0x39 && c - 0x30 < m.length) { out += m[c - 0x30] ?? ''; from = at + 2; } // $1–$9
    else { out += '$'; from = at + 1; }
  }
}

/** Every match of `find` in `text` replaced (a regex without the g flag: the first). */
export function replaceText(n: Natives, text: string, find: TextMatch, template: string): string {
  if (find.kind === 'substring') {
    if (find.value === '') return text;
    let out = '';
    let from = 0;
    for (;;) {
      const at = n.strIndexOf(text, find.value, from);
      if (at < 0) return out + n.strSlice(text, from, text.length);
      const m = { 0: find.value, length: 1, index: at };
      out += n.strSlice(text, from, at) + expand(n, template, m);
      from = at + find.value.length;
    }
  }
  const re = n.regex(find.source, find.flags);
  const global = n.strIndexOf(find.flags, 'g', 0) >= 0;
  let out = '';
  let from = 0;
  re.lastIndex = 0;
  for (;;) {
    if (!global) re.lastIndex = 0;
    const m = n.regexExec(re, text);
    if (!m) break;
    out += n.strSlice(text, from, m.index) + expand(n, template, m);
    from = m.index + m[0].length;
    if (!global) break;
    if (m[0].length === 0) re.lastIndex = from + 1;
    if (re.lastIndex > text.length) break;
  }
  return out + n.strSlice(text, from, text.length);
}

/** The JSON message with the field at `path` set to `value` (JSON, or else the text); undefined if it is not JSON. */
export function setJsonField(n: Natives, text: string, path: string, value: string): string | undefined {
  const root = parseJson(n, text);
  if (typeof root !== 'object' || root === null) return undefined;
  const parsed = parseJson(n, value);
  if (!setPath(n, root, path, parsed === undefined ? value : parsed)) return undefined;
  return stringifyJson(n, root);
}

/** A respond rule's answer: `{{$n}}` from the rule's match, `{{ackId}}`, `{{path}}` from the message's JSON. */
export function fillTemplate(n: Natives, template: string, m: MessageView, groups: Match | undefined): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = n.strIndexOf(template, '{{', from);
    const close = open < 0 ? -1 : n.strIndexOf(template, '}}', open + 2);
    if (close < 0) return out + n.strSlice(template, from, template.length);
    out += n.strSlice(template, from, open);
    const name = n.strSlice(template, open + 2, close);
    let v: unknown;
    if (n.strCharCodeAt(name, 0) === 0x24) {
      const k = +n.strSlice(name, 1, name.length);
      v = groups && k < groups.length ? groups[k] : undefined;
    }
    else if (name === 'ackId') v = m.ackId();
    else v = getPath(n, m.json(), name);
    out += v === undefined ? '' : typeof v === 'object' && v !== null ? stringifyJson(n, v) : `${v as string}`;
    from = close + 2;
  }
}
