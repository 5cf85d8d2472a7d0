import { useEffect, useMemo, useState } from 'preact/hooks';
import { FORMAT_LABELS, FORMATS, type Format } from '../../compose/parse';
import { editorDraftOf, releaseData, switchFormat, type EditorDraft } from '../../intercept/held-edit';
import type { Interception } from '../../intercept/interception';
import type { WirePayload } from '../../protocol/messages';
import type { HeldMessage } from '../../store/intercept-fold';
import { payloadWords } from '../acting/acting';
import type { PayloadSource } from '../detail/FrameDetail';
import { urlPath } from '../frames/frame-columns';
import { dirArrow, dirWord } from '../shared/labels';

export interface HeldEditorProps {
  held: HeldMessage;
  interception: Interception;
  payloads: PayloadSource;
  /** the payload as the panel holds it (a preview when the message is large) */
  data: WirePayload | undefined;
}

/**
 * The selected held message in an editor (text, JSON pretty-printed, hex or
 * base64): Forward sends it as edited (unchanged: exactly as it was), Drop
 * drops it; the breakpoint of its direction can be turned off from here.
 */
export function HeldEditor({ held: h, interception: ic, payloads, data }: HeldEditorProps) {
  const [full, setFull] = useState<WirePayload | undefined>(h.truncated ? undefined : data);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const [draft, setDraft] = useState<EditorDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const original = h.truncated ? full : data;

  // a large message arrived as a preview: the page keeps more of it (up to its capture limit)
  useEffect(() => {
    if (!h.truncated) return;
    let live = true;
    payloads.fetchPayload(h.conn.frameId, h.conn.hook, h.conn.id, h.of).then((r) => {
      if (!live) return;
      if (r.data !== undefined && !r.truncated) setFull(r.data);
      else setTooBig(r.error ?? 'larger than the page keeps of a message');
    }, (e: unknown) => { if (live) setTooBig(String(e)); });
    return () => { live = false; };
  }, [h, payloads]);
  useEffect(() => {
    if (original !== undefined && draft === null) setDraft(editorDraftOf(original));
  }, [original, draft]);

  const check = useMemo(() => (draft && original !== undefined ? releaseData(original, draft) : null), [draft, original]);
  const dir = dirWord(h.dir);

  const act = async (action: 'forward' | 'drop'): Promise<void> => {
    let edited: WirePayload | undefined;
    if (action === 'forward' && check) {
      if (!check.ok) { setStatus({ text: `Not forwarded: ${check.error}`, error: true }); return; }
      edited = check.data;
    }
    setBusy(true);
    const error = await ic.release(h, action, edited);
    setBusy(false);
    if (error) setStatus({ text: error, error: true });
    else setStatus({ text: action === 'drop' ? 'Dropped.' : edited === undefined ? 'Forwarded as it was.' : `Forwarded, edited (${payloadWords(edited)}).`, error: false });
  };

  return (
    <section class="held-editor" aria-label="Held message">
      <h3>
        <span aria-hidden="true">{dirArrow(h.dir)} </span>
        {`${dir} on #${h.conn.index + 1} ${urlPath(h.conn)}, seq ${h.of}`}
      </h3>
      {original === undefined && !tooBig && (
        <p class="note">{h.truncated ? 'Loading the whole message from the page…' : 'The page is still reading this Blob message.'}</p>
      )}
      {tooBig && <p class="note warn">{`This message cannot be edited here (${tooBig}): Forward sends it as it was, or Drop it.`}</p>}
      {draft && original !== undefined && (
        <>
          <div role="radiogroup" aria-label="Held message format" class="radio-row">
            {FORMATS.map((f: Format) => (
              <label key={f} class="tool-check">
                <input type="radio" name="held-format" checked={draft.format === f} onChange={() => setDraft(switchFormat(draft, f, original))} />
                {FORMAT_LABELS[f]}
              </label>
            ))}
          </div>
          <textarea
            class="code composer-text" aria-label="Edit held message" rows={8} spellcheck={false} value={draft.text}
            onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
          />
          {check && (
            <p class={check.ok ? 'muted check' : 'warn-text check'}>
              {!check.ok ? check.error : check.data === undefined ? 'Unchanged: Forward sends it exactly as it was.' : `Edited: Forward sends ${payloadWords(check.data)}.`}
            </p>
          )}
        </>
      )}
      <div class="button-row">
        <button type="button" class="inline-button primary" disabled={busy} onClick={() => void act('forward')}>Forward</button>
        <button type="button" class="inline-button" disabled={busy} onClick={() => void act('drop')}>Drop</button>
        {draft && original !== undefined && (
          <button type="button" class="inline-button" onClick={() => setDraft(editorDraftOf(original))}>Undo edits</button>
        )}
        <button
          type="button" class="inline-button" title={`Turn off Intercept ${dir}: what it holds goes on, in order`}
          onClick={() => ic.setBreakpoints(h.dir === 'out' ? { sent: false } : { received: false })}
        >
          {`Stop intercepting ${dir}`}
        </button>
      </div>
      <p class={status?.error ? 'note error' : 'muted'} role="status" aria-label="Held message result">{status?.text ?? ''}</p>
    </section>
  );
}
