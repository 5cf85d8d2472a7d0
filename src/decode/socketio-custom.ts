/**
 * socket.io with another parser than the default one. socket.io-msgpack-parser (the common one)
 * encodes each packet whole as a MessagePack map `{ type, nsp, data, id? }` (with notepack.io) in one
 * binary engine.io message, so its packets read exactly like the default parser's. Any other custom
 * parser's message falls back to the MessagePack, CBOR or JSON view of it.
 */
import { decode as cborDecode } from 'cbor-x/decode-no-eval';
import { decode as msgpackDecode, ExtensionCodec } from '@msgpack/msgpack';
import type { Decoded } from './types';
import { isObject, jsonable, parseJson, short, sizeLabel, textOf } from './util';

/** A socket.io packet, whatever parser carried it. */
export interface Packet {
  type: number; nsp: string; id?: number; attachments: number; data?: unknown; error?: string;
}

/**
 * notepack.io's extension type 0: `undefined` (1 byte), a Date (8: float64 ms), else an ArrayBuffer.
 * socket.io-msgpack-parser writes `data: undefined` of CONNECT packets that way.
 */
const notepack = new ExtensionCodec();
notepack.register({
  type: 0,
  encode: () => null,
  decode: (b) => (b.length === 1 ? undefined : b.length === 8 ? new Date(new DataView(b.buffer, b.byteOffset, 8).getFloat64(0)) : b.slice()),
});

/** A socket.io-msgpack-parser packet, or undefined when the bytes are not one. */
export function msgpackPacket(bytes: Uint8Array): Packet | undefined {
  let v: unknown;
  try { v = msgpackDecode(bytes, { extensionCodec: notepack }); } catch { return undefined; }
  if (!isObject(v) || !Number.isInteger(v.type) || (v.type as number) < 0 || (v.type as number) > 6 || typeof v.nsp !== 'string') return undefined;
  const id = typeof v.id === 'number' && Number.isInteger(v.id) ? v.id : undefined;
  return { type: v.type as number, nsp: v.nsp, id, attachments: 0, data: v.data };
}

/** The first of MessagePack, CBOR or JSON text that reads the whole message as one value. */
function anyView(bytes: Uint8Array): { format: string; value: unknown } | undefined {
  try { return { format: 'MessagePack', value: msgpackDecode(bytes, { extensionCodec: notepack }) }; } catch { /* next */ }
  try { return { format: 'CBOR', value: cborDecode(bytes) as unknown }; } catch { /* next */ }
  const text = textOf({ dir: 'in', kind: 'binary', bytes });
  const json = text === undefined ? undefined : parseJson(text);
  return json ? { format: 'JSON', value: json.value } : undefined;
}

/** A binary engine.io message no parser we know made: its MessagePack/CBOR/JSON view, else its size. */
export function customBinaryMessage(bytes: Uint8Array): Decoded {
  const view = bytes.length ? anyView(bytes) : undefined;
  const fields: Decoded['fields'] = { eio: 'message', size: bytes.length };
  if (!view) return { summary: `engine.io binary message (${sizeLabel(bytes.length)})`, fields, tree: jsonable(bytes) };
  return { summary: `engine.io binary message, ${view.format} ${short(view.value, 60)}`, fields: { ...fields, format: view.format }, tree: jsonable(view.value) };
}

/** A text engine.io message that is not a default-parser packet: its JSON view when it has one. */
export function customTextMessage(body: string, error?: string): Decoded {
  const json = parseJson(body);
  if (json) return { summary: `engine.io MESSAGE, JSON ${short(json.value, 60)}`, fields: { eio: 'message', format: 'JSON' }, tree: jsonable(json.value) };
  return { summary: `engine.io MESSAGE ${short(body, 60)}`, fields: { eio: 'message' }, tree: body, error };
}
