/**
 * Where screenshots go: `test/output/` (git-ignored) on every run; the README's
 * `test/screenshots/` only when asked on purpose (`npm run screenshots` sets
 * WSI_README_SCREENSHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OUTPUT = resolve(import.meta.dirname, '../output');
const README = resolve(import.meta.dirname, '../screenshots');

/**
 * The path to write screenshot `name` (e.g. 'panel-light.png') to; the folder is made if missing.
 * `readme: false`: a screenshot the README does not show, always in test/output/.
 */
export function shotPath(name: string, { readme = true }: { readme?: boolean } = {}): `${string}.png` {
  const dir = readme && process.env.WSI_README_SCREENSHOTS ? README : OUTPUT;
  mkdirSync(dir, { recursive: true });
  return join(dir, name) as `${string}.png`;
}
