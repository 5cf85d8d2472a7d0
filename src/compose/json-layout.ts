/**
 * JSON laid out again without being parsed: only the whitespace between
 * tokens changes, every token stays as written (a number like
 * 12345678901234567890 or 1.0 is not rewritten by a JSON.parse / stringify
 * round trip). For valid JSON only (check it with parse.ts first).
 */

function layout(text: string, indent: string | null): string {
  let out = '';
  let depth = 0;
  const newline = () => (indent === null ? '' : `\n${indent.repeat(depth)}`);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      // a string, escapes included, as written
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      continue;
    } else if (c === '{' || c === '[') {
      // an empty object or array stays on its line
      let j = i + 1;
      while (j < text.length && ' \t\n\r'.includes(text[j]!)) j++;
      if (text[j] === (c === '{' ? '}' : ']')) { out += c + text[j]; i = j; continue; }
      depth++;
      out += c + newline();
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += c + newline();
    } else if (c === ':') {
      out += indent === null ? ':' : ': ';
    } else {
      out += c;
    }
  }
  return out;
}

/** Indented by two spaces, one member per line. */
export const prettyJson = (text: string): string => layout(text, '  ');

/** Without any whitespace between tokens. */
export const compactJson = (text: string): string => layout(text, null);
