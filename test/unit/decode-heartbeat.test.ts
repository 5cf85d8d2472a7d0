/**
 * "Is this frame a protocol keep-alive?" (isHeartbeat / Decoded.heartbeat), for interception to let
 * keep-alives through. Keep-alives made by each protocol's own npm encoder where there is one
 * (engine.io-parser, mqtt-packet, phoenix's Serializer, graphql-ws, @microsoft/signalr), recorded
 * from the real libraries (NATS, Pusher), or as the protocol's spec writes them (STOMP's EOL,
 * SockJS' `h`, Action Cable's ping, tRPC's PING/PONG); and no other frame of any recorded fixture.
 */
import { JsonHubProtocol, MessageType as SignalRType } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { encodePacket } from 'engine.io-parser';
import { MessageType, stringifyMessage } from 'graphql-ws';
import { generate as mqttGenerate } from 'mqtt-packet';
import * as phoenix from 'phoenix';
import { describe, expect, it } from 'vitest';
import { DecoderRegistry, isHeartbeat, type DecodeFrame } from '../../src/decode';
import { loadFixture } from './decode-helpers';

const registry = new DecoderRegistry();
const { Serializer } = phoenix as unknown as { Serializer: { encode(msg: unknown, cb: (encoded: unknown) => void): void } };
const text = (dir: 'in' | 'out', t: string): DecodeFrame => ({ dir, kind: 'text', text: t });
const bin = (dir: 'in' | 'out', b: Uint8Array | ArrayBuffer): DecodeFrame => ({ dir, kind: 'binary', bytes: new Uint8Array(b) });
const eio = (type: 'ping' | 'pong') => { let s = ''; encodePacket({ type }, false, (e) => { s = String(e); }); return s; };
const phx = (msg: unknown) => { let s = ''; Serializer.encode(msg, (e) => { s = String(e); }); return s; };
const signalrPing = () => {
  const msgpack = new MessagePackHubProtocol().writeMessage({ type: SignalRType.Ping });
  return [text('in', new JsonHubProtocol().writeMessage({ type: SignalRType.Ping }) as string), bin('in', msgpack)];
};
const fromFixture = (name: string, match: RegExp) => loadFixture(name).decodeFrames.filter((f) => match.test(f.text ?? Buffer.from(f.bytes ?? []).toString('latin1')));

/** decoder id → its keep-alives */
const KEEPALIVES: Record<string, DecodeFrame[]> = {
  socketio: [text('out', eio('ping')), text('in', eio('pong')), text('in', eio('ping')), text('out', eio('pong'))],
  stomp: [text('in', '\n'), text('out', '\r\n')],
  mqtt: [bin('out', mqttGenerate({ cmd: 'pingreq' })), bin('in', mqttGenerate({ cmd: 'pingresp' })), bin('out', Buffer.concat([mqttGenerate({ cmd: 'pingreq' }), mqttGenerate({ cmd: 'pingreq' })]))],
  phoenix: [
    text('out', phx({ join_ref: null, ref: '7', topic: 'phoenix', event: 'heartbeat', payload: {} })),
    text('in', phx({ join_ref: null, ref: '7', topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} } })),
  ],
  graphql: [text('out', stringifyMessage({ type: MessageType.Ping })), text('in', stringifyMessage({ type: MessageType.Pong })), text('in', '{"type":"ka"}')],
  signalr: signalrPing(),
  sockjs: [text('in', 'h')],
  actioncable: [text('in', '{"type":"ping","message":1764748800}')],
  nats: fromFixture('nats', /^P[IO]NG\r\n$/),
  pusher: fromFixture('pusher', /pusher:p[io]ng/),
  jsonrpc: [text('out', 'PING'), text('in', 'PONG')],
};

/** the keep-alives the recorded sessions happen to hold (SignalR's Ping: {"type":6}, MessagePack [6]) */
const PINGS_IN_FIXTURES: Record<string, RegExp> = {
  // eslint-disable-next-line no-control-regex -- SignalR's record separator and MessagePack bytes are the protocol's own
  nats: /^P[IO]NG\r\n$/, pusher: /pusher:p[io]ng/, 'signalr-json': /^\{"type":6\}\x1e$/, 'signalr-messagepack': /^\x02\x91\x06$/,
};

describe('isHeartbeat: protocol keep-alives, per decoder', () => {
  for (const [id, frames] of Object.entries(KEEPALIVES)) {
    it(`${id}: its keep-alives are heartbeats`, () => {
      expect(frames.length).toBeGreaterThan(0);
      const decoder = registry.get(id)!;
      expect(frames.map((f) => isHeartbeat(decoder, f))).toEqual(frames.map(() => true));
    });
  }

  it('in the recorded fixtures, exactly their keep-alives are (JSON-RPC, Yjs, zlib-stream have none)', () => {
    const fixtures = ['socketio', 'socketio-msgpack', 'graphql-ws', 'mqtt', 'stomp', 'sockjs', 'signalr-json', 'signalr-messagepack', 'phoenix', 'yjs', 'hocuspocus', 'trpc', 'nats', 'pusher', 'zlib-stream'];
    for (const name of fixtures) {
      const fx = loadFixture(name);
      const decoder = registry.detect({ url: fx.url, protocol: fx.protocol, frames: fx.decodeFrames.slice(0, 16) }).decoder;
      const beats = fx.decodeFrames.filter((f) => isHeartbeat(decoder, f)).map((f) => f.text ?? Buffer.from(f.bytes ?? []).toString('latin1'));
      const ping = PINGS_IN_FIXTURES[name];
      expect(beats, name).toEqual(ping ? fx.decodeFrames.map((f) => f.text ?? Buffer.from(f.bytes ?? []).toString('latin1')).filter((t) => ping.test(t)) : []);
    }
  });

  it('a message mixing a keep-alive with other packets is not one; hostile input is not one and does not throw', () => {
    const mixed = bin('out', Buffer.concat([mqttGenerate({ cmd: 'pingreq' }), mqttGenerate({ cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as never)]));
    expect(isHeartbeat(registry.get('mqtt')!, mixed)).toBe(false);
    for (const d of registry.list()) expect(isHeartbeat(d, bin('in', new Uint8Array([0xff, 0, 0x7b])))).toBe(false);
  });
});
