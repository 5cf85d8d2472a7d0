/**
 * A message as interception sees it, read once and only as far as needed:
 * its text (a binary message's hex), its JSON, and its fields — the JSON's,
 * or a socket.io event packet's (`42/chat,7["message",{…}]`: type, nsp,
 * ackId, event, data). Blobs cannot be read synchronously: they have no text.
 */
import type { Natives } from '../natives';
import { parseJson } from './json';

export type Payload = string | ArrayBuffer | ArrayBufferView | Blob;

export interface MessageView {
  /** the text, or the hex of the first HEX_BYTES bytes (`0a 1f …`); undefined for a Blob */
  text(): string | undefined;
  /** the JSON (or the socket.io packet's fields), or undefined */
  json(): unknown;
  /** a socket.io EVENT/ACK packet's ack id, if any */
  ackId(): number | undefined;
}

const HEX = '0123456789abcdef';
/**
 * Bytes of a binary message that conditions and rules see as hex: its head, like the panel's preview.
 * Without a cap, a rule on a socket of 256 KiB messages built 768 KiB of text per message (the bench's
 * binary flood went from 1.7× to 17× with one rule on).
 */
export const HEX_BYTES = 16 * 1024;

let pairsTable: string[] | undefined;
/** 'ab' for each byte value, then ' ab' (made once, in a list the page's prototypes cannot reach). */
function hexPairs(n: Natives): string[] {
  if (pairsTable) return pairsTable;
  const t = n.list<string>();
  for (let b = 0; b < 256; b++) t[b] = HEX[b >> 4]! + HEX[b & 15]!;
  for (let b = 0; b < 256; b++) t[256 + b] = ' ' + t[b]!;
  pairsTable = t;
  return t;
}

/** ASCII codes of '0'…'9', 'a'…'f'. */
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102] as const;
/** where the hex is written as bytes, reused (3 per byte: space, digit, digit) */
let hexBytes: Uint8Array | undefined;

/**
 * The first `end` bytes as hex pairs (`0a 1f …`): written as ASCII bytes and decoded as one flat string.
 * Concatenating a pair per byte made a string of 16,384 pieces that every test then flattened: 330 µs
 * for a 64 KiB message, and the condition's `toLowerCase` another 520 µs (profiled, one rule on).
 */
function hexOf(n: Natives, b: Uint8Array, end: number): string {
  if (end === 0) return '';
  if (!n.latin1) {
    const pairs = hexPairs(n);
    let s = pairs[b[0]!]!;
    for (let i = 1; i < end; i++) s += pairs[256 + b[i]!]!;
    return s;
  }
  const out = hexBytes ??= new n.Uint8Array(HEX_BYTES * 3);
  for (let i = 0, k = 0; i < end; i++, k += 3) {
    const v = b[i]!;
    out[k] = 32;
    out[k + 1] = HEX_CODES[v >> 4]!;
    out[k + 2] = HEX_CODES[v & 15]!;
  }
  // from the first digit: no space before the first pair
  return n.latin1(n.typedPart(out, 1, end * 3));
}

export function viewOf(n: Natives, payload: Payload, bytes: (p: Payload) => Uint8Array | undefined): MessageView {
  let text: string | undefined | null = null;
  let json: unknown = null;
  let packet: { fields: Record<string, unknown>; ackId: number | undefined } | undefined | null = null;
  const packetOf = () => {
    if (packet === null) packet = typeof payload === 'string' ? socketIoPacket(n, payload) : undefined;
    return packet;
  };
  return {
    text() {
      if (text === null) {
        if (typeof payload === 'string') text = payload;
        else {
          const b = bytes(payload);
          if (!b) text = undefined;
          else text = hexOf(n, b, b.length < HEX_BYTES ? b.length : HEX_BYTES);
        }
      }
      return text;
    },
    json() {
      if (json === null) {
        const p = packetOf();
        json = p ? p.fields : typeof payload === 'string' ? parseJson(n, payload) : undefined;
      }
      return json;
    },
    ackId: () => packetOf()?.ackId,
  };
}

/** A socket.io EVENT (2) or ACK (3) packet inside an engine.io message (4): its fields, or undefined. */
export function socketIoPacket(n: Natives, s: string): { fields: Record<string, unknown>; ackId: number | undefined } | undefined {
  if (s.length < 3 || n.strCharCodeAt(s, 0) !== 0x34) return undefined; // '4'
  const type = n.strCharCodeAt(s, 1);
  if (type !== 0x32 && type !== 0x33) return undefined; // '2' EVENT, '3' ACK
  let i = 2;
  let nsp = '/';
  if (n.strCharCodeAt(s, i) === 0x2f) { // '/'
    const comma = n.strIndexOf(s, ',', i);
    if (comma < 0) return undefined;
    nsp = n.strSlice(s, i, comma);
    i = comma + 1;
  }
  let ackId: number | undefined;
  const digits = i;
  while (i < s.length && n.strCharCodeAt(s, i) >= 0x30 && n.strCharCodeAt(s, i) <= 0x39) i++;
  if (i > digits) ackId = +n.strSlice(s, digits, i);
  const args = parseJson(n, n.strSlice(s, i, s.length));
  if (!n.isArray(args)) return undefined;
  const list = args as unknown[];
  const fields = n.dict<unknown>();
  fields.type = type === 0x32 ? 'event' : 'ack';
  fields.nsp = nsp;
  if (ackId !== undefined) fields.ackId = ackId;
  if (type === 0x32 && typeof list[0] === 'string') {
    fields.event = list[0];
    fields.data = list.length > 1 ? list[1] : undefined;
  } else {
    fields.data = list.length > 0 ? list[0] : undefined;
  }
  fields.args = list;
  return { fields, ackId };
}
