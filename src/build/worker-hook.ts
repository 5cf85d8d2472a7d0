/**
 * Build step: the hook that runs inside deep-captured workers (extension/worker/index.ts) as one string,
 * importable as `virtual:wsi-worker-hook` (the relay hands it to the page hook, which puts it in front of
 * each worker's script). An IIFE of its own (`__wsiWorker`, wrapped in a function by the page hook so
 * the worker's scripts never see the name); its replacements are renamed like the page hook's, without
 * V8's native-text padding (64 KiB each, per worker): inside workers the toString cloak answers instead.
 *
 * One line: Firefox's background puts it in front of the first line of a worker's own script (so that
 * the script's line numbers stay what they were), so the minified code is re-minified without template
 * literals (esbuild writes "\n" in a string as a template with a real line break).
 */
import { resolve } from 'node:path';
import { build, transformWithEsbuild, type Plugin, type Rollup } from 'vite';
import { renameNativeText } from './native-text.ts';

const ID = 'virtual:wsi-worker-hook';
const RESOLVED = `\0${ID}`;

export function workerHook(entry: string): Plugin {
  return {
    name: 'wsi-worker-hook',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const out = await build({
        configFile: false, logLevel: 'warn',
        build: {
          write: false, minify: true, target: 'es2022', emptyOutDir: false,
          lib: { entry: resolve(entry), formats: ['iife'], name: '__wsiWorker', fileName: 'worker-hook' },
        },
      }) as Rollup.RollupOutput | Rollup.RollupOutput[];
      const chunk = (Array.isArray(out) ? out[0]! : out).output[0];
      const oneLine = (await transformWithEsbuild(chunk.code, 'worker-hook.js', { minify: true, target: 'es2022', supported: { 'template-literal': false } })).code.trim();
      if (/[\n\r\u2028\u2029]/.test(oneLine)) throw new Error('worker hook: the code is not one line');
      return `export default ${JSON.stringify(renameNativeText(oneLine))};`;
    },
  };
}
