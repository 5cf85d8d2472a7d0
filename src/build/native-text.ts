/**
 * Build step for the page hook: its replacements of WebSocket, send and close
 * print like the browser's own functions — `function WebSocket() { [native
 * code] }` — without a Function.prototype.toString patch in V8.
 *
 * V8 keeps the distance from a function's `function` token (a method's name)
 * to its parameter list in 16 bits; when it is longer, V8 cannot slice the
 * source and prints the function as native code, by its name. A comment of
 * 64 KiB there does it. The same text then appears wherever V8 prints the
 * function (error messages such as "Cannot assign to read only property 'OPEN'
 * of function 'function WebSocket() { [native code] }'") and from any realm.
 * The conformance suite checks it (api-surface, error-messages).
 *
 * In the source, such functions are named NATIVE_TEXT + name (property keys
 * survive minification): `{ __nativeText_send(data) { … } }.__nativeText_send`.
 * This step renames them and puts the comment between name and parameters,
 * and fails the build if a marked name is left anywhere else. Other engines
 * print the source (the comment included): there the hook cloaks toString
 * (src/capture/cloak.ts), and recognises the comment in another realm's hooks.
 */
import type { Plugin } from 'vite';
import { NATIVE_TEXT, NATIVE_TEXT_COMMENT } from '../capture/native-text.ts';

/** More than V8's 16-bit token offset can hold. */
const PAD = `/*${NATIVE_TEXT_COMMENT}${' '.repeat(65_536)}*/`;
/** Firefox prints the source whatever its length (cloak.ts answers there): the comment alone marks the hook's functions. */
const MARK = `/*${NATIVE_TEXT_COMMENT}*/`;

export function padNativeText(code: string, pad: string = PAD): string {
  const marked = new RegExp(`${NATIVE_TEXT}(\\w+)`, 'g');
  const out = code
    // a method: name(…)
    .replace(new RegExp(`${NATIVE_TEXT}(\\w+)\\(`, 'g'), `$1${pad}(`)
    // a function expression under a property key: name:function(…)
    .replace(new RegExp(`${NATIVE_TEXT}(\\w+):function\\(`, 'g'), `$1:function${pad}(`)
    // reading it back: .name
    .replace(new RegExp(`\\.${NATIVE_TEXT}(\\w+)\\b`, 'g'), '.$1');
  const left = marked.exec(out);
  if (left) throw new Error(`native-text: ${left[0]} is used in a way this build step does not rewrite`);
  return out;
}

/** The same renaming without the padding (the worker hook: there the toString cloak answers). */
export function renameNativeText(code: string): string {
  return padNativeText(code, '');
}

/**
 * Rewrite the emitted page-hook script (crxjs emits the standalone IIFE as an asset). `pad`: V8's 64 KiB
 * padding (Chrome); without it, only the marking comment (Firefox: ~7 × 64 KiB less in every frame).
 */
export function nativeText(fileName: string, { pad }: { pad: boolean }): Plugin {
  const fill = pad ? PAD : MARK;
  return {
    name: 'wsi-native-text',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const out = bundle[fileName];
        if (!out) this.error(`native-text: ${fileName} is not in the bundle`);
        if (out.type === 'asset') out.source = padNativeText(String(out.source), fill);
        else out.code = padNativeText(out.code, fill);
      },
    },
  };
}
