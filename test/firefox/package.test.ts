/**
 * Store packaging (src/build/package.ts) on the built extension: web-ext lint passes on dist/firefox
 * with no errors and no warnings; the three zips have what the stores need.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageAll, type Packages } from '../../src/build/package';
import { GECKO_ID } from '../../src/platform/manifest';

/** Entry names of a zip, from its central directory. */
function zipEntries(file: string): string[] {
  const buf = readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const nameLen = buf.readUInt16LE(at + 28), extraLen = buf.readUInt16LE(at + 30), commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

let out: string;
let p: Packages;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'wsi-packages-'));
  p = await packageAll({ outDir: out });
});

afterAll(() => { if (out) rmSync(out, { recursive: true, force: true }); });

describe('store packages', () => {
  it('web-ext lint: no errors and no warnings (no eval, no innerHTML, the manifest right for desktop and Android)', () => {
    expect(p.lint.errors).toEqual([]);
    expect(p.lint.warnings.map((w) => `${w.code} ${w.file ?? ''}:${w.line ?? ''}`)).toEqual([]);
  });

  it('zips each build with its manifest at the root', () => {
    for (const zip of [p.chrome, p.firefox]) {
      const names = zipEntries(zip);
      expect(names).toEqual(expect.arrayContaining([
        'manifest.json', 'service-worker-loader.js', 'extension/page/index.js', 'extension/content/index.js', 'extension/panel/panel.html',
      ]));
      expect(names.some((n) => n.endsWith('.map') || n.startsWith('.'))).toBe(false);
    }
    const firefoxManifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../dist/firefox/manifest.json'), 'utf8')) as {
      background: Record<string, unknown>; browser_specific_settings: { gecko: { id: string } };
    };
    expect(firefoxManifest.background).toHaveProperty('scripts');
    expect(firefoxManifest.background).not.toHaveProperty('service_worker');
    expect(firefoxManifest.browser_specific_settings.gecko.id).toBe(GECKO_ID);
  });

  it('zips the source that builds both: sources, manifest, lockfile; no dependencies or build output', () => {
    const names = zipEntries(p.source);
    expect(names).toEqual(expect.arrayContaining([
      'package.json', 'package-lock.json', 'manifest.json', 'vite.config.ts', 'tsconfig.json', 'README.md',
      'src/platform/manifest.ts', 'src/capture/install.ts', 'extension/page/index.ts', 'extension/panel/panel.html',
    ]));
    expect(names.filter((n) => /^(node_modules|dist)\//.test(n))).toEqual([]);
  });
});
