import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { WirePayload } from '../protocol/messages';
import type { Connection, Frame } from '../store/model';
import { base64ToBytes, formatBytes, formatRelative, formatTime, heldBytes, hexDump, prettyJson } from './format';
import { dirArrow, dirWord, frameType } from './labels';

/** What the panel needs to fetch a frame's full payload (PanelLink provides it). */
export interface PayloadSource {
  fetchPayload(frameId: number, hook: string, c: string, seq: number): Promise<{ data?: WirePayload; truncated?: boolean; error?: string }>;
}

/** Beyond these, views show the start and say so: a 16 MB payload would freeze the panel as one text node. */
const SHOW_TEXT_CHARS = 2 * 1024 * 1024;
const SHOW_HEX_BYTES = 64 * 1024;
const SHOW_BASE64_CHARS = 1024 * 1024;

export interface FrameDetailProps {
  conn: Connection;
  frame: Frame;
  payloads: PayloadSource;
  /** what can be done with this frame (replay, re-inject …), shown under its facts */
  children?: ComponentChildren;
}

/** One frame in full: text, pretty JSON, or hex and base64, and whether it is complete. */
export function FrameDetail({ conn, frame: f, payloads, children }: FrameDetailProps) {
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [fetchedStillTruncated, setFetchedStillTruncated] = useState(false);

  const load = (): void => {
    setLoading(true);
    setLoadError(null);
    payloads.fetchPayload(conn.frameId, conn.hook, conn.id, f.seq).then((r) => {
      setLoading(false);
      if (r.error) setLoadError(r.error);
      else if (r.data === undefined) setLoadError('the page no longer holds this payload');
      else if (r.truncated) setFetchedStillTruncated(true);
    }, (e: unknown) => {
      setLoading(false);
      setLoadError(String(e));
    });
  };

  const held = heldBytes(f.data);

  return (
    <section class="detail frame-detail" aria-label="Frame detail">
      <h2 class="detail-title">
        <span aria-hidden="true">{dirArrow(f.dir)} </span>
        {dirWord(f.dir)} · {frameType(f)}
      </h2>
      <dl class="facts">
        <dt>Size</dt><dd>{formatBytes(f.size)} ({f.size} bytes)</dd>
        <dt>Time</dt><dd>{formatTime(f.t)} ({formatRelative(f.t, conn.createdAt)} after the socket was created)</dd>
        <dt>Sequence</dt><dd>{f.seq}</dd>
        {f.buffered !== undefined && <><dt>bufferedAmount</dt><dd>{f.buffered} bytes right after send()</dd></>}
      </dl>
      {f.notSent && (
        <p class="note warn">Not sent: send() was called while the socket was closing or closed, so nothing went out.</p>
      )}
      {f.by === 'devtools' && <p class="note info">Sent or injected by DevTools (this extension), not by the page.</p>}
      {children}
      {f.truncated && f.data !== undefined && (
        <p class="note warn">
          <span>{`Truncated: showing ${held} of ${f.size} bytes`}</span>{' '}
          {fetchedStillTruncated
            ? ' (the full payload is larger than the capture limit)'
            : (
              <button type="button" class="inline-button" onClick={load} disabled={loading}>
                {loading ? 'Loading…' : 'Load full payload'}
              </button>
            )}
        </p>
      )}
      {loadError && <p class="note error" role="alert">Could not load the full payload: {loadError}</p>}
      <PayloadViews data={f.data} />
    </section>
  );
}

function PayloadViews({ data }: { data: WirePayload | undefined }) {
  if (data === undefined) {
    return <p class="note">Payload not available yet: the page is still reading the Blob.</p>;
  }
  return typeof data === 'string' ? <TextViews text={data} /> : <BinaryViews b64={data.b64} />;
}

function TextViews({ text }: { text: string }) {
  const json = useMemo(() => prettyJson(text), [text]);
  const shown = text.length > SHOW_TEXT_CHARS ? text.slice(0, SHOW_TEXT_CHARS) : text;
  return (
    <>
      {json !== null && (
        <section class="view" aria-label="JSON">
          <h3>JSON</h3>
          <pre class="code">{json.length > SHOW_TEXT_CHARS ? json.slice(0, SHOW_TEXT_CHARS) + '\n…' : json}</pre>
        </section>
      )}
      <section class="view" aria-label="Text">
        <h3>Text</h3>
        {text.length === 0
          ? <p class="note">(empty message)</p>
          : <pre class="code wrap">{shown}</pre>}
        {shown !== text && <p class="note">Showing the first {SHOW_TEXT_CHARS} of {text.length} characters.</p>}
      </section>
    </>
  );
}

function BinaryViews({ b64 }: { b64: string }) {
  const bytes = useMemo(() => {
    try {
      return base64ToBytes(b64);
    } catch {
      return null;
    }
  }, [b64]);
  const hex = useMemo(() => (bytes ? hexDump(bytes, SHOW_HEX_BYTES) : ''), [bytes]);
  if (!bytes) return <p class="note error">The payload could not be decoded.</p>;
  return (
    <>
      <section class="view" aria-label="Hex">
        <h3>Hex</h3>
        {bytes.length === 0 ? <p class="note">(empty message)</p> : <pre class="code">{hex}</pre>}
        {bytes.length > SHOW_HEX_BYTES && (
          <p class="note">Showing the first {SHOW_HEX_BYTES} of {bytes.length} bytes.</p>
        )}
      </section>
      <section class="view" aria-label="Base64">
        <h3>Base64</h3>
        <pre class="code wrap">{b64.length > SHOW_BASE64_CHARS ? b64.slice(0, SHOW_BASE64_CHARS) + '…' : b64}</pre>
      </section>
    </>
  );
}
