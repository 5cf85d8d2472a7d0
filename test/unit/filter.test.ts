/** The filter box: plain text or /regex/flags, and saved filters as read back from storage. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, describeFilter, parseQuery, payloadTest } from '../../src/store/filter';
import { asSavedFilters, clampCap, PanelSettings, SAVED_FILTERS_KEY } from '../../src/store/panel-settings';

describe('parseQuery', () => {
  it('reads /pattern/flags as a regex, anything else as text', () => {
    expect(parseQuery('')).toEqual({ kind: 'none', terms: [] });
    expect(parseQuery('error')).toEqual({ kind: 'text', needle: 'error', terms: [] });
    expect(parseQuery('/err(or)?/i')).toEqual({ kind: 'regex', source: 'err(or)?', flags: 'i', terms: [] });
    expect(parseQuery('/a/ms')).toEqual({ kind: 'regex', source: 'a', flags: 'ms', terms: [] });
    // a path is not a regex unless what follows the last slash are flags
    expect(parseQuery('/api/v1')).toEqual({ kind: 'text', needle: '/api/v1', terms: [] });
    expect(parseQuery('/api/')).toEqual({ kind: 'regex', source: 'api', flags: '', terms: [] });
    expect(parseQuery('/')).toEqual({ kind: 'text', needle: '/', terms: [] });
  });

  it('drops g and y (each row is tested on its own) and reports a regex that does not compile', () => {
    expect(parseQuery('/x/gyi')).toEqual({ kind: 'regex', source: 'x', flags: 'i', terms: [] });
    const bad = parseQuery('/a(/');
    expect(bad.kind).toBe('error');
    expect(bad.kind === 'error' && bad.message).toMatch(/Invalid regular expression/);
  });

  it('tests payloads: text case-insensitively, regex as written, binary as Latin-1 bytes', () => {
    const t = payloadTest(parseQuery('HeLLo'))!;
    expect(t.text('say hello')).toBe(true);
    expect(t.text('say hell')).toBe(false);
    const digits = payloadTest(parseQuery('42'))!;
    expect(digits.text('x42')).toBe(true);
    const re = payloadTest(parseQuery('/^a.c$/s'))!;
    expect(re.text('a\nc')).toBe(true);
    // regex special characters in plain text are literal
    expect(payloadTest(parseQuery('a.c'))!.text('abc')).toBe(false);
    expect(payloadTest(parseQuery('a.c'))!.text('a.c')).toBe(true);
    expect(t.binary(btoa('\u0000hello\u00ff'))).toBe(true);
    expect(t.binary('!!not base64!!')).toBe(false);
    expect(payloadTest(parseQuery(''))).toBeNull();
  });
});

describe('describeFilter', () => {
  it('names a filter by what it keeps', () => {
    expect(describeFilter(DEFAULT_FILTER)).toBe('everything');
    expect(describeFilter({ ...DEFAULT_FILTER, dir: 'in', binary: false, query: '/err/i', invert: true }))
      .toBe('received · text · /err/i · inverted');
    expect(describeFilter({ ...DEFAULT_FILTER, lifecycle: true })).toBe('text+binary+lifecycle');
  });
});

describe('saved filters and the memory cap in storage', () => {
  const memoryArea = () => {
    const data: Record<string, unknown> = {};
    return {
      data,
      get: async (k: string) => (k in data ? { [k]: data[k] } : {}),
      set: async (items: Record<string, unknown>) => { Object.assign(data, items); },
      remove: async (k: string) => { delete data[k]; },
    };
  };

  it('keeps only well-formed entries from storage', () => {
    const good = { name: 'errors', spec: { dir: 'in', text: true, binary: false, lifecycle: false, query: 'err', invert: false } };
    expect(asSavedFilters([good, { name: 1 }, { name: 'x', spec: { ...good.spec, dir: 'sideways' } }, null])).toEqual([good]);
    expect(asSavedFilters('nope')).toEqual([]);
  });

  it('saves newest first, replaces by name, deletes', async () => {
    const area = memoryArea();
    const settings = new PanelSettings(area);
    const spec = { dir: 'all' as const, text: true, binary: true, lifecycle: false, query: 'a', invert: false };
    await settings.saveFilter({ name: 'a', spec });
    await settings.saveFilter({ name: 'b', spec: { ...spec, query: 'b' } });
    await settings.saveFilter({ name: 'a', spec: { ...spec, query: 'a2' } });
    expect((await settings.savedFilters()).map((f) => `${f.name}=${f.spec.query}`)).toEqual(['a=a2', 'b=b']);
    expect(await settings.deleteFilter('a')).toHaveLength(1);
    expect(area.data[SAVED_FILTERS_KEY]).toHaveLength(1);
  });

  it('clamps the memory cap to what the panel can hold', async () => {
    const settings = new PanelSettings(memoryArea());
    expect(await settings.memoryCap()).toBeUndefined();
    await settings.setMemoryCap(10);
    expect(await settings.memoryCap()).toBe(1024 * 1024);
    expect(clampCap(1e12)).toBe(4096 * 1024 * 1024);
  });
});
