/**
 * Property-style: no decoder throws, whatever it is fed (random bytes and strings, recorded real
 * frames cut short or with bytes changed), and every result is well-formed and JSON-able.
 * Seeded, so a failure reproduces; the seed and input are in the message.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_DECODERS, protobufSchemaDecoder, type DecodeFrame, type DecodeState, type Decoded, type Decoder } from '../../src/decode';
import { loadFixture } from './decode-helpers';
import { prng } from './fuzz-helpers';

const FIXTURES = [
  'socketio', 'graphql-ws', 'mqtt', 'stomp', 'sockjs', 'signalr-json', 'signalr-messagepack', 'phoenix',
  'socketio-msgpack', 'yjs', 'hocuspocus', 'trpc', 'nats', 'pusher', 'zlib-stream',
];
const recorded: DecodeFrame[] = FIXTURES.flatMap((n) => loadFixture(n).decodeFrames);
const enc = new TextEncoder();

const schema = protobufSchemaDecoder('syntax="proto3"; message M { string a = 1; repeated sint64 b = 2; map<int32,M> c = 3; M d = 4; bytes e = 5; }', 'M');
const decoders: Decoder[] = [...BUILTIN_DECODERS, ...(schema.ok ? [schema.decoder] : [])];

function wellFormed(d: Decoded): boolean {
  if (typeof d.summary !== 'string' || typeof d.fields !== 'object' || d.fields === null) return false;
  const scalar = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v));
  if (!Object.values(d.fields).every((v) => scalar(v) || (Array.isArray(v) && v.every(scalar)))) return false;
  if (d.heartbeat !== undefined && typeof d.heartbeat !== 'boolean') return false;
  if (d.pairing && (typeof d.pairing.key !== 'string' || !['request', 'response'].includes(d.pairing.role))) return false;
  JSON.stringify(d.tree); // must not throw (no bigint, no cycles)
  return true;
}

function input(r: ReturnType<typeof prng>): DecodeFrame {
  const dir = r.pick(['in', 'out'] as const);
  switch (r.int(4)) {
    case 0: return { dir, kind: 'binary', bytes: r.bytes(r.pick([4, 64, 600])) };
    case 1: return { dir, kind: 'text', text: r.text(r.pick([4, 64, 400])) };
    default: {
      const base = r.pick(recorded);
      const bytes = r.mutate(base.bytes ?? enc.encode(base.text ?? ''));
      return base.kind === 'binary' ? { dir: base.dir, kind: 'binary', bytes } : { dir: base.dir, kind: 'text', text: new TextDecoder().decode(bytes) };
    }
  }
}

describe('decoders never throw (fuzz)', () => {
  for (const decoder of decoders) {
    it(`${decoder.id}: 1,500 random and mutated frames, stateful and stateless`, () => {
      const seed = 0xdec0de ^ decoder.id.length * 7919;
      const r = prng(seed);
      // raw decode() with a state map (DecodingSession would catch what we want to see thrown)
      const state: DecodeState = new Map();
      decoder.init?.({ url: r.pick(['wss://x/socket.io/?EIO=3', 'wss://x/socket.io/?EIO=4', 'wss://gateway/?compress=zlib-stream']), protocol: r.pick(['', 'mqtt', 'wamp.2.cbor']) }, state);
      for (let i = 0; i < 1500; i++) {
        const f = input(r);
        const where = `seed ${seed}, input ${i}: ${JSON.stringify(f.text ?? Array.from(f.bytes ?? []))}`;
        let a: Decoded, b: Decoded;
        try {
          a = decoder.decode(f); // stateless
          b = decoder.decode(f, state); // stateful
          decoder.detect({ frames: [f], url: 'ws://x/', protocol: '' });
        } catch (e) {
          throw new Error(`${decoder.id} threw on ${where}: ${String(e)}`, { cause: e });
        }
        expect(wellFormed(a) && wellFormed(b), where).toBe(true);
      }
    });
  }
});
