/**
 * HAR export validated against the HAR 1.2 JSON schema (har-schema, with ajv), in Chrome's
 * `_webSocketMessages` shape; import of a Chrome-shaped HAR and of our own.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecoderRegistry, decodeConnection } from '../../src/decode';
import { exportHar, importFile, importHar } from '../../src/export';
import { harValidator } from '../fixtures/har-validator';
import { sampleEvents, snapshot, storeOf } from './export-helpers';

const chromeHar = readFileSync(new URL('../fixtures/har/chrome-websocket.har', import.meta.url), 'utf8');

describe('HAR export', () => {
  const store = storeOf(sampleEvents());

  it('validates against the HAR 1.2 schema (and so does the Chrome-shaped fixture)', () => {
    const validate = harValidator();
    const { har, text } = exportHar(store.order);
    expect(validate(har)).toEqual([]);
    expect(validate(JSON.parse(text))).toEqual([]);
    expect(validate(JSON.parse(chromeHar))).toEqual([]);
    expect(validate({ log: { version: '1.2', entries: [{}] } }).length).toBeGreaterThan(0); // the validator does reject
  });

  it('one entry per connection, frames in Chrome\'s _webSocketMessages shape', () => {
    const { har } = exportHar(store.order, { redaction: { enabled: false } });
    expect(har.log.entries).toHaveLength(3);
    const e = har.log.entries[0]!;
    expect(e).toMatchObject({
      _resourceType: 'websocket',
      request: { method: 'GET', url: 'wss://api.example.com/feed?token=s3cret&x=1' },
      response: { status: 101, statusText: 'Switching Protocols' },
    });
    expect(e.startedDateTime).toBe(new Date(1_715_678_493_104.25).toISOString());
    const msgs = e._webSocketMessages!;
    expect(msgs.map((m) => [m.type, m.opcode])).toEqual([['send', 1], ['receive', 1], ['receive', 2], ['send', 2], ['receive', 1], ['receive', 1]]);
    expect(msgs[2]).toMatchObject({ data: 'AAH+/w==', time: (1_715_678_493_104.25 + 120) / 1000 });
    expect(msgs[3]!.data).toBe('BwgJ'); // the Blob's bytes
    expect(har.log.entries[1]!.response.status).toBe(0); // new WebSocket() threw
  });

  it('redacts by default and says what it redacted', () => {
    const { har, redaction } = exportHar(store.order);
    const text = JSON.stringify(har);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9.eyJ');
    expect(har.log.entries[0]!.request.url).toBe('wss://api.example.com/feed?token=REDACTED&x=1');
    expect(redaction.counts['url-secret']).toBeGreaterThan(0);
    expect(redaction.counts.jwt).toBeGreaterThan(0);
    expect(redaction.text).toMatch(/^Redacted \d+: /);
  });

  it('our own HAR imports back to the same connections (as far as HAR carries them)', () => {
    const { text } = exportHar(store.order, { redaction: { enabled: false } });
    const r = importHar(text);
    if (!r.ok) throw new Error(r.error);
    const again = storeOf(r.connections);
    // seq numbers of folded events are rebuilt, so drops are counted from frame seqs alone
    const strip = (s: Record<string, unknown>) => ({ ...s, dropped: undefined, lastSeq: undefined });
    expect(again.order.map(snapshot).map(strip)).toEqual(store.order.map(snapshot).map(strip));
  });
});

describe('HAR import', () => {
  it('imports a Chrome DevTools HAR: only WebSocket entries, text and binary frames, subprotocol, times', () => {
    const r = importFile(chromeHar);
    if (!r.ok) throw new Error(r.error);
    expect(r.format).toBe('har');
    expect(r.warnings).toEqual(['1 non-WebSocket entries skipped']);
    const store = storeOf(r.connections);
    expect(store.order.map((c) => c.url)).toEqual(['wss://stream.example.com/v2/feed?apikey=8f1e2d&session=77', 'wss://app.example.com/socket.io/?EIO=4&transport=websocket']);
    const feed = store.order[0]!;
    expect(feed).toMatchObject({ state: 1, framesOut: 3, framesIn: 4, extensions: 'permessage-deflate', frameUrl: '' });
    const frames = Array.from(feed.frames);
    expect(frames[0]!.t).toBeCloseTo(1715678493.165 * 1000, 3);
    expect(frames[3]).toMatchObject({ kind: 'binary', as: 'ArrayBuffer', size: 18, data: { b64: 'gqJweMtAWVAAAAAAAKNxdHkH' } });
    expect(frames[6]).toMatchObject({ kind: 'text', data: 'café ☕', size: 9 });
    expect(feed.dropped).toBe(0);
    // the imported frames decode like live ones
    const decoded = decodeConnection(new DecoderRegistry(), store.order[1]!);
    expect(decoded.decoder.id).toBe('socketio');
    expect(decoded.decoded[3]!.summary).toBe('socket.io EVENT "chat" #1');
  });

  it('bad input: a clear error with the position or JSON path; never throws', () => {
    const err = (t: string) => { const r = importHar(t); return r.ok ? 'ok' : r.error; };
    expect(err(chromeHar.slice(0, 5000))).toMatch(/^HAR \(JSON\) ends too early at line \d+, column \d+ \(character 5000\): the file looks truncated$/);
    expect(err('{"log": {"entries": [}}')).toBe('Not valid HAR (JSON) at line 1, column 22 (character 21): unexpected "}}"');
    expect(err('[1,2]')).toBe('Not a HAR file: no "log" object at the top level');
    const har = JSON.parse(chromeHar) as { log: { entries: Record<string, unknown>[] } };
    (har.log.entries[2]!._webSocketMessages as Record<string, unknown>[])[4]!.opcode = 'x';
    expect(err(JSON.stringify(har))).toBe('log.entries[2]._webSocketMessages[4].opcode: expected a number');
    (har.log.entries[2]!._webSocketMessages as Record<string, unknown>[])[4]!.opcode = 2;
    expect(err(JSON.stringify(har))).toBe('log.entries[2]._webSocketMessages[4].data: binary message (opcode 2) is not valid base64');
    har.log.entries = [har.log.entries[0]!];
    expect(err(JSON.stringify(har))).toBe('No WebSocket connections in this HAR (1 entries, none is a WebSocket)');
    expect(importHar(chromeHar, { maxBytes: 100 })).toEqual({ ok: false, error: 'File too large: 0.0 MiB, the import limit is 0.0 MiB' });
  });
});
