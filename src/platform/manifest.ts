/**
 * One manifest source (manifest.json, written for Chrome), one build per browser.
 * `manifestFor('firefox', …)` derives Firefox's manifest from it; vite.config.ts
 * hands the result to crxjs. Pure: unit-tested in test/unit/platform-manifest.test.ts.
 *
 * What Firefox needs differently:
 * - `background.scripts` (an event page) instead of `background.service_worker`,
 *   which Firefox rejects;
 * - `browser_specific_settings.gecko`: a fixed add-on id (storage and the
 *   moz-extension UUID stay put across reinstalls), the oldest Firefox that runs us,
 *   and the data-collection declaration AMO requires (we collect nothing);
 * - no `minimum_chrome_version` nor `message_serialization` (Chrome-only: Firefox warns about them);
 * - blocking webRequest on every site, for deep capture of workers (FIREFOX_PERMISSIONS).
 *
 * Kept as they are: `content_scripts[].world` ("MAIN" since Firefox 128) and
 * `match_origin_as_fallback` (since 128), `devtools_page`, the CSP.
 */

export type Target = 'chrome' | 'firefox';

/** The add-on id in Firefox. Changing it makes Firefox treat it as another add-on (storage is lost). */
export const GECKO_ID = 'websocket-inspector@wsinspector.dev';

/**
 * Oldest Firefox we support: 140 (the current ESR line). `world: "MAIN"` content scripts and
 * `match_origin_as_fallback` need 128; `data_collection_permissions` (built-in data consent) 140.
 */
export const GECKO_MIN_VERSION = '140.0';

/**
 * Firefox for Android has `data_collection_permissions` from 142. Without its own minimum, the Android
 * one would be read from `gecko.strict_min_version` (140) and AMO's linter warns. Android has no
 * DevTools, so nothing of ours runs there; this only states the truth for it.
 */
export const GECKO_ANDROID_MIN_VERSION = '142.0';

/**
 * Firefox's deep capture of workers (src/workers/) puts the worker hook in front of worker scripts as they
 * load: a blocking webRequest listener (only while the user's *Capture workers* is on) that filters the
 * response, on any site — which the content scripts run on anyway. Chrome needs none of this.
 */
export const FIREFOX_PERMISSIONS = ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse'] as const;
export const FIREFOX_HOST_PERMISSIONS = ['<all_urls>'] as const;

/**
 * Keys only Chrome understands, dropped from Firefox's manifest (Firefox's ports always carry structured
 * clones: `message_serialization` is how Chrome 148+ is asked for the same).
 */
const CHROME_ONLY_KEYS = ['minimum_chrome_version', 'message_serialization'] as const;

/** The manifest's shape as far as we touch it; everything else passes through unchanged. */
export interface ManifestSource {
  manifest_version: number;
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  permissions?: string[];
  host_permissions?: string[];
  [key: string]: unknown;
}

export function manifestFor<M extends ManifestSource>(target: Target, source: M): M {
  const m = structuredClone(source);
  if (target === 'chrome') return m;
  for (const key of CHROME_ONLY_KEYS) delete m[key];
  const bg = m.background;
  if (bg?.service_worker) {
    const { service_worker, ...rest } = bg;
    m.background = { ...rest, scripts: [service_worker] };
  }
  m.permissions = [...(m.permissions ?? []), ...FIREFOX_PERMISSIONS];
  m.host_permissions = [...new Set([...(m.host_permissions ?? []), ...FIREFOX_HOST_PERMISSIONS])];
  (m as ManifestSource).browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: GECKO_MIN_VERSION,
      // the extension makes no network requests and sends nothing anywhere
      data_collection_permissions: { required: ['none'] },
    },
    gecko_android: { strict_min_version: GECKO_ANDROID_MIN_VERSION },
  };
  return m;
}
