import { describe, expect, it } from 'vitest';
import { exportNdjson, importFile, importNdjson } from '../../src/export';
import type { WireEvent } from '../../src/protocol/messages';
import { sampleEvents, snapshot, storeOf } from './export-helpers';

const off = { redaction: { enabled: false } };

describe('NDJSON export/import', () => {
  it('header first, then one event per line, lifecycle and close included', () => {
    const store = storeOf(sampleEvents());
    const { text } = exportNdjson(store.order, off);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ format: 'websocket-inspector', version: 1, connections: 3, events: lines.length - 1 });
    const kinds = lines.slice(1).map((l) => l.k);
    for (const k of ['created', 'construct-error', 'state', 'open', 'frame', 'payload', 'buffered', 'close-call', 'close', 'error', 'api-error']) expect(kinds).toContain(k);
  });

  it('round trip is lossless: the panel shows the same connections, and re-export gives the same events', () => {
    const store = storeOf(sampleEvents());
    const first = exportNdjson(store.order, off).text;
    const imported = importNdjson(first);
    if (!imported.ok) throw new Error(imported.error);
    expect(imported.warnings).toEqual([]);
    const again = storeOf(imported.connections);
    expect(again.order.map(snapshot)).toEqual(store.order.map(snapshot));
    const second = exportNdjson(again.order, off).text;
    const body = (t: string) => t.split('\n').slice(1);
    expect(body(second)).toEqual(body(first));
    // the original capture events come back as they were (the store keeps no time for Blob payloads)
    const original = sampleEvents().flatMap((b) => b.events).filter((e) => e.k !== 'payload');
    const back = imported.connections.flatMap((c) => c.events).filter((e) => e.k !== 'payload');
    expect(back.sort((x, y) => x.c.localeCompare(y.c) || x.seq - y.seq)).toEqual(original.sort((x, y) => x.c.localeCompare(y.c) || x.seq - y.seq));
  });

  it('lightweight mode\'s pauses survive the round trip and show as lifecycle rows', () => {
    const c = 'h9.0', t = 1_715_678_500_000;
    const events = [
      { c, seq: 0, t, k: 'created', url: 'ws://x/', resolvedUrl: 'ws://x/', frameUrl: 'http://x/' },
      { c, seq: 1, t: t + 1, k: 'recording', frames: false },
      { c, seq: 2, t: t + 2, k: 'state', state: 1, via: 'open' },
      { c, seq: 3, t: t + 2, k: 'open', protocol: '', extensions: '', binaryType: 'blob' },
      { c, seq: 4, t: t + 50, k: 'recording', frames: true },
      { c, seq: 5, t: t + 60, k: 'frame', dir: 'in', kind: 'text', as: 'string', size: 2, data: 'hi' },
    ] as WireEvent[];
    const store = storeOf([{ frameId: 0, hook: 'h9', events }]);
    const conn = store.order[0]!;
    expect(conn.recording).toEqual([{ t: t + 1, frames: false, seq: 1 }, { t: t + 50, frames: true, seq: 4 }]);
    const rows = [];
    for (let id = store.table.firstId; id < store.table.nextId; id++) { const r = store.row(id); if (r && 'lifecycle' in r) rows.push(r.text); }
    expect(rows).toContain('messages not recorded: no WebSocket panel is open (lightweight mode)');
    expect(rows).toContain('messages recorded again: a WebSocket panel attached (lightweight mode)');
    const imported = importNdjson(exportNdjson(store.order, off).text);
    if (!imported.ok) throw new Error(imported.error);
    expect(imported.connections[0]!.events).toEqual(events);
  });

  it('a second close() call (a no-op natively, made by mqtt.js for one) is kept and survives the round trip', () => {
    const c = 'h8.0', t = 1_715_678_600_000;
    const events = [
      { c, seq: 0, t, k: 'created', url: 'ws://x/', resolvedUrl: 'ws://x/', frameUrl: 'http://x/' },
      { c, seq: 1, t: t + 1, k: 'state', state: 1, via: 'open' },
      { c, seq: 2, t: t + 1, k: 'open', protocol: '', extensions: '', binaryType: 'blob' },
      { c, seq: 3, t: t + 5, k: 'close-call', code: 4000, reason: 'first' },
      { c, seq: 4, t: t + 5, k: 'state', state: 2, via: 'close-call' },
      { c, seq: 5, t: t + 6, k: 'close-call' },
      { c, seq: 6, t: t + 9, k: 'state', state: 3, via: 'close' },
      { c, seq: 7, t: t + 9, k: 'close', code: 4000, reason: 'first', wasClean: true, initiator: 'page' },
    ] as WireEvent[];
    const store = storeOf([{ frameId: 0, hook: 'h8', events }]);
    const conn = store.order[0]!;
    expect(conn.closeRequest).toEqual({ code: 4000, reason: 'first', t: t + 5, seq: 3 });
    expect(conn.laterCloseCalls).toEqual([{ t: t + 6, seq: 5 }]);
    const imported = importNdjson(exportNdjson(store.order, off).text);
    if (!imported.ok) throw new Error(imported.error);
    expect(imported.connections[0]!.events).toEqual(events);
  });

  it('an id prefix keeps an import apart from what the panel already holds; importFile sniffs the format', () => {
    const text = exportNdjson(storeOf(sampleEvents()).order, off).text;
    const r = importFile(new TextEncoder().encode(text), { idPrefix: 'imp1:' });
    expect(r.ok && r.format).toBe('ndjson');
    if (r.ok) expect(r.connections.flatMap((c) => c.events).every((e) => e.c.startsWith('imp1:'))).toBe(true);
  });

  it('bad input: the error names the problem and the line', () => {
    const text = exportNdjson(storeOf(sampleEvents()).order, off).text;
    const lines = text.split('\n');
    const err = (t: string | Uint8Array, o = {}) => { const r = importNdjson(t, o); return r.ok ? 'ok' : r.error; };
    const last = lines.length - 1; // the file ends with a newline
    expect(err(text.slice(0, text.length - 30))).toMatch(new RegExp(`^Line ${last}: JSON on line ${last} ends too early .*truncated`));
    const broken = [...lines]; broken[4] = broken[4]!.replace('"k":', '"k"');
    expect(err(broken.join('\n'))).toMatch(/^Line 5: Not valid JSON on line 5 at column \d+: unexpected/);
    const wrong = [...lines]; wrong[3] = JSON.stringify({ frameId: 0, hook: 'h1', k: 'frame', c: 'x', seq: -1, t: 1 });
    expect(err(wrong.join('\n'))).toBe('Line 4: not a valid capture event (kind "frame")');
    expect(err('{"format":"websocket-inspector","version":2}\n')).toBe('Line 1: format version 2 is not supported (this panel reads version 1)');
    expect(err('{"log":{}}\n')).toMatch(/^Line 1: not a WebSocket Inspector NDJSON file/);
    expect(err('')).toBe('The file is empty');
    expect(err(text, { maxBytes: 1000 })).toMatch(/^File too large: .* the import limit is 0\.0 MiB$/);
    expect(err(new Uint8Array([0xff, 0xfe, 0x00]))).toBe('The file is not UTF-8 text');
  });
});
