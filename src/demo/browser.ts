/**
 * Which Chromium to run and the flags every launch needs; shared by `npm start` and the e2e harness
 * so the two cannot drift apart.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/**
 * Flags for a quiet, reproducible browser: no QUIC (sockets must go over plain TCP to the local
 * server), no first-run UI, no background traffic or component updates to race with the tests.
 */
export const CHROMIUM_FLAGS: string[] = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium 156 loads WebUI omnibox popups for every new window (up to 6 chrome://omnibox-popup pages):
  // ~1.5 s of a renderer's CPU right when a test or a bench run starts, which the bench measured as our
  // latency (a trace by thread: test/bench/RESULTS.md, stop 23)
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,PreloadTopChromeWebUI',
  // Chromium refuses to start as root with its sandbox on (containers, CI).
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK); // a directory passes this, hence the isFile check
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** CHROME_PATH, else the first of chromium, chromium-browser, google-chrome on PATH. Throws if none. */
export function chromiumPath(): string {
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const name of BROWSER_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new Error(
    `No Chromium/Chrome found (looked for ${BROWSER_NAMES.join(', ')} on PATH).\n` +
      `  Debian/Ubuntu: sudo apt-get install -y chromium\n` +
      `  Or point CHROME_PATH at a Chrome/Chromium binary.`,
  );
}
