/**
 * Where, in a worker's own script, the worker hook can go in front of the page's code without changing
 * what the script means (Firefox's deep capture of workers: script-filter.ts).
 *
 * - After a directive prologue: `"use strict";` must stay the script's first statement, or the whole
 *   script would run sloppy. So the hook goes right after the last directive.
 * - After a hashbang line (`#!…`), which only the very start of a script may have.
 * - On the same line, never on a line of its own: every line of the page's script keeps its number
 *   (error events, stacks); only the columns of what follows on that line move.
 */

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\u00a0' || c === '\ufeff';
const isLineEnd = (c: string) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
/**
 * Tokens that, after a line break, continue the expression — the string before is then no directive.
 * `!x`, `~x`, `++x`, `--x` start a statement of their own (`"use strict"` + newline + `!function(){}()`).
 */
const CONTINUES = /^(?:\+(?!\+)|-(?!-)|!=|[.[(,?:=*/%&|^<>`]|in\b|instanceof\b)/;

/** The index at which the hook goes: after the hashbang line and the directive prologue, if any. */
export function hookIndex(text: string): number {
  let i = 0;
  let at = 0;
  if (text.startsWith('#!')) {
    while (i < text.length && !isLineEnd(text[i]!)) i++;
    if (i < text.length) i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    at = i;
  }
  for (;;) {
    i = skipBlank(text, i);
    const quote = text[i];
    if (quote !== '"' && quote !== "'") return at;
    const end = stringEnd(text, i);
    if (end < 0) return at;
    // what follows the string decides whether it is a whole statement (a directive)
    const next = skipBlank(text, end);
    if (text[next] === ';') { at = next + 1; i = at; continue; }
    const brokenLine = /[\n\r\u2028\u2029]/.test(text.slice(end, next));
    if (next < text.length && (!brokenLine || CONTINUES.test(text.slice(next, next + 11)))) return at;
    // the line break (or the end) ends the statement
    at = end;
    i = end;
  }
}

/** Past spaces, line breaks and comments. */
function skipBlank(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c) || isLineEnd(c)) { i++; continue; }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && !isLineEnd(text[i]!)) i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return text.length;
      i = close + 2;
      continue;
    }
    return i;
  }
  return i;
}

/** The index just past the string literal that starts at `from`, or -1 when it does not end on its line. */
function stringEnd(text: string, from: number): number {
  const quote = text[from];
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') { i++; if (text[i] === '\r' && text[i + 1] === '\n') i++; continue; }
    if (c === quote) return i + 1;
    if (c === '\n' || c === '\r') return -1;
  }
  return -1;
}

/** The script with `code` (one line, a whole statement) put in at hookIndex. */
export function withHook(text: string, code: string): string {
  const at = hookIndex(text);
  return `${text.slice(0, at)};${code};${text.slice(at)}`;
}
