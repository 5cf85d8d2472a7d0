import { useRef, useState } from 'preact/hooks';
import type { Store } from '../../store/store';
import { buildExport, importInto, patternLines, type ExportFormat, type FileLike } from './export-import';
import { formatBytes } from '../shared/format';
import { plural } from '../shared/labels';
import '../shared/controls.css';
import './export.css';

export interface ExportImportProps {
  store: Store;
  /** after an import: the first imported connection's key (to select it) */
  onImported?: (keys: string[]) => void;
}

type Note = { text: string; error: boolean } | null;

let imports = 0;

/**
 * Toolbar controls: Export HAR / Export NDJSON (a download), redaction on by
 * default with the user's own patterns and a summary of what was redacted,
 * and Import (HAR from Chrome or us, our NDJSON) for offline viewing.
 */
export function ExportImport({ store, onImported }: ExportImportProps) {
  const [redact, setRedact] = useState(true);
  const [patterns, setPatterns] = useState('');
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const download = (format: ExportFormat): void => {
    const out = buildExport(store.order, { format, redact, patterns });
    if (!out.ok) { setNote({ text: out.error, error: true }); return; }
    const blob = new Blob([out.text], { type: out.mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = out.filename;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setNote({
      text: `Exported ${plural(out.connections, 'connection', 'connections')} as ${format === 'har' ? 'HAR' : 'NDJSON'} `
        + `(${out.filename}, ${formatBytes(blob.size)}). ${out.redaction.text}.`,
      error: false,
    });
  };

  const importOne = async (file: FileLike): Promise<void> => {
    setBusy(true);
    setNote({ text: `Importing ${file.name}…`, error: false });
    const r = await importInto(store, file, `i${++imports}.`);
    setBusy(false);
    if (!r.ok) { setNote({ text: `Could not import ${file.name}: ${r.error}. Nothing was changed.`, error: true }); return; }
    const warn = r.warnings.length ? ` Warnings: ${r.warnings.join('; ')}.` : '';
    setNote({
      text: `Imported ${plural(r.keys.length, 'connection', 'connections')} (${r.events} events) from ${file.name} (${r.format === 'har' ? 'HAR' : 'NDJSON'}).${warn}`,
      error: false,
    });
    onImported?.(r.keys);
  };

  const onFile = (e: Event): void => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void importOne(file).finally(() => { if (fileInput.current) fileInput.current.value = ''; });
  };

  const custom = patternLines(patterns).length;
  return (
    <div class="export-import" role="group" aria-label="Export and import">
      <button type="button" class="tool-button" onClick={() => download('har')} disabled={store.order.length === 0}
        title="Download every connection as HAR 1.2 (Chrome DevTools and other HAR tools load it)">
        Export HAR
      </button>
      <button type="button" class="tool-button" onClick={() => download('ndjson')} disabled={store.order.length === 0}
        title="Download every connection as NDJSON, one event per line (lossless: import it to see the same)">
        Export NDJSON
      </button>
      <details class="redaction">
        <summary class="tool-button" title="What is replaced in exported files">
          {redact ? `Redaction on${custom ? ` (+${custom})` : ''}` : 'Redaction off'}
        </summary>
        <div class="redaction-box">
          <label class="tool-check">
            <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.currentTarget.checked)} />
            Redact secrets in exports
          </label>
          <p class="note hint">
            Secret URL parameters and passwords, JWTs, Authorization-style credentials and secret-named fields are replaced
            by [REDACTED]; binary payloads keep their length.
          </p>
          <label class="field-block">
            Extra patterns (one regular expression a line, or /source/flags)
            <textarea
              rows={3} aria-label="Redaction patterns" value={patterns} spellcheck={false}
              onInput={(e) => setPatterns(e.currentTarget.value)}
            />
          </label>
        </div>
      </details>
      <label class="tool-button file-button" title="Open a HAR (Chrome DevTools' or ours) or NDJSON file for offline viewing">
        {busy ? 'Importing…' : 'Import…'}
        <input ref={fileInput} type="file" class="sr-only" aria-label="Import file" accept=".har,.json,.ndjson,.jsonl,application/json"
          onChange={onFile} disabled={busy} />
      </label>
      {note && (
        note.error
          ? <span class="error-text export-note" title={note.text} role="alert" aria-label="Import or export problem">{note.text}</span>
          : <span class="export-note" title={note.text} role="status" aria-label="Export and import result">{note.text}</span>
      )}
    </div>
  );
}
