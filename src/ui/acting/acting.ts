/**
 * What the panel's action controls share: the way to reach the page
 * (PanelLink), the composer draft (so a frame's "Edit and replay" can fill it),
 * and the words for results. No DOM here.
 */
import { signal, type Signal } from '@preact/signals';
import type { Format } from '../../compose/parse';
import type { ErrorInfo } from '../../protocol/events';
import type { Command, CommandResult, WirePayload } from '../../protocol/messages';
import type { Connection, Frame } from '../../store/model';
import { base64Length } from '../../protocol/base64';
import type { PayloadSource } from '../detail/FrameDetail';

/** PanelLink implements it: one command to one socket, answered or failed, never rejected. */
export interface Commander {
  command(frameId: number, hook: string, cmd: Command): Promise<CommandResult>;
}

/** Send a command to a connection's socket. */
export function act(commands: Commander, conn: Connection, cmd: Command): Promise<CommandResult> {
  return commands.command(conn.frameId, conn.hook, cmd);
}

/** "InvalidStateError: the socket is CLOSED" */
export function errorText(e: ErrorInfo): string {
  return e.message ? `${e.name}: ${e.message}` : e.name;
}

/** The composer's content, shared with the frame detail ("Edit and replay" fills it). */
export interface Draft {
  format: Signal<Format>;
  text: Signal<string>;
  /** what the draft came from, shown above the message ("Editing sent frame #4") */
  origin: Signal<string | null>;
}

export function createDraft(): Draft {
  return { format: signal<Format>('text'), text: signal(''), origin: signal<string | null>(null) };
}

/** The DOM id of the composer's Message textbox (focused after "Edit and …"). */
export const MESSAGE_INPUT_ID = 'composer-message';

/** "12 bytes of text", "4 bytes of binary" */
export function payloadWords(data: WirePayload): string {
  if (typeof data === 'string') {
    const n = new TextEncoder().encode(data).length;
    return `${n} ${n === 1 ? 'byte' : 'bytes'} of text`;
  }
  const n = base64Length(data.b64);
  return `${n} ${n === 1 ? 'byte' : 'bytes'} of binary`;
}

export type PayloadResult = { ok: true; data: WirePayload } | { ok: false; error: string };

/**
 * A frame's complete payload, fetched from the page when the stream carried a
 * preview; an error when it cannot be had whole (replaying part of a message
 * would send something the page never sent).
 */
export async function fullPayload(conn: Connection, f: Frame, payloads: PayloadSource): Promise<PayloadResult> {
  if (f.data === undefined) return { ok: false, error: 'the payload is not available yet (the page is still reading the Blob)' };
  if (!f.truncated) return { ok: true, data: f.data };
  const r = await payloads.fetchPayload(conn.frameId, conn.hook, conn.id, f.seq);
  if (r.error || r.data === undefined) return { ok: false, error: `the full payload could not be loaded: ${r.error ?? 'the page no longer holds it'}` };
  if (r.truncated) return { ok: false, error: 'the payload is larger than the capture limit, so it cannot be sent again exactly' };
  return { ok: true, data: r.data };
}

/**
 * Send a captured outgoing frame again on its socket, or deliver a captured
 * incoming one to the page again, whole (fetched first when the stream had a
 * preview). Used by the frame detail's Replay / Re-inject and the row menu.
 */
export async function replayFrame(
  commands: Commander, conn: Connection, f: Frame, payloads: PayloadSource,
): Promise<{ ok: true; message: string } | { ok: false; error: string }> {
  const out = f.dir === 'out';
  const p = await fullPayload(conn, f, payloads);
  if (!p.ok) return { ok: false, error: `Cannot ${out ? 'replay' : 're-inject'}: ${p.error}` };
  const r = await act(commands, conn, { op: out ? 'send' : 'inject', c: conn.id, data: p.data });
  if (!r.ok) return { ok: false, error: errorText(r.error) };
  return { ok: true, message: `${out ? 'Replayed' : 'Re-injected'} ${payloadWords(p.data)}.` };
}
