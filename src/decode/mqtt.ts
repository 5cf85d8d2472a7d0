/**
 * MQTT 3.1 / 3.1.1 / 5 over WebSocket, parsed with mqtt-packet. A WebSocket
 * message may hold several MQTT packets or only part of one (mqtt.js in Node and
 * aedes write each piece of a packet as its own message), so each direction keeps
 * a streaming parser in the per-connection state; the message that completes a
 * packet shows it. The protocol version comes from CONNECT (v5 has properties).
 */
import { Buffer } from 'buffer';
import { parser as mqttParser, type Packet, type Parser } from 'mqtt-packet';
import type { DecodeFrame, DecodeState, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, combinePackets, jsonable, opposite, sizeLabel, textOf } from './util';

interface Side { parser: Parser; packets: Packet[]; errors: string[]; pieces: number }
interface MqttState { in?: Side; out?: Side; version: number }

function side(st: MqttState, dir: 'in' | 'out'): Side {
  const existing = st[dir];
  if (existing) return existing;
  const s: Side = { parser: mqttParser({ protocolVersion: st.version }), packets: [], errors: [], pieces: 0 };
  s.parser.on('packet', (p: Packet) => s.packets.push(p));
  s.parser.on('error', (e: unknown) => s.errors.push(e instanceof Error ? e.message : String(e)));
  st[dir] = s;
  return s;
}

function describe(p: Packet, dir: 'in' | 'out'): Decoded {
  const type = p.cmd.toUpperCase();
  const fields: Decoded['fields'] = { type: p.cmd };
  let summary = `MQTT ${type}`;
  let pairing: Decoded['pairing'];
  const id = p.messageId;
  if (id !== undefined) fields.messageId = id;
  const req = (what: string) => { pairing = { key: `mqtt:${dir}:${what}:${id}`, role: 'request' }; };
  const res = (what: string) => { pairing = { key: `mqtt:${opposite(dir)}:${what}:${id}`, role: 'response' }; };
  const tree: Record<string, unknown> = { ...p };
  delete tree.length;
  switch (p.cmd) {
    case 'connect':
      Object.assign(fields, { clientId: p.clientId, protocolVersion: p.protocolVersion ?? 4 });
      summary += ` ${JSON.stringify(p.clientId)} v${p.protocolVersion ?? 4}${p.keepalive !== undefined ? ` keepalive ${p.keepalive}s` : ''}`;
      pairing = { key: 'mqtt:connect', role: 'request' };
      break;
    case 'connack': {
      const rc = p.reasonCode ?? p.returnCode ?? 0;
      fields.returnCode = rc;
      summary += ` ${rc === 0 ? 'accepted' : `refused (${rc})`}${p.sessionPresent ? ' session present' : ''}`;
      pairing = { key: 'mqtt:connect', role: 'response' };
      break;
    }
    case 'publish': {
      const payload = typeof p.payload === 'string' ? Buffer.from(p.payload) : p.payload;
      Object.assign(fields, { topic: p.topic, qos: p.qos, retain: String(p.retain), size: payload.length });
      summary += ` ${p.topic} QoS${p.qos}${id !== undefined ? ` #${id}` : ''}${p.retain ? ' retain' : ''}${p.dup ? ' dup' : ''} (${sizeLabel(payload.length)})`;
      const text = textOf({ dir, kind: 'binary', bytes: payload });
      if (text !== undefined) tree.payloadText = text;
      if (p.qos > 0) req('pub');
      break;
    }
    case 'puback': case 'pubrec': res('pub'); summary += ` #${id}`; break;
    case 'pubrel': req('rel'); summary += ` #${id}`; break;
    case 'pubcomp': res('rel'); summary += ` #${id}`; break;
    case 'subscribe': {
      const topics = p.subscriptions.map((s) => s.topic);
      Object.assign(fields, { topic: topics[0] ?? '', topics: topics.join(' '), qos: p.subscriptions[0]?.qos ?? 0 });
      summary += ` ${p.subscriptions.map((s) => `${s.topic} (QoS${s.qos})`).join(', ')} #${id}`;
      req('sub');
      break;
    }
    case 'suback': summary += ` #${id} granted ${p.granted.join(',')}`; res('sub'); break;
    case 'unsubscribe':
      Object.assign(fields, { topic: p.unsubscriptions[0] ?? '', topics: p.unsubscriptions.join(' ') });
      summary += ` ${p.unsubscriptions.join(', ')} #${id}`;
      req('unsub');
      break;
    case 'unsuback': summary += ` #${id}`; res('unsub'); break;
    case 'pingreq': pairing = { key: 'mqtt:ping', role: 'request' }; break;
    case 'pingresp': pairing = { key: 'mqtt:ping', role: 'response' }; break;
    default: break;
  }
  const heartbeat = p.cmd === 'pingreq' || p.cmd === 'pingresp';
  return { summary, fields, tree: jsonable(tree), pairing, ...(heartbeat ? { heartbeat } : {}) };
}

export const mqttDecoder: Decoder = {
  id: 'mqtt',
  label: 'MQTT',
  stateful: true,
  detect(ctx: DetectContext): number {
    if (ctx.protocol && /^mqtt(v3\.1)?$/i.test(ctx.protocol)) return 1;
    const first = ctx.frames.find((f) => f.dir === 'out');
    return first?.kind === 'binary' && first.bytes?.[0] === 0x10 ? 0.7 : 0;
  },
  decode(f: DecodeFrame, state?: DecodeState): Decoded {
    const st = (state?.get('mqtt') as MqttState | undefined) ?? { version: 4 };
    state?.set('mqtt', st);
    const s = side(st, f.dir);
    const bytes = bytesOf(f);
    s.pieces++;
    try {
      s.parser.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      s.errors.push(e instanceof Error ? e.message : String(e));
    }
    const packets = s.packets.splice(0);
    const errors = s.errors.splice(0);
    const pieces = s.pieces;
    if (errors.length) st[f.dir] = undefined; // start over: the stream is out of step
    if (packets.length === 0) {
      if (errors.length) return { summary: `MQTT: ${errors[0]}`, fields: {}, error: errors[0] };
      return { summary: `MQTT part of a packet (${sizeLabel(bytes.length)}, continues in the next message)`, fields: { type: 'partial' } };
    }
    s.pieces = 0;
    for (const p of packets) {
      // v5 packets carry properties: both directions' parsers must know the version
      if (p.cmd === 'connect' && p.protocolVersion && p.protocolVersion !== st.version) {
        st.version = p.protocolVersion;
        for (const x of [st.in, st.out]) if (x) (x.parser as unknown as { settings: { protocolVersion: number } }).settings.protocolVersion = st.version;
      }
    }
    // several packets in one message: every one in the summary and the fields
    const out = { ...combinePackets('MQTT', packets.map((p) => describe(p, f.dir))) };
    if (pieces > 1) out.summary += ` (joined from ${pieces} messages)`;
    if (errors.length) out.error = errors[0];
    return out;
  },
};
