/** The panel's export and import logic (src/ui/export/export-import.ts) and imported connections in the store. */
import { describe, expect, it } from 'vitest';
import { importNdjson } from '../../src/export';
import { buildExport, exportFilename, importInto, patternLines, type FileLike } from '../../src/ui/export/export-import';
import { SECRET_JWT, sampleEvents, snapshot, storeOf } from './export-helpers';
import { Store } from '../../src/store/store';

const fileOf = (name: string, text: string, size?: number): FileLike => {
  const bytes = new TextEncoder().encode(text);
  return {
    name, size: size ?? bytes.length,
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
};

describe('buildExport', () => {
  const store = storeOf(sampleEvents());

  it('redacts by default and says what, per rule', () => {
    const out = buildExport(store.order, { format: 'ndjson', redact: true, patterns: '' });
    if (!out.ok) throw new Error(out.error);
    expect(out.text).not.toContain('s3cret');
    expect(out.text).not.toContain(SECRET_JWT);
    expect(out.redaction.counts['url-secret']).toBeGreaterThan(0);
    expect(out.redaction.counts.jwt).toBeGreaterThan(0);
    expect(out.redaction.text).toMatch(/^Redacted \d+: .*URL secret.*JWT/);
    expect(out.filename).toMatch(/^websocket-inspector-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.ndjson$/);
  });

  it('adds the user\'s patterns, and names a bad one', () => {
    const out = buildExport(store.order, { format: 'har', redact: true, patterns: ' /INJECTED/i \n\n' });
    if (!out.ok) throw new Error(out.error);
    expect(out.text).not.toMatch(/injected/i);
    expect(out.redaction.counts.custom).toBe(1);
    const bad = buildExport(store.order, { format: 'har', redact: true, patterns: 'ok\n(unclosed' });
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining('pattern 2 ("(unclosed")') as string });
  });

  it('exports as captured when redaction is off', () => {
    const out = buildExport(store.order, { format: 'ndjson', redact: false, patterns: '' });
    if (!out.ok) throw new Error(out.error);
    expect(out.text).toContain('s3cret');
    expect(out.redaction.text).toMatch(/Redaction off/);
  });

  it('names files by format and time', () => {
    expect(exportFilename('har', new Date('2024-05-14T09:21:33.456Z'))).toBe('websocket-inspector-2024-05-14T09-21-33.har');
    expect(patternLines('a\n  \n b ')).toEqual(['a', 'b']);
  });
});

describe('importInto', () => {
  const original = storeOf(sampleEvents());
  const ndjson = (() => { const o = buildExport(original.order, { format: 'ndjson', redact: false, patterns: '' }); if (!o.ok) throw new Error(o.error); return o.text; })();

  it('ingests next to live traffic with prefixed ids, marks the connections imported, and loses nothing', async () => {
    const store = storeOf(sampleEvents());
    const r = await importInto(store, fileOf('a.ndjson', ndjson), 'i1.');
    if (!r.ok) throw new Error(r.error);
    expect(r.keys).toHaveLength(3);
    expect(store.order).toHaveLength(6);
    const imported = store.order.filter((c) => c.imported);
    expect(imported.map((c) => c.imported)).toEqual(['a.ndjson', 'a.ndjson', 'a.ndjson']);
    const strip = (c: ReturnType<typeof snapshot>) => ({ ...c, key: String(c.key).replace('i1.', ''), id: String(c.id).replace('i1.', '') });
    expect(imported.map((c) => strip(snapshot(c)))).toEqual(original.order.map((c) => snapshot(c)));
  });

  it('keeps imported connections when the page navigates, and forgets them on Clear', async () => {
    const store = storeOf(sampleEvents());
    await importInto(store, fileOf('a.ndjson', ndjson), 'i1.');
    store.reset();
    expect(store.order.map((c) => c.imported)).toEqual(['a.ndjson', 'a.ndjson', 'a.ndjson']);
    expect(store.order[0]!.frames.length).toBeGreaterThan(0);
    store.dropFrame(0, 'other');
    expect(store.order).toHaveLength(3);
    store.clear();
    expect(store.order).toHaveLength(0);
  });

  it('refuses a bad or too large file before touching the store', async () => {
    const store = storeOf(sampleEvents());
    const before = store.order.map((c) => snapshot(c));
    const lines = ndjson.split('\n');
    const truncated = lines.slice(0, 4).join('\n') + '\n' + lines[4]!.slice(0, 20);
    const bad = await importInto(store, fileOf('t.ndjson', truncated), 'i1.');
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/^Line 5: .*truncated/) as string });
    const huge = await importInto(store, fileOf('h.har', '{}', 600 * 1024 * 1024), 'i2.');
    expect(huge).toEqual({ ok: false, error: 'File too large: 600 MiB, the import limit is 512 MiB' });
    const none = await importInto(store, fileOf('e.har', '{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[]}}'), 'i3.');
    expect(none).toEqual({ ok: false, error: expect.stringMatching(/No WebSocket connections/) as string });
    expect(store.order.map((c) => snapshot(c))).toEqual(before);
    expect(importNdjson(ndjson).ok).toBe(true);
  });

  it('imports into an empty store too', async () => {
    const store = new Store();
    const r = await importInto(store, fileOf('a.ndjson', ndjson), 'x.');
    expect(r.ok).toBe(true);
    expect(store.order.every((c) => c.id.startsWith('x.'))).toBe(true);
  });
});
