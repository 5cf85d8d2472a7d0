/// <reference types="vitest/config" />
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig, mergeConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };
import { nativeText } from './src/build/native-text.ts';
import { storeClean } from './src/build/store-clean.ts';
import { workerHook } from './src/build/worker-hook.ts';
import { manifestFor, type Target } from './src/platform/manifest.ts';

// Both content scripts must be self-contained IIFEs: crxjs's default async loader runs them too late
// (inline page scripts would see the unpatched WebSocket, and early events would be lost).
const STANDALONE = ['extension/page/index.ts', 'extension/content/index.ts'];

const base = defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist/chrome',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      // the panel is not named in the manifest (devtools.panels.create opens it)
      input: { panel: 'extension/panel/panel.html' },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/firefox/**/*.test.ts'],
          environment: 'node',
          // one browser at a time: 2-core machines
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

// One manifest source, one build per browser: `vite build` → dist/chrome, `vite build --mode firefox` →
// dist/firefox (src/platform/manifest.ts derives Firefox's manifest). vitest needs only Preact's JSX.
export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  if (process.env.VITEST) return base;
  return mergeConfig(base, {
    plugins: [storeClean(), workerHook('extension/worker/index.ts'), crx({
      manifest: manifestFor(target, manifest) as ManifestV3Export,
      browser: target,
      contentScripts: { standaloneFiles: STANDALONE },
    }), nativeText('extension/page/index.js', { pad: target === 'chrome' })],
    build: { outDir: `dist/${target}` },
  });
});
