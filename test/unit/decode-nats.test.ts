/**
 * NATS: the real client (@nats-io/nats-core's wsconnect) against Debian's nats-server with its
 * WebSocket listener, recorded live through the recording proxy (and as the committed fixture
 * nats.json, which the fuzz tests use). .ci/run installs nats-server; without the binary the live
 * test is skipped and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecoderRegistry, decodeFrames, isHeartbeat, pairFrames, type DecodeFrame } from '../../src/decode';
import { nats } from '../fixtures/frames/record-production';
import { startRecorder } from '../fixtures/frames/recorder';
import { natsServerInstalled, startNatsServer } from '../fixtures/nats-server';
import { loadFixture } from './decode-helpers';

const registry = new DecoderRegistry();
const installed = natsServerInstalled();
if (!installed) console.warn('decode-nats: nats-server is not installed (apt-get install nats-server): the live NATS recording is skipped');

/** What every recording of the scenario must decode to. */
function checkNats(frames: DecodeFrame[], info: { url?: string }) {
  const r = decodeFrames(registry, info, frames);
  expect(r.decoder.id).toBe('nats');
  expect(r.decoded.filter((d) => d.error).map((d) => d.summary)).toEqual([]);
  expect(r.decoded[0]!.summary).toMatch(/^NATS INFO v\d+\.\d+\.\d+ /);
  expect(r.decoded[1]!.summary).toMatch(/^NATS CONNECT v\d+\.\d+\.\d+ "fixture-client"$/);
  const all = r.decoded.flatMap((d) => [d.fields.op ?? []].flat());
  expect(new Set(all)).toEqual(new Set(['INFO', 'CONNECT', 'PING', 'PONG', 'SUB', 'PUB', 'HPUB', 'MSG', 'HMSG', 'UNSUB']));
  // subjects and reply-to of every operation, whichever message carried it
  const subjects = r.decoded.flatMap((d) => [d.fields.subject ?? []].flat());
  expect(subjects).toEqual(expect.arrayContaining(['orders.>', 'time.now', 'orders.new', 'orders.audit', 'orders.done']));
  const request = r.decoded.findIndex((d) => [d.fields.op].flat().includes('PUB') && String(d.fields.replyTo ?? '').startsWith('_INBOX.'));
  expect(request).toBeGreaterThanOrEqual(0);
  // the request (a PUB with a reply-to) pairs with the MSG delivered on that reply subject
  const pairs = pairFrames(r.decoded.map((decoded, i) => ({ t: i, decoded })));
  const reply = pairs.byIndex.get(request)?.responses[0];
  expect(r.decoded[reply!]!.summary).toMatch(/^NATS MSG _INBOX\.\S+ \(5 B\)$/);
  expect(r.decoded[reply!]!.tree).toMatchObject({ op: 'MSG', payload: '12:00' });
  // keep-alives
  const hb = r.decoded.map((d, i) => (d.heartbeat ? r.decoded[i]!.summary : null)).filter(Boolean);
  expect(hb.length).toBeGreaterThanOrEqual(2);
  expect(hb.every((s) => /^NATS P[IO]NG$/.test(s!))).toBe(true);
  expect(frames.filter((f) => isHeartbeat(registry.get('nats')!, f)).length).toBe(hb.length);
  // headers of HPUB/HMSG
  expect(r.decoded.find((d) => [d.fields.op].flat().includes('HMSG'))!.tree).toEqual(expect.arrayContaining([
    expect.objectContaining({ op: 'HMSG', subject: 'orders.audit', headers: ['NATS/1.0', 'Trace-Id: abc123'], payload: 'with headers' }),
  ]));
}

describe('NATS (nats-core ⇄ nats-server)', () => {
  it('the recorded fixture: INFO/CONNECT/PING/PONG/SUB/PUB/HPUB/MSG/HMSG/UNSUB, subjects, reply-to, pairing', () => {
    const fx = loadFixture('nats');
    checkNats(fx.decodeFrames, { url: fx.url });
    checkNats(fx.decodeFrames, {});
  });

  describe.skipIf(!installed)('live, against nats-server (skipped only when nats-server is not installed)', () => {
    let server: Awaited<ReturnType<typeof startNatsServer>>;
    beforeAll(async () => { server = await startNatsServer(); });
    afterAll(async () => { await server?.close(); });

    it('records and decodes a fresh session the same way', async () => {
      const rec = await startRecorder({ nats: server!.ws });
      try {
        await nats(rec.origin);
        const s = rec.sessions[0]!;
        const frames = s.frames.map((f): DecodeFrame => (f.kind === 'text'
          ? { dir: f.dir, kind: 'text', text: f.text ?? '' }
          : { dir: f.dir, kind: 'binary', bytes: new Uint8Array(Buffer.from(f.base64 ?? '', 'base64')) }));
        checkNats(frames, { url: s.url });
      } finally {
        rec.close();
      }
    });
  });
});
