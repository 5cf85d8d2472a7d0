/**
 * Decoders for protocols without a recorded fixture: frames are made with each protocol's own npm
 * encoder where one exists (@msgpack/msgpack, cbor-x, protobufjs, mqtt-packet, socket.io-parser,
 * phoenix's Serializer); Action Cable, WAMP, legacy subscriptions-transport-ws and JSON-RPC frames
 * follow the examples of their specs / reference implementations (noted per test).
 */
import { encode as cborEncode } from 'cbor-x';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { generate as mqttGenerate } from 'mqtt-packet';
import * as phoenix from 'phoenix';
import protobuf from 'protobufjs';
import { Encoder as SioEncoder } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { DecoderRegistry, DecodingSession, decodeFrames, protobufSchemaDecoder, type DecodeFrame } from '../../src/decode';

const registry = new DecoderRegistry();
/** phoenix's serializer is exported but not in @types/phoenix */
const { Serializer } = phoenix as unknown as { Serializer: { encode(msg: unknown, cb: (encoded: unknown) => void): void } };
const out = (text: string): DecodeFrame => ({ dir: 'out', kind: 'text', text });
const inn = (text: string): DecodeFrame => ({ dir: 'in', kind: 'text', text });
const bin = (dir: 'in' | 'out', b: Uint8Array | ArrayBuffer): DecodeFrame => ({ dir, kind: 'binary', bytes: new Uint8Array(b) });
const decode = (id: string, frames: DecodeFrame[], url?: string, protocol?: string) => {
  const s = new DecodingSession(registry.get(id)!, { url, protocol });
  return frames.map((f) => s.decode(f));
};

describe('JSON and JSON-RPC', () => {
  it('pairs a JSON-RPC request and response by id', () => {
    const r = decodeFrames(registry, {}, [out('{"jsonrpc":"2.0","id":7,"method":"subscribe","params":["trades"]}'), inn('{"jsonrpc":"2.0","id":7,"result":true}')]);
    expect(r.decoder.id).toBe('jsonrpc');
    expect(r.decoded.map((d) => d.summary)).toEqual(['JSON-RPC → subscribe #7', 'JSON-RPC ← result true #7']);
    expect(r.decoded[0]!.pairing).toEqual({ key: 'rpc:out:7', role: 'request' });
    expect(r.decoded[1]!.pairing).toEqual({ key: 'rpc:out:7', role: 'response' });
    expect(r.decoded[0]!.fields).toMatchObject({ method: 'subscribe', id: 7 });
  });

  it('JSON-RPC 2.0 per its specification\'s examples: notifications, errors, batches', () => {
    const ds = decode('jsonrpc', [
      out('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}'),
      inn('{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}'),
      out('[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}]'),
    ]);
    expect(ds[0]!.summary).toBe('JSON-RPC notification update [5]');
    expect(ds[0]!.pairing).toBeUndefined();
    expect(ds[1]!.summary).toBe('JSON-RPC ← error -32601 "Method not found" #1');
    expect(ds[1]!.fields).toMatchObject({ code: -32601, message: 'Method not found' });
    expect(ds[2]!.summary).toBe('JSON-RPC batch [2]: → sum #1 · notification notify_hello [1]');
    expect(ds[2]!.fields.method).toEqual(['sum', 'notify_hello']);
    // plain JSON objects are not taken for JSON-RPC
    expect(decodeFrames(registry, {}, [out('{"type":"hello"}'), inn('{"id":1,"price":3}')]).decoder.id).toBe('json');
  });
});

describe('GraphQL legacy subscriptions-transport-ws (its PROTOCOL.md)', () => {
  it('decodes start/data/complete with the operation name from the query', () => {
    const frames = [
      out('{"type":"connection_init","payload":{}}'), inn('{"type":"connection_ack"}'), inn('{"type":"ka"}'),
      out('{"id":"1","type":"start","payload":{"query":"subscription OnPrice($s: String!) { price(symbol: $s) }","variables":{"s":"X"}}}'),
      inn('{"id":"1","type":"data","payload":{"data":{"price":1}}}'), out('{"id":"1","type":"stop"}'),
    ];
    const r = decodeFrames(registry, { protocol: 'graphql-ws' }, frames);
    expect(r.decoder.id).toBe('graphql');
    expect(r.decoded[3]!.summary).toBe('GraphQL start subscription OnPrice #1');
    expect(r.decoded[4]!.pairing).toEqual({ key: 'gql:1', role: 'response' });
  });
});

describe('socket.io over EIO 3 (frames from socket.io-parser\'s Encoder)', () => {
  it('joins a binary attachment that carries the EIO3 type byte', () => {
    const [packet, attachment] = /* EVENT with bytes: the encoder makes it a BINARY_EVENT */ new SioEncoder().encode({ type: 2, nsp: '/chat', id: 3, data: ['upload', { file: Buffer.from([9, 8, 7]) }] }) as [string, Buffer];
    const ds = decode('socketio', [out('4' + packet), bin('out', Buffer.concat([Buffer.from([4]), attachment]))], 'wss://x/socket.io/?EIO=3&transport=websocket');
    expect(ds[0]!.summary).toBe('socket.io BINARY_EVENT /chat "upload" #3 (1 attachment)');
    expect(ds[1]!.tree).toMatchObject({ data: ['upload', { file: { $bytes: 'CQgH', size: 3 } }] });
    expect(ds[0]!.pairing).toEqual({ key: 'sio:out:/chat:3', role: 'request' });
  });
});

describe('STOMP edge cases (STOMP 1.2 spec)', () => {
  it('several frames in one message, heartbeats, escaped header values', () => {
    const ds = decode('stomp', [inn('\n'), inn('MESSAGE\ndestination:/a\\cb\nsubscription:1\n\nx\0MESSAGE\ndestination:/c\n\ny\0')]);
    expect(ds[0]!.summary).toBe('STOMP heartbeat');
    expect(ds[0]!.heartbeat).toBe(true);
    // every frame of the message in the summary and the fields
    expect(ds[1]!.summary).toBe('STOMP MESSAGE /a:b (1 B) · MESSAGE /c (1 B)');
    expect(ds[1]!.fields).toMatchObject({ command: 'MESSAGE', destination: ['/a:b', '/c'], packets: 2 });
  });
});

describe('Phoenix v1 objects and v2 binary (phoenix\'s own Serializer)', () => {
  it('decodes both', () => {
    const v1 = decode('phoenix', [out('{"topic":"rooms:1","event":"phx_join","payload":{},"ref":"1"}'), inn('{"topic":"rooms:1","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"1"}')]);
    expect(v1.map((d) => d.summary)).toEqual(['Phoenix rooms:1 phx_join #1', 'Phoenix rooms:1 phx_reply ok #1']);
    expect(v1[0]!.fields.version).toBe('1.0.0');
    let encoded: ArrayBuffer = new ArrayBuffer(0);
    Serializer.encode({ join_ref: '1', ref: '2', topic: 'rooms:1', event: 'upload', payload: new Uint8Array([1, 2]).buffer }, (b) => { encoded = b as ArrayBuffer; });
    const [d] = decode('phoenix', [bin('out', encoded)]);
    expect(d!.summary).toBe('Phoenix rooms:1 upload #2');
    expect(d!.tree).toMatchObject({ payload: { $bytes: 'AQI=' } });
  });
});

describe('Action Cable (layout of Rails\' actioncable client and server)', () => {
  it('decodes welcome, subscribe/confirm (paired), messages with their action', () => {
    const id = JSON.stringify({ channel: 'ChatChannel', room: 'lobby' });
    const frames = [
      inn('{"type":"welcome"}'), out(JSON.stringify({ command: 'subscribe', identifier: id })),
      inn(JSON.stringify({ identifier: id, type: 'confirm_subscription' })), inn('{"type":"ping","message":1700000000}'),
      out(JSON.stringify({ command: 'message', identifier: id, data: JSON.stringify({ action: 'speak', text: 'hi' }) })),
      inn(JSON.stringify({ identifier: id, message: { text: 'hi' } })),
    ];
    const r = decodeFrames(registry, { protocol: 'actioncable-v1-json' }, frames);
    expect(r.decoder.id).toBe('actioncable');
    expect(r.decoded.map((d) => d.summary)).toEqual([
      'ActionCable welcome', 'ActionCable subscribe ChatChannel', 'ActionCable confirm_subscription ChatChannel',
      'ActionCable ping 1700000000', 'ActionCable message ChatChannel speak', 'ActionCable message ChatChannel',
    ]);
    expect(r.decoded[1]!.pairing?.key).toBe(r.decoded[2]!.pairing?.key);
    expect(decodeFrames(registry, {}, frames).decoder.id).toBe('actioncable');
  });
});

describe('WAMP (message examples of the WAMP spec)', () => {
  it('JSON: HELLO/WELCOME, CALL/RESULT paired, SUBSCRIBE, EVENT; MessagePack the same', () => {
    const msgs = [
      [1, 'realm1', { roles: { caller: {} } }], [2, 9129137332, { roles: { broker: {} } }],
      [48, 7814135, {}, 'com.myapp.add', [23, 7]], [50, 7814135, {}, [30]],
      [32, 713845233, {}, 'com.myapp.topic1'], [36, 5512315355, 4429313566, {}, ['hello']],
      [8, 48, 7814136, {}, 'wamp.error.no_such_procedure'],
    ];
    const dirs: ('in' | 'out')[] = ['out', 'in', 'out', 'in', 'out', 'in', 'in'];
    const json = decodeFrames(registry, { protocol: 'wamp.2.json' }, msgs.map((m, i) => ({ dir: dirs[i]!, kind: 'text', text: JSON.stringify(m) })));
    expect(json.decoder.id).toBe('wamp');
    expect(json.decoded.map((d) => d.summary)).toEqual([
      'WAMP HELLO realm1', 'WAMP WELCOME', 'WAMP CALL com.myapp.add #7814135', 'WAMP RESULT #7814135 [1]',
      'WAMP SUBSCRIBE com.myapp.topic1 #713845233', 'WAMP EVENT sub 5512315355 [1]', 'WAMP ERROR wamp.error.no_such_procedure #7814136',
    ]);
    expect(json.decoded[2]!.pairing?.key).toBe(json.decoded[3]!.pairing?.key);
    const mp = decodeFrames(registry, { protocol: 'wamp.2.msgpack' }, msgs.map((m, i) => bin(dirs[i]!, msgpackEncode(m))));
    expect(mp.decoded.map((d) => d.summary)).toEqual(json.decoded.map((d) => d.summary));
  });
});

describe('MQTT 5 (packets from mqtt-packet\'s generator)', () => {
  it('switches to v5 parsing after a v5 CONNECT, several packets per message', () => {
    const connect = mqttGenerate({ cmd: 'connect', clientId: 'c5', protocolVersion: 5, keepalive: 10, properties: { sessionExpiryInterval: 60 } } as never);
    const connack = mqttGenerate({ cmd: 'connack', reasonCode: 0, sessionPresent: false, properties: { maximumQoS: 1 } } as never, { protocolVersion: 5 });
    const pub = mqttGenerate({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('{"t":1}'), qos: 1, messageId: 5, retain: false, dup: false, properties: { contentType: 'application/json' } } as never, { protocolVersion: 5 });
    const puback = mqttGenerate({ cmd: 'puback', messageId: 5, reasonCode: 0 } as never, { protocolVersion: 5 });
    const r = decodeFrames(registry, { protocol: 'mqtt' }, [bin('out', connect), bin('in', connack), bin('out', Buffer.concat([pub, pub])), bin('in', puback)]);
    expect(r.decoded.map((d) => d.summary)).toEqual([
      'MQTT CONNECT "c5" v5 keepalive 10s', 'MQTT CONNACK accepted', 'MQTT PUBLISH a/b QoS1 #5 (7 B) · PUBLISH a/b QoS1 #5 (7 B)', 'MQTT PUBACK #5',
    ]);
    expect(r.decoded.every((d) => !d.error)).toBe(true);
  });
});

describe('MessagePack and CBOR (their own encoders)', () => {
  it('decodes maps and detects each', () => {
    const value = { op: 'trade', px: 101.5, qty: 3, raw: new Uint8Array([1, 2]) };
    const mp = decodeFrames(registry, {}, [bin('in', msgpackEncode(value))]);
    expect(mp.decoder.id).toBe('msgpack');
    expect(mp.decoded[0]!.summary).toBe('MessagePack op="trade" {op, px, qty, raw}');
    expect(mp.decoded[0]!.tree).toEqual({ op: 'trade', px: 101.5, qty: 3, raw: { $bytes: 'AQI=', size: 2 } });
    const cb = decode('cbor', [bin('in', cborEncode(value))]);
    expect(cb[0]!.tree).toEqual({ op: 'trade', px: 101.5, qty: 3, raw: { $bytes: 'AQI=', size: 2 } });
  });
});

const PROTO = `syntax = "proto3"; package demo;
message Quote { string symbol = 1; double price = 2; repeated int32 sizes = 3; Side side = 4; map<string, int64> tags = 5; Quote previous = 6; sint32 delta = 7; bytes raw = 8; }
enum Side { BUY = 0; SELL = 1; }`;
function quoteBytes(): Uint8Array {
  const Quote = protobuf.parse(PROTO).root.lookupType('demo.Quote');
  return Quote.encode(Quote.fromObject({ symbol: 'ACME', price: 12.5, sizes: [1, 2, 300], side: 1, tags: { a: 5 }, previous: { symbol: 'OLD' }, delta: -3, raw: Buffer.from([7]) })).finish();
}

describe('protobuf (messages from protobufjs\' encoder)', () => {
  it('without a schema: field numbers, wire types, nested guesses', () => {
    const [d] = decode('protobuf', [bin('in', quoteBytes())]);
    expect(d!.tree).toMatchObject({ '1:string': 'ACME', '2:fixed64': { double: 12.5 }, '6:message': { '1:string': 'OLD' }, '7:varint': 5 });
    expect(d!.fields).toMatchObject({ 1: 'ACME', '6.1': 'OLD' });
  });

  it('with a .proto: names, enums, packed repeated, maps, zigzag — without eval (extension CSP)', () => {
    const made = protobufSchemaDecoder(PROTO, 'demo.Quote');
    if (!made.ok) throw new Error(made.error);
    const bytes = quoteBytes(); // protobufjs' own encoder compiles with eval: run it before blocking eval
    const realFunction = globalThis.Function;
    let d;
    try {
      (globalThis as { Function: unknown }).Function = () => { throw new EvalError('CSP: no eval'); };
      d = made.decoder.decode(bin('in', bytes));
    } finally { globalThis.Function = realFunction; }
    expect(d.error).toBeUndefined();
    expect(d.tree).toEqual({ symbol: 'ACME', price: 12.5, sizes: [1, 2, 300], side: 'SELL', tags: { a: 5 }, previous: { symbol: 'OLD' }, delta: -3, raw: { $bytes: 'Bw==', size: 1 } });
    expect(d.summary).toBe('Quote symbol="ACME" price=12.5 sizes=[3] side="SELL"');
    registry.add(made.decoder);
    expect(decodeFrames(registry, {}, [bin('in', quoteBytes())], 'protobuf-schema:demo.Quote').decoded[0]!.fields.symbol).toBe('ACME');
  });

  it('reports a bad .proto or unknown type instead of throwing', () => {
    expect(protobufSchemaDecoder('message {', 'X')).toMatchObject({ ok: false, error: expect.stringMatching(/^\.proto: /) });
    expect(protobufSchemaDecoder(PROTO, 'demo.Nope')).toMatchObject({ ok: false });
  });
});
