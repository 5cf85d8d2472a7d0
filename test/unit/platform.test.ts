/**
 * Browser differences: Firefox's manifest derived from the one source, and the relay's binary
 * check accepting ArrayBuffers of another realm (Firefox's Xray wrappers; node:vm here).
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import source from '../../manifest.json' with { type: 'json' };
import { devtoolsPlatform } from '../../src/platform/devtools';
import { GECKO_ANDROID_MIN_VERSION, GECKO_ID, GECKO_MIN_VERSION, manifestFor } from '../../src/platform/manifest';
import { byteLengthOfArrayBuffer, isPageBinary } from '../../src/protocol/guards';

describe('manifestFor', () => {
  it('gives Chrome the source unchanged (a copy)', () => {
    const chrome = manifestFor('chrome', source);
    expect(chrome).toEqual(source);
    expect(chrome).not.toBe(source);
  });

  it('gives Firefox an event page, its add-on settings, and no Chrome-only keys', () => {
    const ff = manifestFor('firefox', source) as Record<string, unknown>;
    expect(ff.background).toEqual({ scripts: [source.background.service_worker], type: 'module' });
    expect(ff).not.toHaveProperty('minimum_chrome_version');
    // Firefox's ports always clone; the key is Chrome's way to ask for the same (batches' bytes then travel as they are)
    expect(ff).not.toHaveProperty('message_serialization');
    expect(manifestFor('chrome', source)).toHaveProperty('message_serialization', 'structured_clone');
    expect(ff.browser_specific_settings).toEqual({
      gecko: { id: GECKO_ID, strict_min_version: GECKO_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
      // Android's own minimum: data_collection_permissions exists there from 142
      gecko_android: { strict_min_version: GECKO_ANDROID_MIN_VERSION },
    });
    // world MAIN (Firefox 128+) and match_origin_as_fallback (128+) stay; 140 covers both
    expect(ff.content_scripts).toEqual(source.content_scripts);
    expect(Number.parseInt(GECKO_MIN_VERSION)).toBeGreaterThanOrEqual(128);
    expect(ff.devtools_page).toBe(source.devtools_page);
    // deep capture of workers filters worker scripts (src/workers/): Firefox only
    expect(ff.permissions).toEqual([...source.permissions, 'webRequest', 'webRequestBlocking', 'webRequestFilterResponse']);
    expect(ff.host_permissions).toEqual(['<all_urls>']);
    expect(source).not.toHaveProperty('host_permissions');
    // the source is not touched
    expect(source).toHaveProperty('minimum_chrome_version');
    expect(source.background).toHaveProperty('service_worker');
  });
});

describe('binary payloads from the page, whatever their realm', () => {
  it('accepts an ArrayBuffer of another realm, where instanceof fails', () => {
    const foreign: unknown = runInNewContext('new ArrayBuffer(3)');
    expect(foreign instanceof ArrayBuffer).toBe(false);
    expect(byteLengthOfArrayBuffer(foreign)).toBe(3);
    expect(isPageBinary(foreign)).toBe(true);
  });

  it('rejects look-alikes, views and shared buffers', () => {
    for (const v of [{ byteLength: 3 }, new Uint8Array(3), new DataView(new ArrayBuffer(3)), new SharedArrayBuffer(3),
      Object.create(ArrayBuffer.prototype), 'abc', null, undefined]) {
      expect(byteLengthOfArrayBuffer(v)).toBe(-1);
      expect(isPageBinary(v)).toBe(false);
    }
  });
});

describe('devtoolsPlatform', () => {
  it('reads Chrome: tab id, theme name, the change-handler setter', () => {
    let handler: ((n: string) => void) | undefined;
    const p = devtoolsPlatform({ chrome: { devtools: {
      inspectedWindow: { tabId: 7 }, panels: { themeName: 'default', setThemeChangeHandler: (fn) => { handler = fn; } },
    } } });
    expect(p.inspectedTabId).toBe(7);
    expect(p.themeName).toBe('default');
    const seen: string[] = [];
    expect(p.onThemeChanged((n) => seen.push(n))).toBe(true);
    handler!('dark');
    expect(seen).toEqual(['dark']);
  });

  it('reads Firefox: browser.devtools first, the onThemeChanged event', () => {
    const listeners: ((n: string) => void)[] = [];
    const panels = { themeName: 'light', onThemeChanged: { addListener: (fn: (n: string) => void) => listeners.push(fn) } };
    const p = devtoolsPlatform({
      browser: { devtools: { inspectedWindow: { tabId: 3 }, panels } },
      chrome: { devtools: { inspectedWindow: { tabId: 3 }, panels } },
    });
    expect(p.inspectedTabId).toBe(3);
    expect(p.themeName).toBe('light');
    const seen: string[] = [];
    expect(p.onThemeChanged((n) => seen.push(n))).toBe(true);
    expect(listeners).toHaveLength(1);
    listeners[0]!('dark');
    expect(seen).toEqual(['dark']);
  });

  it('is all null outside DevTools (the detached panel)', () => {
    for (const g of [{}, { chrome: {} }, { browser: {}, chrome: {} }]) {
      const p = devtoolsPlatform(g);
      expect(p.inspectedTabId).toBeNull();
      expect(p.themeName).toBeNull();
      expect(p.onThemeChanged(() => {})).toBe(false);
    }
  });
});
