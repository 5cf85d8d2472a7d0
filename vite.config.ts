/// <reference types="vitest/config" />
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

// Both content scripts must be self-contained IIFEs: crxjs's default async loader runs them too late
// (inline page scripts would see the unpatched WebSocket, and early events would be lost).
const STANDALONE = ['extension/page/index.ts', 'extension/content/index.ts'];

export default defineConfig({
  plugins: [
    preact(),
    // vitest needs only Preact's JSX; the extension build needs crxjs
    ...(process.env.VITEST ? [] : [crx({ manifest: manifest as ManifestV3Export, contentScripts: { standaloneFiles: STANDALONE } })]),
  ],
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
          include: ['test/e2e/**/*.test.ts', 'test/conformance/**/*.test.ts'],
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
