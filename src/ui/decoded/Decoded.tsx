import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { exactTerm } from '../../store/field-terms';
import { copyText } from '../shared/copy';
import type { Connection, Frame } from '../../store/model';
import type { Decoding } from '../../decode/live/decoding';
import { JsonTree } from '../shared/JsonTree';
import { parseJsonPayload } from '../detail/payload-text';
import { JsonFields, jsonSummary } from './JsonFields';
import '../shared/panes.css';
import './decoded.css';

/** Re-render when background decoding made more summaries available (the grid's Decoded column). */
export function useDecodingProgress(decoding: Decoding): number {
  const [v, setV] = useState(decoding.progress);
  useEffect(() => decoding.onProgress(() => setV(decoding.progress)), [decoding]);
  return v;
}

/** Re-render when the decoders load or a decoder choice changes. */
export function useDecoding(decoding: Decoding): number {
  const [v, setV] = useState(decoding.version);
  useEffect(() => decoding.subscribe(() => setV(decoding.version)), [decoding]);
  return v;
}

const latencyText = (ms: number): string => (ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

/**
 * The "Decoded" part of Frame detail: the decoder's summary, its fields, its
 * tree, and the request/response pairing with the latency. Text only.
 */
export function DecodedSection({ decoding, conn, frame, onSelectFrame, seqOf, onFilter, onChangeDecoder }: {
  decoding: Decoding; conn: Connection; frame: Frame; onSelectFrame: (id: number) => void;
  /** a frame id's sequence number (for link labels) */
  seqOf: (id: number) => number | undefined;
  /** add a filter term (e.g. `event:"chat"`) to the frame filter */
  onFilter?: (term: string) => void;
  /** show the connection's Decoder choice */
  onChangeDecoder?: () => void;
}) {
  useDecoding(decoding);
  useDecodingProgress(decoding);
  useEffect(() => decoding.load(), [decoding]);
  // no protocol, but the message is JSON: say so with its fields, not as one escaped string
  const plainJson = useMemo(() => (typeof frame.data === 'string' && frame.kind === 'text' ? parseJsonPayload(frame.data) : undefined), [frame]);
  if (decoding.error) return <section class="view" aria-label="Decoded"><h3>Decoded</h3><p class="note error">{decoding.error}</p></section>;
  const choice = decoding.choice(conn);
  const d = decoding.decoded(conn, frame.id);
  if (!choice || !d) {
    return <section class="view" aria-label="Decoded"><h3>Decoded</h3><p class="muted">Loading decoders…</p></section>;
  }
  const json = choice.decoder.id === 'plain' ? plainJson : undefined;
  const pair = decoding.pair(conn, frame.id);
  const fields = Object.entries(d.fields);
  const link = (id: number, what: string) => (
    <button type="button" class="inline-button" onClick={() => onSelectFrame(id)}>{`${what} #${seqOf(id) ?? '?'}`}</button>
  );
  return (
    <section class="view decoded" aria-label="Decoded">
      <div class="view-head">
        <h3>Decoded</h3>
        <span class="muted">{`${choice.decoder.label}${choice.overridden ? ' (chosen)' : ' (detected)'}`}</span>
        {onChangeDecoder && <button type="button" class="inline-button" onClick={onChangeDecoder}>Change decoder</button>}
      </div>
      <p class="decoded-summary code" aria-label="Decoded summary">{json ? jsonSummary(json.value) : d.summary}</p>
      {json && (
        <>
          <p class="muted">No protocol detected: a plain JSON message. Pick JSON as the decoder to filter on these fields.</p>
          <JsonFields value={json.value} />
        </>
      )}
      {d.error && <p class="note warn">{`Not fully decoded: ${d.error}`}</p>}
      {pair === 'pending' && <p class="pairing muted" role="group" aria-label="Request and response">Pairing requests and responses…</p>}
      {pair && pair !== 'pending' && (
        <p class="pairing" role="group" aria-label="Request and response">
          {pair.role === 'request'
            ? (pair.responses.length
              ? <>{`Request ${pair.key}: `}{pair.responses.slice(0, 5).map((id, i) => <span key={id}>{i > 0 && ' '}{link(id, 'Go to response')}</span>)}
                {pair.responses.length > 5 && ` and ${pair.responses.length - 5} more`}</>
              : `Request ${pair.key}: no response yet`)
            : <>{`Response ${pair.key} to `}{link(pair.request, 'Go to request')}</>}
          {pair.latency !== undefined && <span class="latency">{` · latency ${latencyText(pair.latency)}`}</span>}
        </p>
      )}
      {fields.length > 0 && (
        <dl class="facts decoded-fields" aria-label="Decoded fields">
          {fields.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              {/* several packets in one message: each value, each with its own filter button */}
              {(typeof v === 'object' ? v : [v]).map((x, i) => {
                const term = onFilter ? exactTerm(k, x) : null;
                return (
                  <dd class="wrap-any" key={i}>
                    {String(x)}
                    {term && (
                      <button type="button" class="inline-button filter-term" title={`Show only frames with ${term}`}
                        aria-label={`Filter by ${k}`} onClick={() => onFilter!(term)}>
                        filter
                      </button>
                    )}
                  </dd>
                );
              })}
            </Fragment>
          ))}
        </dl>
      )}
      {d.tree !== undefined && <JsonTree value={d.tree} openDepth={3} />}
      <CopyDecoded decoded={d} />
    </section>
  );
}

/** Copy what the decoder made of the frame (summary, fields, tree) as JSON. */
function CopyDecoded({ decoded }: { decoded: { summary: string; fields: object; tree?: unknown; error?: string } }) {
  const [status, setStatus] = useState('');
  const copy = async (): Promise<void> => {
    const text = JSON.stringify({ summary: decoded.summary, fields: decoded.fields, tree: decoded.tree, error: decoded.error }, null, 2);
    setStatus((await copyText(text)) ? `Copied the decoding as JSON (${text.length.toLocaleString('en-US')} characters).` : 'The browser did not allow copying.');
  };
  return (
    <div class="copy-row">
      <button type="button" class="inline-button" onClick={() => void copy()}>Copy decoded as JSON</button>
      <span class="muted" role="status" aria-label="Copy decoded result">{status}</span>
    </div>
  );
}

/**
 * The decoder of one connection: "Auto (… detected)", every built-in decoder,
 * or protobuf with the user's .proto and message type.
 */
export function DecoderPicker({ decoding, conn }: { decoding: Decoding; conn: Connection }) {
  useDecoding(decoding);
  useEffect(() => decoding.load(), [decoding]);
  const [proto, setProto] = useState(false);
  const [protoText, setProtoText] = useState('');
  const [typeName, setTypeName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const choice = decoding.choice(conn);
  const current = decoding.override(conn.key);
  const list = decoding.decoders();
  const onPick = (id: string): void => {
    setError(null);
    if (id === '#proto') { setProto(true); return; }
    setProto(false);
    decoding.setOverride(conn.key, id);
  };
  const applyProto = (): void => {
    const r = decoding.useProto(conn.key, protoText, typeName);
    if (r.ok) { setError(null); setProto(false); } else setError(`Cannot use this schema: ${r.error}`);
  };
  return (
    <section class="detail decoder-picker" aria-label="Decoding">
      <label class="field-inline">
        Decoder
        <select
          aria-label="Decoder" value={proto ? '#proto' : current} disabled={!choice}
          onChange={(e) => onPick(e.currentTarget.value)}
        >
          <option value="">{choice ? `Auto (${choice.detected?.label ?? 'none'} detected)` : 'Auto (loading decoders…)'}</option>
          {list.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
          <option value="#proto">Protobuf with a .proto schema…</option>
        </select>
      </label>
      {proto && (
        <div class="proto-form">
          <label class="field-block">
            .proto schema
            <textarea rows={5} aria-label=".proto schema" spellcheck={false} value={protoText} onInput={(e) => setProtoText(e.currentTarget.value)}
              placeholder={'syntax = "proto3";\npackage chat;\nmessage Msg { string text = 1; }'} />
          </label>
          <label class="field-inline">
            Message type
            <input type="text" aria-label="Message type" placeholder="chat.Msg" value={typeName} onInput={(e) => setTypeName(e.currentTarget.value)} />
          </label>
          <button type="button" class="inline-button" onClick={applyProto}>Use schema</button>
        </div>
      )}
      {error && <p class="note error" role="alert">{error}</p>}
    </section>
  );
}
