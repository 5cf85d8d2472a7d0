import { useEffect, useMemo, useState } from 'preact/hooks';
import { libraryOrigin, emptyLibrary, type Library, type LibraryStore } from '../../compose/library';
import { encodeDraft, formatJson, FORMAT_LABELS, FORMATS, type Format } from '../../compose/parse';
import { bytesToBase64 } from '../../protocol/base64';
import type { Connection } from '../../store/model';
import { act, errorText, MESSAGE_INPUT_ID, payloadWords, type Commander, type Draft } from './acting';
import { ComposerLibrary } from './ComposerLibrary';
import { stateName } from '../shared/labels';
import '../shared/controls.css';
import '../shared/panes.css';
import './acting.css';

export interface ComposerProps {
  conn: Connection;
  commands: Commander;
  draft: Draft;
  library: LibraryStore;
}

type Op = 'send' | 'inject';

/**
 * Write a message and send it on the selected socket, or inject it into the
 * page as if the server had sent it. Checked before anything goes out.
 */
export function Composer({ conn, commands, draft, library }: ComposerProps) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [lib, setLib] = useState<Library>(emptyLibrary);
  const origin = libraryOrigin(conn.resolvedUrl || conn.url);
  const format = draft.format.value;
  const body = draft.text.value;
  // checked as you type (not announced; the alert is for a refused send)
  const check = useMemo(() => (format === 'text' || body === '' ? null : encodeDraft(format, body)), [format, body]);

  useEffect(() => {
    let live = true;
    library.load(origin).then((l) => { if (live) setLib(l); }, () => { if (live) setLib(emptyLibrary()); });
    return () => { live = false; };
  }, [library, origin]);

  const report = (e: string | null, s = ''): void => { setError(e); setStatus(s); };
  const keep = (p: Promise<Library>): void => { p.then(setLib, (e: unknown) => report(`Could not update storage: ${String(e)}`)); };

  const run = async (op: Op): Promise<void> => {
    const encoded = encodeDraft(format, draft.text.value);
    if (!encoded.ok) return report(`Not ${op === 'send' ? 'sent' : 'injected'}: ${encoded.error}`);
    setBusy(true);
    report(null, op === 'send' ? 'Sending…' : 'Injecting…');
    const r = await act(commands, conn, { op, c: conn.id, data: encoded.value });
    setBusy(false);
    if (!r.ok) return report(errorText(r.error));
    report(null, `${op === 'send' ? 'Sent' : 'Injected'} ${payloadWords(encoded.value)}.`);
    draft.origin.value = null;
    keep(library.addHistory(origin, { format, text: draft.text.value }));
  };

  const prettify = (): void => {
    const r = formatJson(draft.text.value);
    if (!r.ok) return report(r.error);
    draft.text.value = r.value;
    report(null, 'Formatted.');
  };

  const loadFile = async (input: HTMLInputElement): Promise<void> => {
    const file = input.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    input.value = '';
    let text: string | null = null;
    if (format === 'text' || format === 'json') {
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { /* not UTF-8: binary */ }
    }
    if (text === null) draft.format.value = 'base64';
    draft.text.value = text ?? bytesToBase64(bytes);
    draft.origin.value = `Loaded ${file.name} (${bytes.length} bytes${text === null ? ', as binary' : ''})`;
    report(null, draft.origin.value + '.');
  };

  const setFormat = (f: Format): void => {
    draft.format.value = f;
    setError(null);
  };

  return (
    <section class="detail composer" aria-label="Composer">
      <h2 class="detail-title">Compose</h2>
      <p class="muted one-line" title={conn.url}>
        To {conn.url} ({stateName(conn.state)})
      </p>
      <div role="radiogroup" aria-label="Format" class="radio-row">
        {FORMATS.map((f) => (
          <label key={f} class="tool-check">
            <input type="radio" name="composer-format" checked={format === f} onChange={() => setFormat(f)} />
            {FORMAT_LABELS[f]}
          </label>
        ))}
      </div>
      {draft.origin.value && <p class="note info">{draft.origin.value}</p>}
      <label class="field">
        <span class="sr-only">Message</span>
        <textarea
          id={MESSAGE_INPUT_ID}
          class="code composer-text"
          aria-label="Message"
          rows={5}
          spellcheck={false}
          placeholder={PLACEHOLDERS[format]}
          value={draft.text.value}
          onInput={(e) => { draft.text.value = e.currentTarget.value; }}
        />
      </label>
      {check && (
        <p class={check.ok ? 'muted check' : 'warn-text check'}>
          {check.ok ? `✓ valid ${FORMAT_LABELS[format]}, ${payloadWords(check.value)}` : check.error}
        </p>
      )}
      <div class="button-row">
        <button type="button" class="inline-button primary" disabled={busy} onClick={() => void run('send')}>Send</button>
        <button type="button" class="inline-button" disabled={busy} onClick={() => void run('inject')}>Inject incoming</button>
        {format === 'json' && <button type="button" class="inline-button" onClick={prettify}>Format JSON</button>}
        <label class="inline-button file-button">
          Load file
          <input type="file" class="sr-only" aria-label="Load file" onChange={(e) => void loadFile(e.currentTarget)} />
        </label>
        <button type="button" class="inline-button" onClick={() => keep(library.save(origin, { format, text: draft.text.value }))}>
          Save message
        </button>
      </div>
      <p class="note hint">
        Inject incoming delivers the message to the page's onmessage and 'message' listeners as if the server sent it;
        the event's isTrusted is false (browsers never let scripts make trusted events), so a page that checks it ignores it.
      </p>
      {error && <p class="note error" role="alert">{error}</p>}
      <p class="composer-status muted" role="status" aria-label="Composer result">{status}</p>
      <ComposerLibrary
        lib={lib}
        origin={origin}
        onUse={(d) => { draft.format.value = d.format; draft.text.value = d.text; draft.origin.value = null; report(null); }}
        onClearSaved={() => keep(library.clearSaved(origin))}
        onClearHistory={() => keep(library.clearHistory(origin))}
      />
    </section>
  );
}

const PLACEHOLDERS: Record<Format, string> = {
  text: 'Text to send or inject',
  json: '{"type": "ping"}',
  hex: '48 65 6c 6c 6f',
  base64: 'SGVsbG8=',
};
