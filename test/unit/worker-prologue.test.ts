/**
 * Where Firefox's deep capture puts the worker hook in a worker's own script (src/workers/prologue.ts):
 * after the directive prologue (the script stays strict), after a hashbang line, on the same line as what
 * was there (every line keeps its number) — and never where it would change how the script parses.
 * Each case is checked by running the result: the hook ran first, the script's strictness and result are
 * what they were.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { hookIndex, withHook } from '../../src/workers/prologue';

const HOOK = 'log.push("hook")';

/** Run a script (as a classic script) with and without the hook: what it logged and whether it ran strict. */
function run(text: string): { log: string[]; strict: unknown; lines: number } {
  const log: string[] = [];
  const ctx = { log, strict: undefined as unknown };
  runInNewContext(text, ctx);
  return { log, strict: ctx.strict, lines: text.split(/\r\n|[\n\r\u2028\u2029]/).length };
}

const STRICT = 'strict = (function () { return this === undefined; })(); log.push("script");';

describe('withHook', () => {
  it.each([
    ['no prologue', `${STRICT}`, false],
    ['"use strict"; on line 1', `"use strict";\n${STRICT}`, true],
    ["'use strict' without a semicolon, then a line break", `'use strict'\n${STRICT}`, true],
    ['comments before and between directives', `/* licence */\n// more\n"use asm"; /* x */ "use strict";\n${STRICT}`, true],
    ['a directive then !function(){}() on the next line', `"use strict"\n!function () { ${STRICT} }()`, true],
    ['a hashbang line', `#!/usr/bin/env node\n"use strict";\n${STRICT}`, true],
    ['a block comment with a line break after the directive', `"use strict" /*\n*/ ${STRICT}`, true],
  ])('%s: the hook runs first, the script as strict as it was, on as many lines', (_name, script, strict) => {
    const hooked = withHook(script, HOOK);
    const before = run(script);
    const after = run(hooked);
    expect(before.strict).toBe(strict);
    expect(after.strict).toBe(before.strict);
    expect(after.log).toEqual(['hook', ...before.log]);
    expect(after.lines).toBe(before.lines);
  });

  it.each([
    ['a string that goes on as an expression on the next line', `"abc"\n.length; ${STRICT}`],
    ['a string in an expression on its own line', `"a" + "b"; ${STRICT}`],
    ['a string then an index on the next line', `"x"\n["length"];\n${STRICT}`],
    ['a string then + on the next line', `"x"\n+ "y";\n${STRICT}`],
    ['a string then in on the next line', `"length"\nin {};\n${STRICT}`],
  ])('%s: no directive — the hook goes in front, and the script parses as before', (_name, script) => {
    expect(hookIndex(script)).toBe(0);
    const after = run(withHook(script, HOOK));
    expect(after.log).toEqual(['hook', ...run(script).log]);
  });

  it('an unterminated string at the start: the hook goes in front (the script is broken either way)', () => {
    expect(hookIndex('"abc\n')).toBe(0);
  });

  it('puts the hook right after the last directive, on its line', () => {
    expect(withHook('"use strict";\nx();', 'H')).toBe('"use strict";;H;\nx();');
    expect(withHook("'use strict'\nx();", 'H')).toBe("'use strict';H;\nx();");
    expect(withHook('x();', 'H')).toBe(';H;x();');
    expect(withHook('#!/bin/node\nx();', 'H')).toBe('#!/bin/node\n;H;x();');
  });
});
