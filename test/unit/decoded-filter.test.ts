/**
 * Filters on decoded fields (src/store/field-terms.ts, filter.ts) and the panel's incremental decoding
 * (src/decode/live/decoding.ts, decoded-log.ts) over frames recorded from the real client libraries.
 */
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../src/protocol/messages';
import { exactTerm, matchesTerms, splitTerms, type DecodedFacts } from '../../src/store/field-terms';
import { DEFAULT_FILTER, describeFilter, filterAll, parseQuery } from '../../src/store/filter';
import { Store } from '../../src/store/store';
import { DecodedLog } from '../../src/decode/live/decoded-log';
import { Decoding, loadDecoders } from '../../src/decode/live/decoding';
import { loadFixture } from './decode-helpers';

const facts = (summary: string, fields: DecodedFacts['fields']): DecodedFacts => ({ summary, fields });
const chat = facts('socket.io EVENT "chat" #12', { type: 'EVENT', namespace: '/', event: 'chat', ackId: 12 });
const ping = facts('MQTT pingreq', { type: 'pingreq' });

describe('field terms', () => {
  it('takes name:value words out of the query and leaves the text', () => {
    const r = splitTerms('event:chat  hello world -type:PING');
    if (!r.ok) throw new Error(r.error);
    expect(r.terms.map((t) => [t.source, t.name, t.negate])).toEqual([['event:chat', 'event', false], ['-type:PING', 'type', true]]);
    expect(r.rest).toBe('hello world');
    // no terms: the query is untouched (spaces and all)
    expect(splitTerms('a  b')).toEqual({ ok: true, terms: [], rest: 'a  b' });
  });

  it('leaves URLs, "key": JSON text and a colon followed by a space as text', () => {
    for (const q of ['ws://127.0.0.1:8080/x', 'https://a.b/c', '"id":5', 'Error: timeout', '12:30']) {
      const r = splitTerms(q);
      expect(r.ok && r.terms.length, q).toBe(0);
    }
  });

  it('matches contains (any case), "exact", /regex/, * (has) and -negation', () => {
    const match = (q: string, f: DecodedFacts | undefined) => {
      const r = splitTerms(q);
      if (!r.ok) throw new Error(r.error);
      return matchesTerms(r.terms, f);
    };
    expect(match('event:CH', chat)).toBe(true);
    expect(match('event:"ch"', chat)).toBe(false);
    expect(match('event:"CHAT"', chat)).toBe(true);
    expect(match('EVENT:chat', chat)).toBe(true);
    expect(match('ackid:12', chat)).toBe(true);
    expect(match('ackId:/^1\\d$/', chat)).toBe(true);
    expect(match('ackId:*', chat)).toBe(true);
    expect(match('ackId:*', ping)).toBe(false);
    expect(match('-type:pingreq', ping)).toBe(false);
    expect(match('-type:pingreq', chat)).toBe(true);
    expect(match('decoded:"chat" event:chat', chat)).toBe(true);
    expect(match('decoded:#12', chat)).toBe(true);
    expect(match('event:"chat message"', facts('x', { event: 'chat message' }))).toBe(true);
    // not decoded (a lifecycle row, decoders not loaded): only negated terms hold
    expect(match('event:chat', undefined)).toBe(false);
    expect(match('-event:chat', undefined)).toBe(true);
  });

  it('reports a bad regex in a term with the term; exactTerm quotes and escapes', () => {
    const q = parseQuery('event:/(/ hello');
    expect(q).toMatchObject({ kind: 'error', term: 'event:/(/' });
    expect(exactTerm('destination', '/topic/"a"')).toBe('destination:"/topic/\\"a\\""');
    const back = splitTerms(exactTerm('destination', '/topic/"a" b')!);
    expect(back.ok && matchesTerms(back.terms, facts('', { destination: '/topic/"a" b' }))).toBe(true);
    expect(exactTerm('1.2', 'x')).toBeNull();
  });

  it('parseQuery: a whole /regex/ has no terms; terms and a regex together', () => {
    expect(parseQuery('/a b:c/')).toMatchObject({ kind: 'regex', source: 'a b:c', terms: [] });
    const q = parseQuery('event:chat /err/i');
    expect(q).toMatchObject({ kind: 'regex', source: 'err', flags: 'i' });
    expect(q.kind !== 'error' && q.terms.map((t) => t.source)).toEqual(['event:chat']);
    expect(parseQuery('-type:ping')).toMatchObject({ kind: 'none' });
    expect(describeFilter({ ...DEFAULT_FILTER, query: 'event:chat' })).toBe('event:chat');
  });
});

interface TestFrame { dir: 'in' | 'out'; kind: 'text' | 'binary'; data: string | { b64: string }; t: number }

/** A store holding one open connection with these frames. */
function storeOfFrames(url: string, protocol: string, frames: readonly TestFrame[]): Store {
  const store = new Store();
  const c = 'h.0';
  const events: WireEvent[] = [
    { c, seq: 0, t: 1, k: 'created', url, resolvedUrl: url, protocols: protocol ? [protocol] : [], frameUrl: 'http://x/' },
    { c, seq: 1, t: 2, k: 'open', protocol, extensions: '', binaryType: 'arraybuffer' },
  ];
  frames.forEach((f, i) => events.push({
    c, seq: i + 2, t: 3 + f.t, k: 'frame', dir: f.dir, kind: f.kind, as: f.kind === 'text' ? 'string' : 'ArrayBuffer',
    size: typeof f.data === 'string' ? Buffer.byteLength(f.data) : Buffer.from(f.data.b64, 'base64').length, data: f.data,
  }));
  store.ingest(0, 'h', events);
  return store;
}

/** A store holding one connection's frames recorded from a real client library. */
function storeWith(name: string): Store {
  const fx = loadFixture(name);
  return storeOfFrames(fx.url, fx.protocol ?? '', fx.frames.map((f, i) => ({
    dir: f.dir, kind: f.kind, t: f.t ?? i, data: f.kind === 'text' ? f.text ?? '' : { b64: f.base64 ?? '' },
  })));
}

async function loaded(): Promise<Decoding> {
  const d = new Decoding();
  d.load();
  await loadDecoders();
  await Promise.resolve();
  expect(d.ready).toBe(true);
  return d;
}

describe('filters on decoded fields over real-library traffic', () => {
  const cases = [
    { fixture: 'stomp', query: 'destination:"/topic/chat"', field: 'destination' },
    { fixture: 'mqtt', query: 'topic:*', field: 'topic' },
    { fixture: 'socketio', query: 'event:*', field: 'event' },
    { fixture: 'graphql-ws', query: 'type:subscribe', field: 'type' },
  ];
  for (const { fixture, query, field } of cases) {
    it(`${fixture}: ${query} keeps exactly the frames whose decoding has it`, async () => {
      const store = storeWith(fixture);
      const decoding = await loaded();
      const conn = store.order[0]!;
      expect(decoding.decodes(conn)).toBe(true);
      const factsOf = decoding.factsOf(store);
      const shown = filterAll(store.table, { ...DEFAULT_FILTER, query }, factsOf);
      // the expectation from the Decoded section's own results, frame by frame
      const expected = conn.frames.map((f) => f).filter((f) => {
        const d = decoding.decoded(conn, f.id)!;
        const v = d.fields[field];
        return v !== undefined && (query.includes('"') ? String(v) === '/topic/chat' : query.endsWith(':*') || String(v).toLowerCase().includes('subscribe'));
      }).map((f) => f.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(conn.frames.length);
      expect(shown).toEqual(expected);
      // inverted: the others
      const others = filterAll(store.table, { ...DEFAULT_FILTER, query, invert: true }, factsOf);
      expect(others.length).toBe(conn.frames.length - expected.length);
      // the grid's summaries are the Decoded section's
      for (const f of conn.frames) expect(decoding.summary(conn, f.id)).toBe(decoding.decoded(conn, f.id)!.summary);
    });
  }

  it('without decoders a term matches nothing; text and terms combine', async () => {
    const store = storeWith('stomp');
    expect(filterAll(store.table, { ...DEFAULT_FILTER, query: 'destination:chat' })).toEqual([]);
    const decoding = await loaded();
    const both = filterAll(store.table, { ...DEFAULT_FILTER, query: 'destination:chat SEND' }, decoding.factsOf(store));
    expect(both.length).toBeGreaterThan(0);
    for (const id of both) {
      const f = store.frame(id)!;
      expect(f.data).toMatch(/SEND/i);
      expect(decoding.decoded(f.conn, id)!.fields.destination).toMatch(/chat/);
    }
  });
});

describe('incremental decoding', () => {
  it('a stateful decoder gives the same result for an old frame decoded again (socket.io binary attachments)', async () => {
    const store = storeWith('socketio');
    const api = await loadDecoders();
    const conn = store.order[0]!;
    const decoder = new api.DecoderRegistry().get('socketio')!;
    const info = api.connectionInfo(conn);
    const inOrder = new DecodedLog(api, conn.frames, decoder, info);
    inOrder.advance(Infinity);
    const expected = conn.frames.map((f) => JSON.stringify(inOrder.full(f.id)));
    expect(expected.some((d) => d.includes('attachments'))).toBe(true);
    // on its own, some frame decodes differently: the replay is what makes the results equal
    const alone = conn.frames.map((f) => JSON.stringify(new api.DecodingSession(decoder, info).decode(api.toDecodeFrame(f))));
    expect(alone).not.toEqual(expected);
    // keeps one full result: every other frame is decoded again (replaying the connection up to it)
    const small = new DecodedLog(api, conn.frames, decoder, info, 1);
    small.advance(Infinity);
    expect(conn.frames.map((f) => JSON.stringify(small.full(f.id)))).toEqual(expected);
    expect(conn.frames.map((f) => small.facts(f.id)?.summary)).toEqual(conn.frames.map((f) => inOrder.full(f.id)!.summary));
  });

  it('decodes the rows in view within a budget, the rest in the background, then says so', async () => {
    const frames: TestFrame[] = [];
    for (let i = 1; i <= 60_000; i++) frames.push({ dir: 'in', kind: 'text', t: i, data: `42["tick",{"n":${i},"pad":"${'x'.repeat(40)}"}]` });
    const store = storeOfFrames('ws://x/socket.io/?EIO=4&transport=websocket', '', frames);
    const decoding = await loaded();
    const conn = store.order[0]!;
    const last = conn.frames.idAt(conn.frames.length - 1);
    let progressed = 0;
    decoding.onProgress(() => progressed++);
    const first = decoding.summary(conn, last);
    // 60k frames do not fit one render's budget on any machine this runs on … or they did: both are fine
    if (first === undefined) {
      await expect.poll(() => progressed, { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => decoding.summary(conn, last), { timeout: 20_000 }).toBeDefined();
    }
    expect(decoding.summary(conn, last)).toMatch(/^socket\.io EVENT "tick"/);
    expect(decoding.memoryUsed).toBeGreaterThan(60_000 * 50);
    // counted against the cap: frames make room for it
    decoding.attach(store);
    expect(store.memoryUsed).toBe(store.table.used + decoding.memoryUsed);
    const before = decoding.memoryUsed;
    store.setMemoryCap(store.table.used);
    expect(store.evictedFrames).toBeGreaterThan(0);
    // the results of evicted frames went with them, all of it fits the cap, and not everything went
    expect(store.memoryUsed - store.table.used).toBeLessThan(before);
    expect(store.memoryUsed).toBeLessThanOrEqual(store.memoryCap);
    expect(conn.frames.length).toBeGreaterThan(10_000);
    expect(decoding.summary(conn, last)).toMatch(/^socket\.io EVENT "tick"/);
  });

  it('a stateless decoder keeps nothing per frame: a small cache of rows looked at, pairing built in the background', async () => {
    const frames: TestFrame[] = [];
    for (let i = 0; i < 30_000; i++) {
      frames.push({ dir: 'out', kind: 'text', t: 2 * i, data: JSON.stringify({ jsonrpc: '2.0', id: i, method: i % 3 ? 'get' : 'put', params: [i] }) });
      frames.push({ dir: 'in', kind: 'text', t: 2 * i + 1.5, data: JSON.stringify({ jsonrpc: '2.0', id: i, result: i }) });
    }
    const store = storeOfFrames('ws://x/rpc', '', frames);
    const decoding = await loaded();
    decoding.attach(store);
    const conn = store.order[0]!;
    expect(decoding.choice(conn)?.decoder.id).toBe('jsonrpc');
    for (let i = 0; i < conn.frames.length; i += 7) expect(decoding.summary(conn, conn.frames.idAt(i))).toMatch(/^JSON-RPC (→ (get|put)|← result \d+) #\d+$/);
    // a filter over every frame decodes as it scans, without keeping what it decoded
    const puts = filterAll(store.table, { ...DEFAULT_FILTER, query: 'method:"put"' }, decoding.factsOf(store));
    expect(puts.length).toBe(10_000);
    expect(decoding.memoryUsed).toBeLessThan(2048 * 300);
    // the pair of the last response: pending at first (60k frames), then found, with its latency
    const lastId = conn.frames.idAt(conn.frames.length - 1);
    let pair = decoding.pair(conn, lastId);
    await expect.poll(() => (pair = decoding.pair(conn, lastId)), { timeout: 20_000 }).not.toBe('pending');
    expect(pair).toMatchObject({ role: 'response', request: conn.frames.idAt(conn.frames.length - 2), latency: 1.5 });
  });
});
