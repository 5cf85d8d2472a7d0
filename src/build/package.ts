/**
 * `npm run package` (after `npm run build`): store-ready zips into dist/packages/, offline —
 *   websocket-inspector-<version>-chrome.zip   dist/chrome, for the Chrome Web Store
 *   websocket-inspector-<version>-firefox.zip  dist/firefox, for addons.mozilla.org (AMO)
 *   websocket-inspector-<version>-source.zip   the sources that build both (AMO asks for them, since
 *                                              the bundles are minified): `npm ci && npm run build`
 * dist/firefox is linted first with `web-ext lint` (addons-linter, the check AMO runs); any error
 * stops the packaging. Zips are made with web-ext's `build` command.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import webExt from 'web-ext';

export interface LintMessage { code: string; message: string; file?: string; line?: number; column?: number }
export interface LintReport { errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] }

interface WebExt {
  cmd: {
    lint(o: { sourceDir: string; output: 'json' | 'text' }, d: { shouldExitProgram: boolean }): Promise<LintReport>;
    build(o: { sourceDir: string; artifactsDir: string; filename: string; overwriteDest: boolean },
      d?: { showReadyMessage: boolean }): Promise<{ extensionPath: string }>;
  };
}
const { cmd } = webExt as unknown as WebExt;

const ROOT = resolve(import.meta.dirname, '../..');

/** Lint a built Firefox add-on as AMO does. */
export async function lintFirefox(dir: string): Promise<LintReport> {
  // addons-linter prints its report when it runs; keep stdout for our summary
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await cmd.lint({ sourceDir: dir, output: 'json' }, { shouldExitProgram: false });
  } finally {
    process.stdout.write = write;
  }
}

/**
 * The files the source zip carries: what git tracks plus new files not ignored (the working tree the
 * build was made from); without git, every file but dependencies, build output and scratch.
 */
export function sourceFiles(root: string): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
    return [...new Set(out.split('\0').filter(Boolean))].filter((f) => existsSync(join(root, f)) && statSync(join(root, f)).isFile()).sort();
  } catch {
    const skip = new Set(['node_modules', 'dist', '.git', '.tmp', 'test-results']);
    const walk = (dir: string): string[] => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (skip.has(e.name) || e.name.endsWith('.log')) return [];
      return e.isDirectory() ? walk(rel) : e.isFile() ? [rel] : [];
    });
    return walk('').sort();
  }
}

export interface Packages { chrome: string; firefox: string; source: string; lint: LintReport }

export async function packageAll(opts: { root?: string; outDir?: string } = {}): Promise<Packages> {
  const root = opts.root ?? ROOT;
  const outDir = opts.outDir ?? join(root, 'dist/packages');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  for (const target of ['chrome', 'firefox']) {
    if (!existsSync(join(root, 'dist', target, 'manifest.json'))) throw new Error(`dist/${target} is not built: run npm run build first`);
  }

  const lint = await lintFirefox(join(root, 'dist/firefox'));
  if (lint.errors.length) {
    throw new Error(`web-ext lint found ${lint.errors.length} error(s) in dist/firefox:\n`
      + lint.errors.map((e) => `  ${e.code} ${e.file ?? ''} ${e.message}`).join('\n'));
  }

  mkdirSync(outDir, { recursive: true });
  const zip = async (sourceDir: string, name: string) => (await cmd.build(
    { sourceDir, artifactsDir: outDir, filename: `websocket-inspector-${version}-${name}.zip`, overwriteDest: true },
    { showReadyMessage: false },
  )).extensionPath;

  const chrome = await zip(join(root, 'dist/chrome'), 'chrome');
  const firefox = await zip(join(root, 'dist/firefox'), 'firefox');
  // the source tree staged on its own, so nothing but its files goes in
  const stage = mkdtempSync(join(tmpdir(), 'wsi-source-'));
  try {
    for (const f of sourceFiles(root)) {
      mkdirSync(dirname(join(stage, f)), { recursive: true });
      copyFileSync(join(root, f), join(stage, f));
    }
    const source = await zip(stage, 'source');
    return { chrome, firefox, source, lint };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  packageAll().then((p) => {
    for (const w of p.lint.warnings) console.log(`web-ext lint warning ${w.code}: ${w.message}${w.file ? ` (${w.file})` : ''}`);
    console.log(`web-ext lint: ${p.lint.errors.length} errors, ${p.lint.warnings.length} warnings, ${p.lint.notices.length} notices`);
    for (const f of [p.chrome, p.firefox, p.source]) console.log(`${relative(process.cwd(), f)}  ${(statSync(f).size / 1024).toFixed(1)} KiB`);
  }, (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
