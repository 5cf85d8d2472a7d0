/**
 * Decoders on frames recorded from the REAL client libraries (test/fixtures/frames/record.ts):
 * socket.io-client ⇄ socket.io, graphql-ws ⇄ graphql-ws, mqtt.js ⇄ aedes, @stomp/stompjs,
 * @microsoft/signalr (JSON and MessagePack), phoenix, and the sockjs server.
 */
import { describe, expect, it } from 'vitest';
import { DecoderRegistry, decodeFrames, pairFrames, type Decoded } from '../../src/decode';
import { loadFixture } from './decode-helpers';

const registry = new DecoderRegistry();

function run(name: string, opts: { withConn?: boolean } = {}) {
  const fx = loadFixture(name);
  const info = opts.withConn === false ? {} : { url: fx.url, protocol: fx.protocol };
  const r = decodeFrames(registry, info, fx.decodeFrames);
  const pairs = pairFrames(r.decoded.map((decoded, i) => ({ t: fx.frames[i]!.t, decoded })));
  const summaries = r.decoded.map((d) => d.summary);
  return { fx, ...r, pairs, summaries };
}
const noErrors = (ds: Decoded[]) => expect(ds.filter((d) => d.error).map((d) => d.summary)).toEqual([]);

describe('decoders on recorded real-library frames', () => {
  it('socket.io: engine.io open, namespaces, ack pairing, binary attachment joined to its packet', () => {
    const r = run('socketio');
    expect(r.decoder.id).toBe('socketio');
    noErrors(r.decoded);
    expect(r.summaries).toContain('socket.io EVENT "greet" #0');
    expect(r.summaries).toContain('socket.io CONNECT_ERROR /admin "Invalid namespace"');
    const greet = r.decoded.findIndex((d) => d.fields.event === 'greet');
    expect(r.decoded[greet]!.fields).toMatchObject({ type: 'EVENT', namespace: '/', event: 'greet', ackId: 0 });
    const ack = r.decoded.findIndex((d) => d.fields.type === 'ACK');
    expect(r.pairs.byIndex.get(greet)?.responses).toEqual([ack]);
    expect(r.pairs.byIndex.get(greet)?.latency).toBeGreaterThan(0);
    // placeholder packet, then the attachment frame carrying the joined packet
    const ph = r.decoded.findIndex((d) => d.fields.type === 'BINARY_EVENT');
    expect(r.summaries[ph]).toBe('socket.io BINARY_EVENT "bytes" (1 attachment)');
    expect(r.summaries[ph + 1]).toBe('socket.io BINARY_EVENT "bytes" attachment 1/1 (5 B)');
    expect(r.decoded[ph + 1]!.tree).toMatchObject({ data: ['bytes', { $bytes: 'AAEC+v8=', size: 5 }] });
    expect(r.summaries[0]).toMatch(/^engine\.io OPEN /);
    expect(r.decoded[0]!.fields.sid).toEqual(expect.any(String));
  });

  it('socket.io is detected from the first frames alone (no URL)', () => {
    expect(run('socketio', { withConn: false }).decoder.id).toBe('socketio');
  });

  it('graphql-ws: operation ids, types and names; subscribe paired with its next/complete', () => {
    const r = run('graphql-ws');
    expect(r.decoder.id).toBe('graphql');
    noErrors(r.decoded);
    const sub = r.decoded.findIndex((d) => d.fields.operationName === 'Countdown');
    expect(r.decoded[sub]!.fields).toMatchObject({ type: 'subscribe', operation: 'subscription' });
    expect(r.summaries[sub]).toMatch(/^GraphQL subscribe subscription Countdown #/);
    expect(r.pairs.byIndex.get(sub)!.responses.map((i) => r.decoded[i]!.fields.type)).toEqual(['next', 'next', 'next', 'complete']);
    expect(r.decoded.find((d) => d.fields.operationName === 'Hello')!.fields.operation).toBe('query');
    expect(run('graphql-ws', { withConn: false }).decoder.id).toBe('graphql');
  });

  it('MQTT: packets split over several messages are joined; topic, QoS, ids; acks paired', () => {
    const r = run('mqtt');
    expect(r.decoder.id).toBe('mqtt');
    noErrors(r.decoded);
    const types = r.decoded.map((d) => d.fields.type).filter((t) => t !== 'partial');
    expect(types).toEqual(['connect', 'connack', 'subscribe', 'suback', 'publish', 'publish', 'puback', 'publish', 'publish', 'puback', 'unsubscribe', 'unsuback', 'disconnect']);
    const pub = r.decoded.find((d) => d.fields.topic === 'sensors/raw' && d.fields.qos === 1)!;
    expect(pub.summary).toMatch(/^MQTT PUBLISH sensors\/raw QoS1 #\d+ \(4 B\)/);
    expect(pub.tree).toMatchObject({ payload: { $bytes: '3q2+7w==' } });
    expect(r.decoded.find((d) => d.fields.type === 'connect')!.fields).toMatchObject({ clientId: 'fixture-client', protocolVersion: 4 });
    const paired = r.pairs.pairs.map((p) => `${r.decoded[p.request]!.fields.type}->${r.decoded[p.responses[0]!]!.fields.type}`);
    expect(paired).toEqual(['connect->connack', 'subscribe->suback', 'publish->puback', 'publish->puback', 'unsubscribe->unsuback']);
  });

  it('STOMP: command, headers, body; receipts paired', () => {
    const r = run('stomp');
    expect(r.decoder.id).toBe('stomp');
    noErrors(r.decoded);
    expect(r.summaries).toEqual([
      'STOMP CONNECT', 'STOMP CONNECTED', 'STOMP SUBSCRIBE /topic/chat', 'STOMP SEND /topic/chat (13 B)',
      'STOMP MESSAGE /topic/chat (13 B)', 'STOMP RECEIPT rcpt-1', 'STOMP DISCONNECT', 'STOMP RECEIPT close-0',
    ]);
    expect(r.decoded[4]!.tree).toMatchObject({ command: 'MESSAGE', headers: { subscription: 'sub-0' }, body: { text: 'hi' } });
    expect(r.pairs.pairs.map((p) => [p.request, p.responses])).toEqual([[0, [1]], [3, [5]], [6, [7]]]);
    expect(run('stomp', { withConn: false }).decoder.id).toBe('stomp');
  });

  it('SockJS: open, messages (STOMP and JSON inside decoded too), close', () => {
    const r = run('sockjs');
    expect(r.decoder.id).toBe('sockjs');
    noErrors(r.decoded);
    expect(r.summaries[0]).toBe('SockJS open');
    expect(r.summaries).toContain('SockJS message: STOMP SEND /app/chat (2 B)');
    expect(r.summaries).toContain('SockJS message: JSON type="chat" {type, text}');
    expect(r.summaries.at(-1)).toBe('SockJS close 3000 "Go away!"');
    expect(run('sockjs', { withConn: false }).decoder.id).toBe('sockjs');
  });

  for (const kind of ['json', 'messagepack']) {
    it(`SignalR ${kind}: handshake, invocations, stream items, completion paired by invocation id`, () => {
      const r = run(`signalr-${kind}`);
      expect(r.decoder.id).toBe('signalr');
      noErrors(r.decoded);
      expect(r.summaries).toEqual([
        `SignalR handshake ${kind} v1`, 'SignalR handshake ok', 'SignalR Ping', 'SignalR Invocation "SendMessage" #0',
        'SignalR Invocation "ReceiveMessage"', 'SignalR Completion #0 → "delivered"', 'SignalR Invocation "Typing"',
        'SignalR StreamInvocation "Counter" #1', 'SignalR StreamItem #1 0', 'SignalR StreamItem #1 1', 'SignalR Completion #1', 'SignalR Close',
      ]);
      expect(r.pairs.pairs.map((p) => [p.request, p.responses])).toEqual([[0, [1]], [3, [5]], [7, [8, 9, 10]]]);
      expect(r.decoded[3]!.tree).toMatchObject({ target: 'SendMessage', arguments: ['ada', 'hello'] });
    });
  }

  it('Phoenix v2: topic, event, refs; pushes paired with their phx_reply', () => {
    const r = run('phoenix');
    expect(r.decoder.id).toBe('phoenix');
    noErrors(r.decoded);
    expect(r.summaries.slice(0, 2)).toEqual(['Phoenix room:lobby phx_join #3', 'Phoenix room:lobby phx_reply ok #3']);
    expect(r.decoded[4]!.fields).toMatchObject({ topic: 'room:lobby', event: 'shout' });
    expect(r.pairs.pairs.map((p) => [p.request, p.responses])).toEqual([[0, [1]], [2, [3]], [5, [6]]]);
    expect(run('phoenix', { withConn: false }).decoder.id).toBe('phoenix');
  });

  it('a manual override decodes with the chosen decoder', () => {
    const fx = loadFixture('graphql-ws');
    const r = decodeFrames(registry, {}, fx.decodeFrames, 'json');
    expect(r).toMatchObject({ overridden: true, confidence: 1 });
    expect(r.decoder.id).toBe('json');
    expect(r.decoded[0]!.summary).toBe('JSON type="connection_init" {type}');
  });
});
