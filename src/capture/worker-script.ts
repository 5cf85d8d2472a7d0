/**
 * The blob: scripts a deep-captured worker starts from (workers.ts): made with the natives taken at install,
 * never the page's `Blob`, `Array.prototype[Symbol.iterator]`, `JSON` or `URL.createObjectURL`.
 */
import type { Natives } from './natives';

type Fn = Function;

/** What making a blob: URL needs, taken at install. */
export interface BlobNatives { createObjectURL: Fn; URLs: object; iterator: symbol; arrayIterator: Fn }

/**
 * The texts of a captured worker's blob: scripts. The hook runs first and never stops the page's script
 * (anything it throws is caught: the worker then runs uncaptured). A classic worker: one script, the hook
 * then `importScripts(url)`. A module worker: `main(hookUrl)` imports the hook's module (`hook`, a blob of
 * its own), then the page's module: both evaluate in that order before the worker's message queue opens,
 * as the page's module alone would (an `await import()` would let the page's first messages in before its
 * listeners exist).
 */
type Quoting = Pick<Natives, 'strCharCodeAt' | 'strSlice'>;

export function bootScripts(n: Quoting, code: string, config: string, url: string, module: boolean): { hook?: string; main: (hookUrl: string) => string } {
  const hook = `${hookStatement(code, config)}\n`;
  if (module) return { hook, main: (hookUrl) => `import ${hookUrl};\nimport ${quote(n, url)};\n` };
  return { main: () => `${hook}importScripts(${quote(n, url)});\n` };
}

/**
 * The worker hook as one statement on one line: its IIFE (`code`, one line: src/build/worker-hook.ts)
 * inside a function, so that the worker's scripts never see its `__wsiWorker`, then booted with `config`
 * (a JSON object, WorkerBoot). Anything it throws stays inside: the worker then runs uncaptured.
 */
export function hookStatement(code: string, config: string): string {
  return `try{(function(){${code};__wsiWorker.boot(self,${config});})();}catch(e){}`;
}

/** A blob: URL of a JavaScript text. */
export function blobOf(n: Natives, w: BlobNatives, text: string): string {
  const parts = n.list<string>();
  parts[0] = text;
  // the Blob reads the parts with the array iterator taken at install (a page may replace Array.prototype's)
  n.defineProperty(parts, w.iterator, { value: w.arrayIterator });
  const type = n.dict<string>();
  type.type = 'text/javascript';
  return n.Reflect.apply(w.createObjectURL, w.URLs, [new n.Blob(parts as unknown as BlobPart[], type as BlobPropertyBag)]) as string;
}

const HEX = '0123456789abcdef';

/** A string as a JS string literal, without JSON (the page may have replaced it). */
export function quote(n: Pick<Natives, 'strCharCodeAt' | 'strSlice'>, s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = n.strCharCodeAt(s, i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029 || c === 0x3c) {
      out += `\\u${HEX[(c >> 12) & 15]!}${HEX[(c >> 8) & 15]!}${HEX[(c >> 4) & 15]!}${HEX[c & 15]!}`;
    } else {
      out += n.strSlice(s, i, i + 1);
    }
  }
  return `${out}"`;
}
