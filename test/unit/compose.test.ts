import { describe, expect, it } from 'vitest';
import {
  HISTORY_MAX, LibraryStore, libraryOrigin, remember, sanitizeLibrary, type KeyValueArea, type LockFn,
} from '../../src/compose/library';
import { draftOf, encodeDraft, formatJson, jsonError, parseBase64, parseHex, parseJson, toHex } from '../../src/compose/parse';
import { replayOffsets, runSequence } from '../../src/compose/sequence';
import { base64ToBytes } from '../../src/protocol/base64';

const bytes = (r: ReturnType<typeof parseHex>) => (r.ok ? [...r.value] : r.error);

describe('hex', () => {
  it('reads pairs of digits with or without spaces, any case, optional 0x', () => {
    expect(bytes(parseHex('48 65 6c 6C 6f'))).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(bytes(parseHex('48656c\n6c6f'))).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(bytes(parseHex('0x00 0xFF'))).toEqual([0, 255]);
    expect(bytes(parseHex(''))).toEqual([]);
  });

  it('names the bad digit and its position', () => {
    expect(parseHex('48 6g')).toMatchObject({ ok: false, error: "invalid hex digit 'g' at position 4", position: 4 });
    expect(parseHex('00 11 g')).toMatchObject({ ok: false, error: "invalid hex digit 'g' at position 6" });
    expect(parseHex('0\t1\u0001')).toMatchObject({ ok: false, error: 'invalid hex digit U+0001 at position 3' });
    expect(parseHex('48 6')).toMatchObject({ ok: false, position: 3 });
    expect((parseHex('48 6') as { error: string }).error).toMatch(/odd number of hex digits \(3\)/);
  });

  it('round-trips through toHex', () => {
    const b = new Uint8Array([0, 1, 127, 128, 255]);
    expect(toHex(b)).toBe('00 01 7f 80 ff');
    expect(bytes(parseHex(toHex(b)))).toEqual([...b]);
  });
});

describe('base64', () => {
  it('decodes standard and URL-safe, padded or not, ignoring whitespace', () => {
    expect(bytes(parseBase64('AQID+g=='))).toEqual([1, 2, 3, 250]);
    expect(bytes(parseBase64('AQID-g'))).toEqual([1, 2, 3, 250]);
    expect(bytes(parseBase64('aGVs\nbG8='))).toEqual([...Buffer.from('hello')]);
    expect(bytes(parseBase64(''))).toEqual([]);
    for (let n = 0; n < 40; n++) {
      const b = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37) & 255));
      expect(bytes(parseBase64(b.toString('base64'))), `length ${n}`).toEqual([...b]);
    }
  });

  it('names the bad character, misplaced padding and a dangling character', () => {
    expect(parseBase64('AQ!D')).toMatchObject({ ok: false, error: "invalid base64 character '!' at position 2", position: 2 });
    expect(parseBase64('AQ=D')).toMatchObject({ ok: false, error: "'=' padding at position 2 is not at the end" });
    expect(parseBase64('AQIDB')).toMatchObject({ ok: false });
    expect((parseBase64('AQIDB') as { error: string }).error).toMatch(/lone character/);
    expect(parseBase64('AQI==')).toMatchObject({ ok: false });
    expect(parseBase64('A===')).toMatchObject({ ok: false });
  });
});

describe('JSON', () => {
  it('accepts JSON and agrees with JSON.parse on what is valid', () => {
    const good = ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ', '"s"', '0', '-0.1', '{"a":{"b":[{}]}}'];
    for (const s of good) {
      expect(jsonError(s), s).toBeNull();
      expect(parseJson(s)).toEqual({ ok: true, value: JSON.parse(s) });
    }
    const bad = ['', '{', '{a:1}', '[1,]', '[1 2]', "{'a':1}", '01', '1.', '"\\x"', '"a\nb"', 'tru', '{"a":1}}', 'NaN', '"\\u12g4"'];
    for (const s of bad) {
      expect(jsonError(s), s).not.toBeNull();
      expect(() => JSON.parse(s), s).toThrow();
    }
  });

  it('says where the error is, with line and column', () => {
    expect(parseJson('{"a": 1,}')).toMatchObject({
      ok: false, position: 8, error: "invalid JSON: expected a property name in double quotes, found '}' at position 8 (line 1, column 9)",
    });
    expect(parseJson('{\n  "a": tru\n}')).toMatchObject({ ok: false, position: 12 });
    expect((parseJson('{\n  "a": tru\n}') as { error: string }).error).toContain('(line 2, column 11)');
    expect((parseJson('[1, 2') as { error: string }).error).toBe('invalid JSON: unexpected end of input at position 5 (line 1, column 6)');
    expect((parseJson('{"a":1} x') as { error: string }).error).toContain("unexpected character 'x' after the JSON value at position 8");
  });

  it('pretty-prints', () => {
    expect(formatJson('{"a":[1,{"b":null}]}')).toEqual({ ok: true, value: '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}' });
    expect(formatJson('{"a":}').ok).toBe(false);
  });
});

describe('composer drafts', () => {
  it('encode each format to what goes on the wire, or the error', () => {
    expect(encodeDraft('text', 'not {json')).toEqual({ ok: true, value: 'not {json' });
    expect(encodeDraft('json', ' {"a": 1} ')).toEqual({ ok: true, value: ' {"a": 1} ' }); // sent as written
    expect(encodeDraft('json', '{"a": }')).toMatchObject({ ok: false, position: 6 });
    expect(encodeDraft('hex', '01 02 03 fa')).toEqual({ ok: true, value: { b64: 'AQID+g==' } });
    expect(encodeDraft('base64', 'AQID-g')).toEqual({ ok: true, value: { b64: 'AQID+g==' } });
    expect(encodeDraft('hex', 'zz')).toMatchObject({ ok: false, error: "invalid hex digit 'z' at position 0" });
  });

  it('turn a captured payload into an editable draft', () => {
    expect(draftOf('{"x":1}', base64ToBytes)).toEqual({ format: 'text', text: '{"x":1}' });
    expect(draftOf({ b64: 'AQID+g==' }, base64ToBytes)).toEqual({ format: 'hex', text: '01 02 03 fa' });
    const big = Buffer.alloc(5000, 7).toString('base64');
    expect(draftOf({ b64: big }, base64ToBytes)).toEqual({ format: 'base64', text: big });
  });
});

describe('sequence replay', () => {
  it('keeps the captured gaps, divided by the speed', () => {
    expect(replayOffsets([1000, 1100, 1400], 1)).toEqual([0, 100, 400]);
    expect(replayOffsets([1000, 1100, 1400], 2)).toEqual([0, 50, 200]);
    expect(replayOffsets([1000, 1100, 1400], 10)).toEqual([0, 10, 40]);
    expect(replayOffsets([1000, 1100, 1400], Infinity)).toEqual([0, 0, 0]);
    expect(replayOffsets([], 1)).toEqual([]);
  });

  const clock = () => {
    let now = 0;
    const log: string[] = [];
    return { log, now: () => now, sleep: async (ms: number) => { now += ms; log.push(`sleep ${ms}`); } };
  };

  it('sends in order at the paced times', async () => {
    const c = clock();
    const out = await runSequence({
      items: ['a', 'b', 'c'], timeOf: (x) => ({ a: 0, b: 300, c: 1000 })[x]!, speed: 2,
      send: async (x) => { c.log.push(`send ${x} @${c.now()}`); return { ok: true }; }, now: c.now, sleep: c.sleep,
    });
    expect(out).toEqual({ sent: 3, total: 3 });
    expect(c.log).toEqual(['send a @0', 'sleep 150', 'send b @150', 'sleep 350', 'send c @500']);
  });

  it('stops at the first error, naming the item, or when stopped', async () => {
    const c = clock();
    const failing = await runSequence({
      items: [1, 2, 3], timeOf: () => 0, speed: Infinity, now: c.now, sleep: c.sleep,
      send: async (x) => (x === 2 ? { ok: false, error: { name: 'InvalidStateError', message: 'the socket is CLOSED' } } : { ok: true }),
    });
    expect(failing).toEqual({ sent: 1, total: 3, error: { at: 1, name: 'InvalidStateError', message: 'the socket is CLOSED' } });
    let n = 0;
    const stopped = await runSequence({
      items: [1, 2, 3], timeOf: () => 0, speed: 1, now: c.now, sleep: c.sleep, stopped: () => n >= 2,
      send: async () => { n++; return { ok: true }; },
    });
    expect(stopped).toEqual({ sent: 2, total: 3, stopped: true });
  });
});

describe('history and saved messages', () => {
  const memory = (): KeyValueArea & { data: Record<string, unknown> } => {
    const data: Record<string, unknown> = {};
    return {
      data,
      get: async (k) => (k in data ? { [k]: structuredClone(data[k]) } : {}),
      set: async (items) => { Object.assign(data, structuredClone(items)); },
      remove: async (k) => { delete data[k]; },
    };
  };

  it('files messages by socket origin', () => {
    expect(libraryOrigin('ws://127.0.0.1:1234/echo?x')).toBe('ws://127.0.0.1:1234');
    expect(libraryOrigin('wss://chat.example.com/socket')).toBe('wss://chat.example.com');
    expect(libraryOrigin('not a url')).toBe('not a url');
  });

  it('keeps history newest first, without duplicates, bounded', () => {
    let h = remember([], { format: 'text', text: 'a' }, 3);
    h = remember(h, { format: 'text', text: 'b' }, 3);
    h = remember(h, { format: 'text', text: 'a' }, 3);
    expect(h.map((d) => d.text)).toEqual(['a', 'b']);
    h = remember(remember(h, { format: 'hex', text: 'a' }, 3), { format: 'text', text: 'c' }, 3);
    expect(h).toEqual([{ format: 'text', text: 'c' }, { format: 'hex', text: 'a' }, { format: 'text', text: 'a' }]);
    expect(remember(h, { format: 'text', text: '' }, 3)).toEqual(h);
    expect(remember([], { format: 'text', text: 'x'.repeat(64 * 1024 + 1) }, 3)).toEqual([]);
  });

  it('stores per origin, clears saved and history separately, and removes the key when empty', async () => {
    const area = memory();
    const lib = new LibraryStore(area);
    await lib.addHistory('ws://a', { format: 'text', text: 'one' });
    await lib.save('ws://a', { format: 'json', text: '{}' });
    await lib.addHistory('ws://b', { format: 'hex', text: '01' });
    expect(await lib.load('ws://a')).toEqual({ history: [{ format: 'text', text: 'one' }], saved: [{ format: 'json', text: '{}' }] });
    expect((await lib.load('ws://b')).history).toHaveLength(1);
    expect(await lib.clearSaved('ws://a')).toEqual({ history: [{ format: 'text', text: 'one' }], saved: [] });
    await lib.clearHistory('ws://a');
    expect(Object.keys(area.data)).toEqual(['composer:ws://b']);
    for (let i = 0; i < HISTORY_MAX + 5; i++) await lib.addHistory('ws://b', { format: 'text', text: String(i) });
    expect((await lib.load('ws://b')).history).toHaveLength(HISTORY_MAX);
  });

  it('writes history only to the history area (memory) and saved messages only to the persistent one', async () => {
    const disk = memory();
    const session = memory();
    const lib = new LibraryStore(disk, session);
    await lib.addHistory('ws://a', { format: 'text', text: 'sent' });
    expect(Object.keys(disk.data)).toEqual([]);
    await lib.save('ws://a', { format: 'text', text: 'kept' });
    expect(disk.data['composer:ws://a']).toEqual({ history: [], saved: [{ format: 'text', text: 'kept' }] });
    expect(session.data['composer:ws://a']).toEqual({ history: [{ format: 'text', text: 'sent' }], saved: [] });
    expect(await lib.load('ws://a')).toEqual({ history: [{ format: 'text', text: 'sent' }], saved: [{ format: 'text', text: 'kept' }] });
    await lib.clearHistory('ws://a');
    expect(Object.keys(session.data)).toEqual([]);
  });

  /**
   * Like storage.local: every call is async and other work runs in between (a few timer turns,
   * varying per call), so read-modify-write sequences of concurrent updates interleave.
   * `failSet` makes the n-th set (1-based) reject.
   */
  const slow = (data: Record<string, unknown> = {}, failSet?: number): KeyValueArea & { data: Record<string, unknown> } => {
    let calls = 0;
    let sets = 0;
    const pause = () => new Promise<void>((r) => setTimeout(r, calls++ % 3));
    return {
      data,
      get: async (k) => { await pause(); const v = k in data ? { [k]: structuredClone(data[k]) } : {}; await pause(); return v; },
      set: async (items) => {
        await pause();
        if (++sets === failSet) throw new Error('QuotaExceededError');
        Object.assign(data, structuredClone(items));
      },
      remove: async (k) => { await pause(); delete data[k]; },
    };
  };
  const texts = (l: { text: string }[]) => l.map((d) => d.text);
  const numbered = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `m${from + i}`);

  it('keeps every one of many concurrent sends, newest first', async () => {
    const area = slow();
    const lib = new LibraryStore(area);
    const sent = numbered(20);
    const results = await Promise.all(sent.map((text) => lib.addHistory('ws://a', { format: 'text', text })));
    const newestFirst = [...sent].reverse();
    expect(texts((await lib.load('ws://a')).history)).toEqual(newestFirst);
    expect(texts(sanitizeLibrary(area.data['composer:ws://a']).history)).toEqual(newestFirst);
    // each call answers with the library as its own update left it, so the last answer is the whole list
    expect(results.map((r) => r.history.length)).toEqual(sent.map((_, i) => i + 1));
  });

  it('applies the cap to concurrent sends, keeping the newest', async () => {
    const lib = new LibraryStore(slow());
    const sent = numbered(HISTORY_MAX + 10);
    await Promise.all(sent.map((text) => lib.addHistory('ws://a', { format: 'text', text })));
    expect(texts((await lib.load('ws://a')).history)).toEqual(sent.slice(10).reverse());
  });

  it('keeps concurrent saves and sends apart, in both storage areas', async () => {
    const disk = slow();
    const session = slow();
    const lib = new LibraryStore(disk, session);
    const n = numbered(20);
    await Promise.all(n.flatMap((text) => [
      lib.addHistory('ws://a', { format: 'text', text }),
      lib.save('ws://a', { format: 'text', text: `saved ${text}` }),
      lib.addHistory('ws://b', { format: 'hex', text: '0a' }),
    ]));
    const a = await lib.load('ws://a');
    expect(texts(a.history)).toEqual([...n].reverse());
    expect(texts(a.saved)).toEqual(n.map((t) => `saved ${t}`).reverse());
    expect((await lib.load('ws://b')).history).toEqual([{ format: 'hex', text: '0a' }]);
    expect(disk.data['composer:ws://a']).toEqual({ history: [], saved: a.saved });
    expect(session.data['composer:ws://a']).toEqual({ history: a.history, saved: [] });
  });

  it('a load waits for the updates asked for before it', async () => {
    const lib = new LibraryStore(slow());
    const adds = numbered(5).map((text) => lib.addHistory('ws://a', { format: 'text', text }));
    expect(texts((await lib.load('ws://a')).history)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    await Promise.all(adds);
  });

  it('a failed write fails only its own update; later ones still run and keep what came before', async () => {
    const lib = new LibraryStore(slow({}, 3));
    const results = await Promise.allSettled(numbered(6).map((text) => lib.addHistory('ws://a', { format: 'text', text })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toContain('QuotaExceededError');
    expect(texts((await lib.load('ws://a')).history)).toEqual(['m5', 'm4', 'm3', 'm1', 'm0']);
    await lib.addHistory('ws://a', { format: 'text', text: 'after' });
    expect(texts((await lib.load('ws://a')).history)[0]).toBe('after');
  });

  it('a lock manager that refuses does not stop updates', async () => {
    const refused: LockFn = () => Promise.reject(new DOMException('no locks here', 'SecurityError'));
    const lib = new LibraryStore(slow(), undefined, refused);
    await Promise.all(['x', 'y'].map((text) => lib.addHistory('ws://a', { format: 'text', text })));
    expect(texts((await lib.load('ws://a')).history)).toEqual(['y', 'x']);
  });

  it('two panels (separate stores, the same storage, one lock manager) keep each other\'s sends', async () => {
    let tail: Promise<unknown> = Promise.resolve();
    const names = new Set<string>();
    const shared: LockFn = (name, fn) => {
      names.add(name);
      const run = tail.then(fn);
      tail = run.catch(() => undefined);
      return run;
    };
    const area = slow();
    const one = new LibraryStore(area, area, shared);
    const two = new LibraryStore(area, area, shared);
    const n = numbered(20);
    await Promise.all(n.map((text, i) => (i % 2 ? two : one).addHistory('ws://a', { format: 'text', text })));
    expect(texts((await one.load('ws://a')).history)).toEqual([...n].reverse());
    expect([...names]).toEqual(['composer:ws://a']);
  });

  it('drops malformed stored data', () => {
    expect(sanitizeLibrary(null)).toEqual({ history: [], saved: [] });
    expect(sanitizeLibrary({ history: [{ format: 'exe', text: 'x' }, { format: 'text', text: 5 }, null, { format: 'text', text: 'ok' }], saved: 'x' }))
      .toEqual({ history: [{ format: 'text', text: 'ok' }], saved: [] });
  });
});
