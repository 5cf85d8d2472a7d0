/**
 * Hostile data, small: every function of the panel that walks a payload — decoders (and their trees,
 * which the Decoded section renders and exports serialise), the frame detail's JSON helpers, copy
 * formats, exports and imports with redaction, filters on decoded fields, the composer's JSON check —
 * fed pathological payloads: 100,000 levels of nesting (arrays, objects, inside protocol envelopes, in
 * MessagePack, CBOR and protobuf), a huge array, lone surrogates, NUL bytes, invalid UTF-8, a 16 MiB
 * string. None may throw; a view that stops at a depth says so.
 */
import { describe, expect, it } from 'vitest';
import { formatJson, parseJson } from '../../src/compose/parse';
import { BUILTIN_DECODERS, isHeartbeat, safeDecode, type DecodeFrame, type Decoded } from '../../src/decode';
import { exportHar, exportNdjson, importFile } from '../../src/export';
import type { WireEvent } from '../../src/protocol/messages';
import { DEFAULT_FILTER, filterAll, type FilterSpec } from '../../src/store/filter';
import { Store } from '../../src/store/store';
import { convertPayload, parseJsonPayload } from '../../src/ui/detail/payload-text';
import { jsonDepth, jsonText, MAX_PRETTY_DEPTH } from '../../src/ui/shared/deep-json';
import { prettyJson } from '../../src/ui/shared/format';

const DEEP = 100_000;
const deepArrays = '['.repeat(DEEP) + ']'.repeat(DEEP);
const deepObjects = '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);
/** Texts that walkers choke on, each also inside the envelopes protocols wrap JSON in. */
const TEXTS: Record<string, string> = {
  'deep arrays': deepArrays,
  'deep objects': deepObjects,
  'deep socket.io event': `42["ev",${deepArrays}]`,
  'deep JSON-RPC': `{"jsonrpc":"2.0","id":1,"method":"m","params":${deepObjects}}`,
  'deep GraphQL': `{"type":"next","id":"1","payload":${deepObjects}}`,
  'deep Phoenix': `[null,"1","room:x","ev",${deepArrays}]`,
  'deep SignalR': `{"type":1,"target":"t","arguments":[${deepArrays}]}\u001e`,
  'deep STOMP body': `MESSAGE\ndestination:/x\n\n${deepArrays}\u0000`,
  'huge array': `[${'0,'.repeat(1_000_000)}0]`,
  'lone surrogates': '{"a":"\ud800","b":"\udc00x"}\ud800',
  'NUL bytes': '{"a":"\u0000"}\u0000\u0000[\u0000]',
};
const bytesOf = (n: number, f: (i: number) => number) => Uint8Array.from({ length: n }, (_, i) => f(i));
/** Binary that nests as deep as its size allows in the binary formats the decoders read. */
const BINARY: Record<string, Uint8Array> = {
  'MessagePack arrays of one, 100,000 deep': bytesOf(DEEP + 1, (i) => (i < DEEP ? 0x91 : 0xc0)),
  'MessagePack maps of one, deep': bytesOf(3 * 30_000 + 1, (i) => (i === 90_000 ? 0xc0 : i % 3 === 0 ? 0x81 : i % 3 === 1 ? 0xa1 : 0x61)),
  'CBOR arrays of one, 100,000 deep': bytesOf(DEEP + 1, (i) => (i < DEEP ? 0x81 : 0xf6)),
  // field 1, length-delimited, each containing the next: the lengths are written from the inside out
  'protobuf messages nested 2,000 deep': (() => {
    let inner: number[] = [0x08, 0x01];
    for (let i = 0; i < 2000; i++) {
      const len = inner.length;
      const varint = len < 0x80 ? [len] : len < 0x4000 ? [(len & 0x7f) | 0x80, len >> 7] : [(len & 0x7f) | 0x80, ((len >> 7) & 0x7f) | 0x80, len >> 14];
      inner = [0x0a, ...varint, ...inner];
    }
    return Uint8Array.from(inner);
  })(),
  'invalid UTF-8': Uint8Array.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]),
  'zlib-looking garbage': Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff]),
};

const frames: [string, DecodeFrame][] = [
  ...Object.entries(TEXTS).flatMap(([name, text]) => (['in', 'out'] as const).map((dir) => [`${name} (${dir})`, { dir, kind: 'text', text }] as [string, DecodeFrame])),
  ...Object.entries(BINARY).map(([name, bytes]) => [name, { dir: 'in', kind: 'binary', bytes }] as [string, DecodeFrame]),
];

// big inputs: generous time for a loaded 2-core machine (nothing here is timed)
const SLOW = { timeout: 60_000 };

describe('decoders on pathological payloads', SLOW, () => {
  for (const decoder of BUILTIN_DECODERS) {
    it(`${decoder.id}: decodes, detects and tells keep-alives without throwing; its tree serialises`, () => {
      for (const [name, frame] of frames) {
        let d: Decoded;
        try {
          d = decoder.decode(frame, new Map());
          decoder.detect({ frames: [frame], url: 'wss://x/socket.io/?EIO=4', protocol: '' });
        } catch (e) {
          throw new Error(`${decoder.id} threw on ${name}: ${String(e)}`, { cause: e });
        }
        expect(typeof d.summary, name).toBe('string');
        expect(() => JSON.stringify(d.tree), `${decoder.id} tree of ${name}`).not.toThrow();
        expect(() => JSON.stringify(d.fields), `${decoder.id} fields of ${name}`).not.toThrow();
        expect(typeof isHeartbeat(decoder, frame)).toBe('boolean');
        expect(safeDecode(decoder, frame).summary.length).toBeLessThan(10_000);
      }
    });
  }
});

describe('the frame detail and copy formats on pathological payloads', SLOW, () => {
  it('parse, pretty-print and copy in every format without throwing; too deep to pretty-print says so', () => {
    for (const [name, text] of Object.entries(TEXTS)) {
      expect(() => parseJsonPayload(text), name).not.toThrow();
      expect(() => prettyJson(text), name).not.toThrow();
      for (const format of ['text', 'json', 'base64', 'hex'] as const) expect(() => convertPayload(text, format), `${name} as ${format}`).not.toThrow();
    }
    expect(convertPayload(deepArrays, 'json')).toEqual({ ok: false, error: `the JSON is nested deeper than ${MAX_PRETTY_DEPTH} levels: copy it as text` });
    expect(prettyJson(deepObjects)).toBeNull();
    for (const [name, bytes] of Object.entries(BINARY)) {
      const b64 = Buffer.from(bytes).toString('base64');
      for (const format of ['text', 'json', 'base64', 'hex'] as const) expect(() => convertPayload({ b64 }, format), `${name} as ${format}`).not.toThrow();
    }
  });

  it('measures nesting without recursion, and prints any depth as text, cut where asked', () => {
    expect(jsonDepth(deepArrays)).toBe(DEEP);
    expect(jsonDepth(deepArrays, 10)).toBe(11); // stops counting past the limit
    expect(jsonDepth('{"a":"[[[{{{","b":[1,"\\"]"]}')).toBe(2); // brackets in strings do not count
    const value = JSON.parse(deepArrays) as unknown;
    expect(jsonText(value, 50)).toEqual({ text: '['.repeat(50), cut: true });
    expect(jsonText(JSON.parse(deepObjects), Infinity).text).toBe(deepObjects);
    expect(jsonText({ a: [1, 'x', null, true, { b: undefined }], c: 'é\u0000' }, Infinity).text).toBe(JSON.stringify({ a: [1, 'x', null, true, { b: null }], c: 'é\u0000' }).replace('{"b":null}', '{"b":null}'));
  });

  it('the composer checks and formats deep JSON without throwing', () => {
    expect(parseJson(deepArrays)).toMatchObject({ ok: false, error: expect.stringContaining('nesting too deep') });
    expect(formatJson(deepObjects).ok).toBe(false);
  });
});

describe('exports, imports and filters on pathological payloads', SLOW, () => {
  const events = (): WireEvent[] => {
    const out: WireEvent[] = [{ k: 'created', c: 'h.0', seq: 0, t: 1, url: 'wss://x/', resolvedUrl: 'wss://x/', frameUrl: 'https://x/' }];
    let seq = 1;
    for (const text of Object.values(TEXTS)) out.push({ k: 'frame', c: 'h.0', seq: seq++, t: 2, dir: 'in', kind: 'text', as: 'string', size: text.length, data: text });
    for (const bytes of Object.values(BINARY)) {
      out.push({ k: 'frame', c: 'h.0', seq: seq++, t: 3, dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: bytes.length, data: { b64: Buffer.from(bytes).toString('base64') } });
    }
    // a 16 MiB text, sent (what went on the wire: U+FFFD for its lone surrogate)
    out.push({ k: 'frame', c: 'h.0', seq, t: 4, dir: 'out', kind: 'text', as: 'string', size: 16 * 2 ** 20, data: 'x'.repeat(16 * 2 ** 20 - 1) + '\ud800' });
    return out;
  };
  const store = new Store();
  store.ingest(0, 'h', events());

  it('exports HAR and NDJSON, redacted or not, and imports them back without throwing', () => {
    for (const redact of [true, false]) {
      const har = exportHar(store.order, { redaction: { enabled: redact } });
      const ndjson = exportNdjson(store.order, { redaction: { enabled: redact } });
      for (const file of [har.text, ndjson.text]) {
        const back = importFile(file);
        expect(back.ok).toBe(true);
        if (back.ok) expect(back.connections[0]!.events.filter((e) => e.k === 'frame')).toHaveLength(Object.keys(TEXTS).length + Object.keys(BINARY).length + 1);
      }
    }
  });

  it('filters by text, regex and decoded-field terms without throwing', () => {
    const json = BUILTIN_DECODERS.find((d) => d.id === 'json')!;
    const factsOf = (id: number) => {
      const f = store.frame(id);
      if (!f || f.data === undefined) return undefined;
      const frame: DecodeFrame = typeof f.data === 'string'
        ? { dir: f.dir, kind: 'text', text: f.data } : { dir: f.dir, kind: 'binary', bytes: Buffer.from(f.data.b64, 'base64') };
      return safeDecode(json, frame);
    };
    for (const query of ['[[[', '/\\[{3}/', 'a:1', 'a:*', '-length:2', 'decoded:JSON', 'params:/.*/', 'x']) {
      const spec: FilterSpec = { ...DEFAULT_FILTER, query, lifecycle: true };
      expect(() => filterAll(store.table, spec, factsOf), query).not.toThrow();
    }
    expect(filterAll(store.table, { ...DEFAULT_FILTER, query: 'length:1000001' }, factsOf)).toHaveLength(1); // the huge array
  });
});

describe('what went on the wire: a lone surrogate is U+FFFD', () => {
  const store = new Store();
  store.ingest(0, 'h', [
    { k: 'created', c: 'h.0', seq: 0, t: 1, url: 'wss://x/', resolvedUrl: 'wss://x/', frameUrl: 'https://x/' },
    // send('a\ud800b'): the browser encodes it as UTF-8, U+FFFD in place of the lone surrogate
    { k: 'frame', c: 'h.0', seq: 1, t: 2, dir: 'out', kind: 'text', as: 'string', size: 5, data: 'a\ud800b' },
  ]);

  it('shows it, and exports it in HAR and NDJSON', () => {
    const [conn] = store.order;
    expect(store.frame(conn!.frames.ids.at(0))!.data).toBe('a\ufffdb');
    const har = JSON.parse(exportHar(store.order).text) as { log: { entries: { _webSocketMessages: { data: string }[] }[] } };
    expect(har.log.entries[0]!._webSocketMessages[0]!.data).toBe('a\ufffdb');
    const lines = exportNdjson(store.order, { redaction: { enabled: false } }).text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { k?: string; data?: string });
    expect(lines.find((l) => l.k === 'frame')!.data).toBe('a\ufffdb');
  });

  it('imports a file that holds a lone surrogate (either direction) as U+FFFD', () => {
    const har = exportHar(store.order).text.replace('a\ufffdb', 'a\\ud800b');
    const withReceived = har.replace(/"type": ?"send"/, '"type": "receive"');
    expect(har).toContain('a\\ud800b');
    expect(withReceived).not.toBe(har);
    for (const file of [har, withReceived]) {
      const back = importFile(file);
      expect(back.ok).toBe(true);
      if (!back.ok) continue;
      const s = new Store();
      for (const c of back.connections) s.ingest(c.frameId, c.hook, c.events);
      const ids = s.order[0]!.frames.ids;
      expect(s.frame(ids.at(0))!.data).toBe('a\ufffdb');
    }
  });
});
