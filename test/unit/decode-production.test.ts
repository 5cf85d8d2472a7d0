/**
 * The decoders of issue 17 on frames recorded from the REAL client libraries and servers
 * (test/fixtures/frames/record-production.ts): socket.io ⇄ socket.io with socket.io-msgpack-parser,
 * y-websocket ⇄ @y/websocket-server, Hocuspocus' provider ⇄ server, @trpc/client ⇄ @trpc/server,
 * pusher-js ⇄ a Pusher-protocol stand-in, a Discord-gateway-style zlib-stream stand-in (node:zlib).
 * NATS (nats-server) is in decode-nats.test.ts.
 */
import { encode as cborEncode } from 'cbor-x';
import { generate as mqttGenerate } from 'mqtt-packet';
import * as phoenix from 'phoenix';
import { describe, expect, it } from 'vitest';
import { DecoderRegistry, DecodingSession, decodeFrames, pairFrames, type Decoded } from '../../src/decode';
import { matchesTerms, splitTerms } from '../../src/store/field-terms';
import { loadFixture } from './decode-helpers';

const registry = new DecoderRegistry();

function run(name: string, opts: { withConn?: boolean } = {}) {
  const fx = loadFixture(name);
  const r = decodeFrames(registry, opts.withConn === false ? {} : { url: fx.url, protocol: fx.protocol }, fx.decodeFrames);
  const pairs = pairFrames(r.decoded.map((decoded, i) => ({ t: fx.frames[i]!.t, decoded })));
  return { fx, ...r, pairs, summaries: r.decoded.map((d) => d.summary) };
}
const noErrors = (ds: Decoded[]) => expect(ds.filter((d) => d.error).map((d) => d.summary)).toEqual([]);
/** Does a filter query (decoded-field terms only) keep this frame? */
const keeps = (query: string, d: Decoded) => {
  const s = splitTerms(query);
  if (!s.ok) throw new Error(s.error);
  return matchesTerms(s.terms, d);
};

describe('socket.io with socket.io-msgpack-parser (both sides)', () => {
  it('reads every packet exactly as the default parser\'s: types, namespaces, event names, ack ids, pairing', () => {
    const msgpack = run('socketio-msgpack');
    expect(msgpack.decoder.id).toBe('socketio');
    noErrors(msgpack.decoded);
    // the same story recorded with the default parser: the same summaries, binary attachments aside
    const text = run('socketio').summaries.filter((s) => !/attachment|BINARY/.test(s));
    const binary = msgpack.summaries.filter((s) => !/"bytes"/.test(s));
    expect(binary.slice(1)).toEqual(text.slice(1).filter((s) => !/"bytes"/.test(s)));
    const greet = msgpack.decoded.findIndex((d) => d.fields.event === 'greet');
    expect(msgpack.decoded[greet]!.fields).toEqual({ eio: 'message', type: 'EVENT', namespace: '/', event: 'greet', ackId: 0 });
    expect(msgpack.summaries).toContain('socket.io CONNECT_ERROR /admin "Invalid namespace"');
    const ack = msgpack.decoded.findIndex((d) => d.fields.type === 'ACK');
    expect(msgpack.pairs.byIndex.get(greet)?.responses).toEqual([ack]);
    // binary data inside the packet is MessagePack bin: shown as bytes, no attachment frames
    expect(msgpack.decoded.find((d) => d.fields.event === 'bytes')!.tree).toMatchObject({ data: ['bytes', { $bytes: 'AAEC+v8=', size: 5 }] });
    expect(keeps('event:greet ackId:*', msgpack.decoded[greet]!)).toBe(true);
  });

  it('is detected from the first frames alone (no URL)', () => {
    expect(run('socketio-msgpack', { withConn: false }).decoder.id).toBe('socketio');
  });

  it('another custom parser falls back to the MessagePack, CBOR or JSON view of its messages', () => {
    const s = new DecodingSession(registry.get('socketio')!, { url: 'wss://x/socket.io/?EIO=4&transport=websocket' });
    const cbor = s.decode({ dir: 'out', kind: 'binary', bytes: cborEncode({ kind: 'event', name: 'chat', args: ['hi'] }) });
    expect(cbor.summary).toBe('engine.io binary message, CBOR {…}');
    expect(cbor.tree).toEqual({ kind: 'event', name: 'chat', args: ['hi'] });
    const json = s.decode({ dir: 'in', kind: 'text', text: '4{"event":"chat"}' });
    expect(json).toMatchObject({ summary: 'engine.io MESSAGE, JSON {…}', tree: { event: 'chat' } });
    expect(json.error).toBeUndefined();
  });
});

describe('Yjs (y-websocket ⇄ @y/websocket-server)', () => {
  it('sync step 1/2 paired per side, updates with their client ids and clock ranges, awareness as JSON', () => {
    const r = run('yjs');
    expect(r.decoder.id).toBe('yjs');
    noErrors(r.decoded);
    expect(r.decoded.map((d) => d.fields.type)).toEqual([
      'sync step 1', 'sync step 1', 'awareness', 'sync step 2', 'sync step 2', 'awareness', 'update', 'update',
      'awareness', 'awareness', 'update', 'awareness', 'awareness', 'awareness',
    ]);
    // ada's client id, from her awareness, wrote "Hello, world": 12 characters, clocks 0–12
    const ada = r.decoded[2]!;
    expect(ada.tree).toMatchObject({ states: [{ state: { user: { name: 'ada' } } }] });
    const adaId = ada.fields.clientId as number;
    expect(r.summaries[6]).toBe(`Yjs update (29 B), client ${adaId}: 0–12`);
    expect(r.decoded[6]!.fields).toMatchObject({ type: 'update', clientId: adaId, size: 29 });
    expect(r.summaries[2]).toBe('Yjs awareness 1 client {"user":{"name":"ada"}}');
    expect(r.summaries.at(-1)).toBe('Yjs awareness 1 client (1 left)');
    // each side's step 1 is answered by the other side's step 2
    expect(r.pairs.pairs.map((p) => [p.request, p.responses])).toEqual([[0, [3]], [1, [4]]]);
    expect(keeps(`clientId:"${adaId}" type:update`, r.decoded[7]!)).toBe(true);
  });

  it('is detected from the first frames (the URL is just the document name)', () => {
    expect(run('yjs', { withConn: false }).decoder.id).toBe('yjs');
    expect(run('yjs-2').decoder.id).toBe('yjs');
    noErrors(run('yjs-2').decoded);
  });
});

describe('Hocuspocus (provider ⇄ server)', () => {
  it('the document name before every message; auth, sync, awareness, stateless, sync status, close', () => {
    const r = run('hocuspocus');
    expect(r.decoder.id).toBe('hocuspocus');
    noErrors(r.decoded);
    expect(r.decoded.every((d) => d.fields.document === 'team/notes')).toBe(true);
    expect(r.summaries.slice(0, 4)).toEqual([
      'Hocuspocus "team/notes" auth token (12 characters)', 'Hocuspocus "team/notes" sync step 1, state of 0 clients',
      'Hocuspocus "team/notes" awareness 1 client {}', 'Hocuspocus "team/notes" auth authenticated "read-write"',
    ]);
    expect(r.decoded[3]!.fields).toMatchObject({ auth: 'authenticated', scope: 'read-write' });
    expect(r.pairs.byIndex.get(0)?.responses).toEqual([3]);
    expect(r.decoded.find((d) => d.fields.type === 'stateless')!.tree).toMatchObject({ payload: { type: 'cursor', at: 5 } });
    expect(r.summaries).toContain('Hocuspocus "team/notes" sync status synced');
    expect(r.summaries.at(-1)).toBe('Hocuspocus "team/notes" close "provider_initiated"');
    expect(run('hocuspocus', { withConn: false }).decoder.id).toBe('hocuspocus');
  });
});

describe('tRPC over WebSocket (@trpc/client wsLink ⇄ @trpc/server ws adapter): JSON-RPC 2.0-shaped', () => {
  it('method, path, id; results and errors paired by id; a subscription\'s started/data/stopped', () => {
    const r = run('trpc');
    expect(r.decoder.id).toBe('jsonrpc');
    noErrors(r.decoded);
    expect(r.summaries.slice(0, 6)).toEqual([
      'tRPC → query hello #1', 'tRPC ← data {…} #1', 'tRPC → mutation add #2', 'tRPC ← data 5 #2',
      'tRPC → mutation add #3', 'tRPC ← error -32603 "b must not be 0" #3',
    ]);
    expect(r.decoded[5]!.fields).toMatchObject({ id: 3, code: -32603, message: 'b must not be 0' });
    const sub = r.decoded.findIndex((d) => d.fields.method === 'subscription');
    expect(r.decoded[sub]!.fields).toMatchObject({ path: 'countdown', id: 4 });
    expect(r.pairs.byIndex.get(sub)!.responses.map((i) => r.decoded[i]!.fields.resultType)).toEqual(['started', 'data', 'data', 'data', 'stopped']);
    expect(r.decoded.every((d) => !d.heartbeat)).toBe(true);
    expect(run('trpc', { withConn: false }).decoder.id).toBe('jsonrpc');
  });
});

describe('Pusher Channels (pusher-js ⇄ a Pusher-protocol stand-in)', () => {
  it('pusher: events, channel, event, data as JSON; subscribe paired; ping/pong are heartbeats', () => {
    const r = run('pusher');
    expect(r.decoder.id).toBe('pusher');
    noErrors(r.decoded);
    expect(r.summaries).toEqual([
      'Pusher pusher:connection_established socket 1234.5678', 'Pusher pusher:subscribe chat',
      'Pusher pusher_internal:subscription_succeeded chat', 'Pusher new-message chat {…}', 'Pusher pusher:ping', 'Pusher pusher:pong',
    ]);
    expect(r.decoded[3]!.tree).toMatchObject({ event: 'new-message', channel: 'chat', data: { text: 'hello from the server', n: 1 } });
    expect(r.pairs.pairs.map((p) => [p.request, p.responses])).toEqual([[1, [2]], [4, [5]]]);
    expect(r.decoded.map((d) => d.heartbeat === true)).toEqual([false, false, false, false, true, true]);
    expect(run('pusher', { withConn: false }).decoder.id).toBe('pusher');
  });
});

describe('zlib-stream (a Discord-gateway-style stand-in: node:zlib, Z_SYNC_FLUSH per payload)', () => {
  it('one inflate context across messages: each payload as JSON, one split over two messages joined', () => {
    const r = run('zlib-stream');
    expect(r.decoder.id).toBe('zlib-stream');
    noErrors(r.decoded);
    expect(r.decoded.map((d) => d.fields.op ?? d.fields.type)).toEqual([10, 2, 0, 'partial', 0, 1, 11]);
    expect(r.summaries[2]).toMatch(/^zlib-stream JSON op=0 READY \{op, t, s, d\} \(\d+ B → 147 B\)$/);
    expect(r.summaries[4]).toMatch(/MESSAGE_CREATE .*joined from 2 messages\)$/);
    expect(r.decoded[4]!.tree).toMatchObject({ t: 'MESSAGE_CREATE', d: { content: 'hello '.repeat(4000) } });
    expect(r.decoded[0]!.tree).toEqual({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null });
    // from the first frames alone: a zlib header that inflates
    expect(run('zlib-stream', { withConn: false }).decoder.id).toBe('zlib-stream');
  });

  it('is stateful: a later payload cannot be inflated without the ones before it', () => {
    const fx = loadFixture('zlib-stream');
    const alone = registry.get('zlib-stream')!.decode(fx.decodeFrames[2]!);
    expect(alone.error).toEqual(expect.any(String));
    expect(registry.get('zlib-stream')!.stateful).toBe(true);
  });
});

describe('Supabase Realtime (Phoenix channels, v2 arrays): the Phoenix decoder already reads them', () => {
  it('join_ref, ref, topic, event, payload; detected from Supabase\'s URL; the heartbeat', () => {
    const { Serializer } = phoenix as unknown as { Serializer: { encode(msg: unknown, cb: (encoded: unknown) => void): void } };
    const enc = (msg: unknown) => { let t = ''; Serializer.encode(msg, (e) => { t = String(e); }); return t; };
    const frames = [
      { dir: 'out' as const, kind: 'text' as const, text: enc({ join_ref: '1', ref: '1', topic: 'realtime:public:todos', event: 'phx_join', payload: { config: { postgres_changes: [{ event: '*', schema: 'public', table: 'todos' }] } } }) },
      { dir: 'in' as const, kind: 'text' as const, text: enc({ join_ref: '1', ref: '1', topic: 'realtime:public:todos', event: 'phx_reply', payload: { status: 'ok', response: { postgres_changes: [{ id: 9 }] } } }) },
      { dir: 'in' as const, kind: 'text' as const, text: enc({ join_ref: null, ref: null, topic: 'realtime:public:todos', event: 'postgres_changes', payload: { data: { type: 'INSERT', table: 'todos' }, ids: [9] } }) },
      { dir: 'out' as const, kind: 'text' as const, text: enc({ join_ref: null, ref: '2', topic: 'phoenix', event: 'heartbeat', payload: {} }) },
    ];
    const r = decodeFrames(registry, { url: 'wss://abc.supabase.co/realtime/v1/websocket?apikey=k&vsn=2.0.0' }, frames);
    expect(r.decoder.id).toBe('phoenix');
    expect(r.decoded.map((d) => d.summary)).toEqual([
      'Phoenix realtime:public:todos phx_join #1', 'Phoenix realtime:public:todos phx_reply ok #1',
      'Phoenix realtime:public:todos postgres_changes', 'Phoenix phoenix heartbeat #2',
    ]);
    expect(r.decoded[0]!.fields).toMatchObject({ joinRef: '1', ref: '1', version: '2.0.0' });
    expect(r.decoded.map((d) => d.heartbeat === true)).toEqual([false, false, false, true]);
  });
});

describe('several packets in one message: the summary and the filters cover every one', () => {
  it('MQTT: two PUBLISHes in one message (mqtt-packet\'s generator): both in the Decoded column, a topic term finds the second', () => {
    const pub = (topic: string, qos: 0 | 1) => mqttGenerate({ cmd: 'publish', topic, payload: Buffer.from('21.5'), qos, messageId: qos ? 3 : undefined, retain: false, dup: false } as never);
    const s = new DecodingSession(registry.get('mqtt')!, { protocol: 'mqtt' });
    const d = s.decode({ dir: 'in', kind: 'binary', bytes: Buffer.concat([pub('sensors/a', 0), pub('alerts/door', 1)]) });
    expect(d.summary).toBe('MQTT PUBLISH sensors/a QoS0 (4 B) · PUBLISH alerts/door QoS1 #3 (4 B)');
    expect(d.fields).toMatchObject({ type: 'publish', topic: ['sensors/a', 'alerts/door'], qos: [0, 1], packets: 2 });
    expect(keeps('topic:"alerts/door"', d)).toBe(true);
    expect(keeps('topic:"sensors/a" qos:1', d)).toBe(true);
    expect(keeps('-topic:alerts', d)).toBe(false);
    expect(d.pairing).toEqual({ key: 'mqtt:in:pub:3', role: 'request' });
  });

  it('a field term matches the second packet of a message too', () => {
    const nats = loadFixture('nats');
    const d = decodeFrames(registry, {}, nats.decodeFrames).decoded.find((x) => Array.isArray(x.fields.subject))!;
    expect(d.summary).toMatch(/^NATS SUB orders\.> sid 1 · SUB time\.now sid 2 · PUB orders\.new \(21 B\) · /);
    expect(keeps('subject:"orders.new"', d)).toBe(true);
    expect(keeps('subject:"time.now" op:SUB', d)).toBe(true);
    expect(keeps('-subject:"orders.new"', d)).toBe(false);
  });
});
