import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { WirePayload } from '../../protocol/messages';
import type { Connection, Frame } from '../../store/model';
import { sendSiteOf } from '../../store/send-sites';
import { CallStack, type OpenSource } from '../shared/CallStack';
import { copyText } from '../shared/copy';
import { base64ToBytes } from '../../protocol/base64';
import { formatBytes, formatCount, formatRelative, formatTime, heldBytes, hexDump } from '../shared/format';
import { JsonTree } from '../shared/JsonTree';
import { dirArrow, dirWord, frameType } from '../shared/labels';
import { COPY_FORMATS, COPY_LABELS, convertPayload, pageRange, parseJsonPayload, utf8Of, type CopyFormat } from './payload-text';
import '../shared/controls.css';
import '../shared/panes.css';

/** What the panel needs to fetch a frame's full payload (PanelLink provides it). */
export interface PayloadSource {
  fetchPayload(frameId: number, hook: string, c: string, seq: number): Promise<{ data?: WirePayload; truncated?: boolean; error?: string }>;
}

/** Page sizes: a 16 MB payload as one text node would freeze the panel, so views go a page at a time. */
const TEXT_PAGE = 256 * 1024;
const HEX_PAGE = 64 * 1024;
const BASE64_PAGE = 1024 * 1024;

export interface FrameDetailProps {
  conn: Connection;
  frame: Frame;
  payloads: PayloadSource;
  /** show the connection the frame belongs to (the grid shows every connection) */
  showConnection?: boolean;
  /** what can be done with this frame (replay, re-inject …), shown under its facts */
  children?: ComponentChildren;
  /** opens a script line in DevTools' Sources panel (null: not possible here) */
  openSource?: OpenSource;
}

/** One frame in full: text, a JSON tree, or hex, base64 and UTF-8, whether it is complete, and copy. */
export function FrameDetail({ conn, frame: f, payloads, showConnection, children, openSource = null }: FrameDetailProps) {
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
  const opened = conn.openAt ?? conn.createdAt;

  return (
    <section class="detail frame-detail" aria-label="Frame detail">
      <h2 class="detail-title">
        <span aria-hidden="true">{dirArrow(f.dir)} </span>
        {dirWord(f.dir)} · {frameType(f)}
      </h2>
      <dl class="facts">
        <dt>Size</dt><dd>{formatBytes(f.size)} ({formatCount(f.size)} bytes)</dd>
        <dt>Time</dt>
        <dd>
          {formatTime(f.t)} ({formatRelative(f.t, opened)} {conn.openAt !== undefined ? 'after the socket opened' : 'after the socket was created'})
        </dd>
        <dt>Sequence</dt><dd>{f.seq}</dd>
        {showConnection && <><dt>Connection</dt><dd class="wrap-any">{conn.url}</dd></>}
        {f.buffered !== undefined && <><dt>bufferedAmount</dt><dd>{f.buffered} bytes right after send()</dd></>}
      </dl>
      {f.notSent && (
        <p class="note warn">Not sent: send() was called while the socket was closing or closed, so nothing went out.</p>
      )}
      {f.by === 'devtools' && <p class="note info">Sent or injected by DevTools (this extension), not by the page.</p>}
      {f.dir === 'out' && f.by !== 'devtools' && !conn.imported && !conn.network && <SentFrom conn={conn} frame={f} openSource={openSource} />}
      {children}
      {f.data !== undefined && <CopyButtons data={f.data} partial={f.truncated ? `${held} of ${f.size} bytes` : null} />}
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

/** Copy the payload as text, JSON, base64 or hex (what the panel holds; a preview when truncated). */
function CopyButtons({ data, partial }: { data: WirePayload; partial: string | null }) {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const copy = async (format: CopyFormat): Promise<void> => {
    const c = convertPayload(data, format);
    if (!c.ok) { setStatus(''); return setError(`Cannot copy as ${COPY_LABELS[format]}: ${c.error}`); }
    const ok = await copyText(c.text);
    setError(ok ? null : 'The browser did not allow copying.');
    setStatus(ok ? `Copied as ${COPY_LABELS[format]} (${formatCount(c.text.length)} characters${partial ? `, the captured ${partial}` : ''}).` : '');
  };
  return (
    <div class="copy-row" role="group" aria-label="Copy">
      <div class="button-row">
        {COPY_FORMATS.map((fmt) => (
          <button key={fmt} type="button" class="inline-button" onClick={() => void copy(fmt)}>{`Copy as ${COPY_LABELS[fmt]}`}</button>
        ))}
      </div>
      {error && <p class="note error" role="alert">{error}</p>}
      <p class="muted" role="status" aria-label="Copy result">{status}</p>
    </div>
  );
}

function PayloadViews({ data }: { data: WirePayload | undefined }) {
  if (data === undefined) {
    return <p class="note">Payload not available yet: the page is still reading the Blob.</p>;
  }
  return typeof data === 'string' ? <TextViews text={data} /> : <BinaryViews b64={data.b64} />;
}

/**
 * A long text or dump a page at a time: Previous / Next, and where this page
 * is ("bytes 65,536–131,071 of 2,097,152").
 */
function Paged({ name, unit, total, size, wrap, render }: {
  name: string; unit: string; total: number; size: number; wrap?: boolean; render: (start: number, end: number) => string;
}) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(total / size));
  const [start, end] = pageRange(page, size, total);
  return (
    <>
      <pre class={wrap ? 'code wrap' : 'code'}>{render(start, end)}</pre>
      {pages > 1 && (
        <div class="button-row pager">
          <button type="button" class="inline-button" aria-label={`Previous ${name} page`} disabled={page === 0}
            onClick={() => setPage(page - 1)}>‹ Previous</button>
          <span class="muted">
            {`Page ${page + 1} of ${pages}: ${unit} ${formatCount(start)}–${formatCount(end - 1)} of ${formatCount(total)}`}
          </span>
          <button type="button" class="inline-button" aria-label={`Next ${name} page`} disabled={page >= pages - 1}
            onClick={() => setPage(page + 1)}>Next ›</button>
        </div>
      )}
    </>
  );
}

function TextViews({ text }: { text: string }) {
  const json = useMemo(() => parseJsonPayload(text), [text]);
  return (
    <>
      {json && <JsonView text={text} value={json.value} />}
      <section class="view" aria-label="Text">
        <h3>Text</h3>
        {text.length === 0
          ? <p class="note">(empty message)</p>
          : <Paged name="text" unit="characters" total={text.length} size={TEXT_PAGE} wrap render={(a, b) => text.slice(a, b)} />}
      </section>
    </>
  );
}

/** The JSON tree, or the raw text with the Raw toggle; Expand all / Collapse all re-mount the tree. */
function JsonView({ text, value }: { text: string; value: unknown }) {
  const [raw, setRaw] = useState(false);
  const [depth, setDepth] = useState({ n: 3, seq: 0 });
  return (
    <section class="view" aria-label="JSON">
      <div class="view-head">
        <h3>JSON</h3>
        <label class="tool-check">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} />
          Raw
        </label>
        {!raw && (
          <>
            <button type="button" class="inline-button" onClick={() => setDepth({ n: Infinity, seq: depth.seq + 1 })}>Expand all</button>
            <button type="button" class="inline-button" onClick={() => setDepth({ n: 1, seq: depth.seq + 1 })}>Collapse all</button>
          </>
        )}
      </div>
      {raw
        ? <Paged name="raw JSON" unit="characters" total={text.length} size={TEXT_PAGE} wrap render={(a, b) => text.slice(a, b)} />
        : <JsonTree key={depth.seq} value={value} openDepth={depth.n} />}
    </section>
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
  const utf8 = useMemo(() => (bytes ? utf8Of(bytes) : null), [bytes]);
  if (!bytes || !utf8) return <p class="note error">The payload could not be decoded.</p>;
  if (bytes.length === 0) return <p class="note">(empty message)</p>;
  return (
    <>
      <section class="view" aria-label="Hex">
        <h3>Hex</h3>
        <Paged name="hex" unit="bytes" total={bytes.length} size={HEX_PAGE}
          render={(a, b) => hexDump(bytes.subarray(a, b), Infinity, a)} />
      </section>
      <section class="view" aria-label="Base64">
        <h3>Base64</h3>
        <Paged name="base64" unit="characters" total={b64.length} size={BASE64_PAGE} wrap render={(a, b) => b64.slice(a, b)} />
      </section>
      <section class="view" aria-label="UTF-8">
        <h3>UTF-8</h3>
        {!utf8.valid && <p class="note">Not valid UTF-8: invalid sequences are shown as �.</p>}
        <Paged name="UTF-8" unit="characters" total={utf8.text.length} size={TEXT_PAGE} wrap render={(a, b) => utf8.text.slice(a, b)} />
      </section>
    </>
  );
}

/** Where the page called send() for this frame (opt-in: every send() pays for a stack). */
function SentFrom({ conn, frame, openSource }: { conn: Connection; frame: Frame; openSource: OpenSource }) {
  const stack = sendSiteOf(conn, frame.seq);
  if (stack) {
    return (
      <>
        <h3>Sent from</h3>
        <CallStack stack={stack} label="Sent from: where send() was called" openSource={openSource} />
      </>
    );
  }
  return (
    <p class="note">
      Where send() was called is recorded when <em>Call sites</em> is on (in the toolbar); it costs every send(), so it is off by default.
    </p>
  );
}
