/**
 * Yjs over WebSocket (y-protocols, as y-websocket sends it) and Hocuspocus (the same messages, each
 * behind the document's name). Binary messages of lib0 varints:
 *   y-websocket:  <type> <payload>           type 0 sync, 1 awareness, 2 auth, 3 query awareness
 *   Hocuspocus:   <varString document> <type> <payload>
 *                 type 0 sync, 1 awareness, 2 auth (0 token, 1 permission denied, 2 authenticated),
 *                 3 query awareness, 4 sync reply, 5 stateless, 6 broadcast stateless, 7 close, 8 sync status
 *   sync:         <0 step 1: state vector | 1 step 2: update | 2 update>
 *   awareness:    varUint8Array of [count, (clientID, clock, JSON state)…]
 * Updates are described by yjs' own `parseUpdateMeta` (the client ids and clock ranges they carry).
 * A message must be read to its last byte to count as one: that is what detection relies on.
 */
import * as dec from 'lib0/decoding';
import { parseUpdateMeta } from 'yjs';
import type { DecodeFrame, Decoded, Decoder, DetectContext } from './types';
import { bytesOf, errorText, failed, jsonable, opposite, parseJson, short, sizeLabel } from './util';

const SYNC = ['sync step 1', 'sync step 2', 'update'] as const;
const HOCUSPOCUS_TYPES = ['sync', 'awareness', 'auth', 'query awareness', 'sync reply', 'stateless', 'broadcast stateless', 'close', 'sync status'];
const HOCUSPOCUS_AUTH = ['token', 'permission denied', 'authenticated'];

const listOrOne = (xs: number[]): number | number[] => (xs.length === 1 ? xs[0]! : xs);

interface Message { summary: string; fields: Decoded['fields']; tree: Record<string, unknown>; pairing?: Decoded['pairing'] }

/** Client ids and clock ranges of an update (v1), by yjs itself; undefined when it is not one. */
function updateMeta(update: Uint8Array): { clients: number[]; ranges: string[] } | undefined {
  try {
    const { from, to } = parseUpdateMeta(update);
    const clients = [...to.keys()];
    return { clients, ranges: clients.map((c) => `${c}: ${from.get(c) ?? 0}–${to.get(c) ?? 0}`) };
  } catch { return undefined; }
}

function readSync(d: dec.Decoder, dir: 'in' | 'out', scope: string, meta: boolean): Message {
  const sub = dec.readVarUint(d);
  const what = SYNC[sub];
  if (!what) throw new Error(`unknown sync message ${sub}`);
  const payload = dec.readVarUint8Array(d);
  const fields: Decoded['fields'] = { type: what, size: payload.length };
  const tree: Record<string, unknown> = { type: what, size: payload.length };
  let summary = `${what} (${sizeLabel(payload.length)})`;
  if (sub === 0) {
    const sv = dec.createDecoder(payload);
    const clocks: Record<string, number> = {};
    for (let n = dec.readVarUint(sv); n > 0; n--) clocks[String(dec.readVarUint(sv))] = dec.readVarUint(sv);
    tree.stateVector = clocks;
    const clients = Object.keys(clocks).map(Number);
    if (clients.length) fields.clientId = listOrOne(clients);
    summary = `${what}, state of ${clients.length} client${clients.length === 1 ? '' : 's'}`;
  } else {
    const m = meta ? updateMeta(payload) : undefined;
    if (m?.clients.length) {
      fields.clientId = listOrOne(m.clients);
      tree.clocks = m.ranges;
      summary += `, client ${m.ranges.slice(0, 3).join(', ')}${m.ranges.length > 3 ? ` +${m.ranges.length - 3}` : ''}`;
    }
    tree.update = jsonable(payload);
  }
  // each side asks with step 1 and is answered with step 2
  const pairing = sub === 0 ? { key: `yjs:${scope}:${dir}`, role: 'request' as const }
    : sub === 1 ? { key: `yjs:${scope}:${opposite(dir)}`, role: 'response' as const } : undefined;
  return { summary, fields, tree, pairing };
}

function readAwareness(d: dec.Decoder): Message {
  const a = dec.createDecoder(dec.readVarUint8Array(d));
  const states: { clientID: number; clock: number; state: unknown }[] = [];
  for (let n = dec.readVarUint(a); n > 0; n--) {
    const clientID = dec.readVarUint(a), clock = dec.readVarUint(a);
    const text = dec.readVarString(a);
    const json = parseJson(text);
    states.push({ clientID, clock, state: json ? json.value : text });
  }
  const gone = states.filter((s) => s.state === null).length;
  const first = states.find((s) => s.state !== null);
  const shown = first ? ` ${JSON.stringify(jsonable(first.state)).slice(0, 60)}` : '';
  const summary = `awareness ${states.length} client${states.length === 1 ? '' : 's'}${gone ? ` (${gone} left)` : ''}${shown}`;
  return { summary, fields: { type: 'awareness', clientId: listOrOne(states.map((s) => s.clientID)) }, tree: { type: 'awareness', states: jsonable(states) } };
}

/** y-protocols' auth message (y-websocket): 0 = permission denied with a reason. */
function readYAuth(d: dec.Decoder): Message {
  const sub = dec.readVarUint(d);
  const reason = sub === 0 ? dec.readVarString(d) : undefined;
  const what = sub === 0 ? 'permission denied' : `auth ${sub}`;
  return { summary: `auth: ${what}${reason ? ` ${short(reason)}` : ''}`, fields: { type: 'auth', auth: what }, tree: { type: 'auth', auth: what, reason } };
}

/** Hocuspocus' auth message: the client's token, or the server's verdict and scope. */
function readHocuspocusAuth(d: dec.Decoder, dir: 'in' | 'out', scope: string): Message {
  const sub = dec.readVarUint(d);
  const what = HOCUSPOCUS_AUTH[sub] ?? `auth ${sub}`;
  const value = sub <= 2 ? dec.readVarString(d) : undefined;
  const shown = sub === 0 ? `(${value?.length ?? 0} characters)` : value ? short(value) : '';
  const tree = { type: 'auth', auth: what, ...(sub === 0 ? { token: value } : sub === 1 ? { reason: value } : { scope: value }) };
  return {
    summary: `auth ${what} ${shown}`.trimEnd(), fields: { type: 'auth', auth: what, ...(sub === 2 && value ? { scope: value } : {}) }, tree,
    pairing: sub === 0 ? { key: `yjs:${scope}:auth:${dir}`, role: 'request' } : { key: `yjs:${scope}:auth:${opposite(dir)}`, role: 'response' },
  };
}

function readBody(d: dec.Decoder, type: number, dir: 'in' | 'out', doc: string | undefined, meta: boolean): Message {
  const scope = doc ?? '';
  if (type === 0 || (doc !== undefined && type === 4)) return readSync(d, dir, scope, meta);
  if (type === 1) return readAwareness(d);
  if (type === 2) return doc === undefined ? readYAuth(d) : readHocuspocusAuth(d, dir, scope);
  if (type === 3) return { summary: 'query awareness', fields: { type: 'query awareness' }, tree: { type: 'query awareness' } };
  if (doc === undefined) throw new Error(`unknown message type ${type}`);
  const what = HOCUSPOCUS_TYPES[type];
  if (!what) throw new Error(`unknown message type ${type}`);
  if (type === 8) {
    const synced = dec.readVarInt(d) !== 0;
    return { summary: `${what} ${synced ? 'synced' : 'not synced'}`, fields: { type: what }, tree: { type: what, synced } };
  }
  // stateless payloads are strings; close may carry a reason
  const text = dec.hasContent(d) || type === 5 || type === 6 ? dec.readVarString(d) : undefined;
  const json = text === undefined ? undefined : parseJson(text);
  const value = json ? json.value : text;
  return { summary: `${what}${value !== undefined ? ` ${short(value, 60)}` : ''}`, fields: { type: what }, tree: { type: what, payload: jsonable(value) } };
}

/**
 * One whole message, or why not (`doc` undefined: y-websocket's layout; else Hocuspocus'). `meta`:
 * describe updates' clients and clocks (detection skips it: an initial sync can be megabytes).
 */
function read(bytes: Uint8Array, dir: 'in' | 'out', hocuspocus: boolean, meta = true): ({ doc?: string } & Message) | string {
  try {
    const d = dec.createDecoder(bytes);
    const doc = hocuspocus ? dec.readVarString(d) : undefined;
    const m = readBody(d, dec.readVarUint(d), dir, doc, meta);
    if (dec.hasContent(d)) return `${bytes.length - d.pos} bytes left over`;
    return { doc, ...m };
  } catch (e) {
    return errorText(e);
  }
}

function describe(label: string, f: DecodeFrame, hocuspocus: boolean): Decoded {
  if (f.kind !== 'binary') return failed(label, 'text frame (Yjs messages are binary)');
  const bytes = bytesOf(f);
  const m = read(bytes, f.dir, hocuspocus);
  if (typeof m === 'string') return failed(label, f.truncated ? 'incomplete payload (truncated)' : m);
  const fields: Decoded['fields'] = m.doc !== undefined ? { document: m.doc, ...m.fields } : m.fields;
  const out: Decoded = {
    summary: `${label} ${m.doc !== undefined ? `${JSON.stringify(m.doc)} ` : ''}${m.summary}`,
    fields, tree: m.doc !== undefined ? { document: m.doc, ...m.tree } : m.tree,
  };
  if (m.pairing) out.pairing = m.pairing;
  return out;
}

/** Every one of the first binary frames reads whole in this layout (and there is at least one). */
function allRead(ctx: DetectContext, hocuspocus: boolean, ok: (m: { doc?: string }) => boolean): boolean {
  const bins = ctx.frames.filter((f) => f.kind === 'binary').slice(0, 6);
  return bins.length > 0 && bins.every((f) => { const m = read(bytesOf(f), f.dir, hocuspocus, false); return typeof m !== 'string' && ok(m); });
}

export const yjsDecoder: Decoder = {
  id: 'yjs',
  label: 'Yjs (y-websocket)',
  detect: (ctx) => (allRead(ctx, false, () => true) ? 0.8 : 0),
  decode: (f) => describe('Yjs', f, false),
};

export const hocuspocusDecoder: Decoder = {
  id: 'hocuspocus',
  label: 'Yjs (Hocuspocus)',
  // a document name of printable text: y-websocket's own messages would read as an empty name
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a document name does not have
  detect: (ctx) => (allRead(ctx, true, (m) => !!m.doc && !/[\0-\x1f]/.test(m.doc)) ? 0.85 : 0),
  decode: (f) => describe('Hocuspocus', f, true),
};
