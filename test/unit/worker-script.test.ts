/**
 * The blob: scripts a deep-captured worker starts from (src/capture/worker-script.ts), run in a V8 context
 * standing in for a worker: the hook runs first and the page's script after it; a hook that throws (while
 * loading or in boot) still lets the page's script run (fail open); a module worker's script imports the
 * hook's module before the page's (the hook's code is this extension's own build, parsed by the e2e tests:
 * a syntax error there is a build bug, not a case to fail open from). URLs are quoted so that no page-chosen text can end the string.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bootScripts, quote } from '../../src/capture/worker-script';

const n = { strCharCodeAt: (s: string, i: number) => s.charCodeAt(i), strSlice: (s: string, a: number, b: number) => s.slice(a, b) };
const URL_ = 'https://app.test/w.js';

/** Run a classic worker's blob script with this hook code; what happened, in order. */
function runClassic(code: string): string[] {
  const log: string[] = [];
  const self = { importScripts: (u: string) => log.push(`page script ${u}`) };
  const text = bootScripts(n, code, '{"url":"x"}', URL_, false).main('');
  runInNewContext(text, { self, importScripts: self.importScripts, log });
  return log;
}

describe('bootScripts', () => {
  it('a classic worker: the hook boots with its config, then importScripts(the page\'s script)', () => {
    expect(runClassic('var __wsiWorker = { boot: (s, c) => log.push(`boot ${c.url}`) };')).toEqual(['boot x', `page script ${URL_}`]);
  });

  it('fails open: a hook that throws while loading or in boot still lets the page\'s script run', () => {
    expect(runClassic('throw new Error("broken build");')).toEqual([`page script ${URL_}`]);
    expect(runClassic('var __wsiWorker = { boot: () => { throw new Error("boot failed"); } };')).toEqual([`page script ${URL_}`]);
  });

  it('a module worker: imports the hook\'s module, then the page\'s; the hook module fails open too', () => {
    const s = bootScripts(n, 'throw 1;', '{}', URL_, true);
    expect(s.main('"blob:https://app.test/h"')).toBe(`import "blob:https://app.test/h";\nimport "${URL_}";\n`);
    const log: string[] = [];
    runInNewContext(s.hook!, { self: {}, log });
    expect(log).toEqual([]);
  });

  it('quotes URLs as string literals nothing can break out of', () => {
    const hostile = 'https://app.test/a"b\\c\n</script>\u2028x.js';
    expect(runInNewContext(quote(n, hostile))).toBe(hostile);
    expect(quote(n, hostile)).not.toMatch(/[\n<\u2028]/);
  });
});
