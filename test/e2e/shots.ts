/**
 * Where screenshots go: `test/output/` (git-ignored) on every run; the README's
 * `test/screenshots/` only when asked on purpose (`npm run screenshots` sets
 * WSI_README_SCREENSHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHOTS_DIR = resolve(import.meta.dirname, process.env.WSI_README_SCREENSHOTS ? '../screenshots' : '../output');

/** The path to write screenshot `name` (e.g. 'panel-light.png') to; the folder is made if missing. */
export function shotPath(name: string): `${string}.png` {
  mkdirSync(SHOTS_DIR, { recursive: true });
  return join(SHOTS_DIR, name) as `${string}.png`;
}
