import { useEffect, useRef, useState } from 'preact/hooks';
import type { Store } from '../../store/store';
import type { MenuItem } from '../shared/FrameMenu';
import { formatBytes } from '../shared/format';
import { plural } from '../shared/labels';
import type { ToolItem } from '../shell/Toolbar';
import { buildExport, importInto, patternLines, type ExportFormat, type FileLike } from './export-import';
import '../shared/controls.css';
import './export.css';

type Note = { text: string; error: boolean } | null;

let imports = 0;

/**
 * Export HAR / Export NDJSON (a download), redaction on by default with the
 * user's own patterns and a summary of what was redacted, and Import (HAR from
 * Chrome or us, our NDJSON) for offline viewing. Returns the toolbar's items
 * (each also a menu item for the toolbar's » menu when it has no room), the
 * redaction options, the file input and the last result.
 */
export function useExportImport(store: Store, onImported?: (keys: string[]) => void) {
  const [redact, setRedact] = useState(true);
  const [patterns, setPatterns] = useState('');
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const [redactionOpen, setRedactionOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const empty = store.order.length === 0;

  const download = (format: ExportFormat): void => {
    const out = buildExport(store.order, { format, redact, patterns }, undefined, (c) => store.intercepts.eventsOf(c));
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
  const redactionLabel = redact ? `Redaction on${custom ? ` (+${custom})` : ''}` : 'Redaction off';
  const button = (format: ExportFormat, label: string, title: string) => (
    <button type="button" class="tool-button" onClick={() => download(format)} disabled={empty} title={title}>{label}</button>
  );
  const items: ToolItem[] = [
    {
      id: 'export-har', group: 'export',
      inline: button('har', 'Export HAR', 'Download every connection as HAR 1.2 (Chrome DevTools and other HAR tools load it)'),
      menu: [{ label: 'Export HAR', disabled: empty, run: () => download('har') }],
    },
    {
      id: 'export-ndjson', group: 'export',
      inline: button('ndjson', 'Export NDJSON', 'Download every connection as NDJSON, one event per line (lossless: import it to see the same)'),
      menu: [{ label: 'Export NDJSON', disabled: empty, run: () => download('ndjson') }],
    },
    {
      id: 'redaction', group: 'export',
      inline: (
        <button type="button" class="tool-button" aria-haspopup="dialog" aria-expanded={redactionOpen} aria-controls="redaction-options"
          title="What is replaced in exported files" onClick={() => setRedactionOpen(!redactionOpen)}>
          {redactionLabel}
        </button>
      ),
      menu: [
        { label: 'Redact secrets in exports', checked: redact, run: () => setRedact(!redact) },
        { label: 'Redaction options…', run: () => setRedactionOpen(true) },
      ] satisfies MenuItem[],
    },
    {
      id: 'import', group: 'export',
      inline: (
        <button type="button" class="tool-button" disabled={busy} onClick={() => fileInput.current?.click()}
          title="Open a HAR (Chrome DevTools' or ours) or NDJSON file for offline viewing">
          {busy ? 'Importing…' : 'Import…'}
        </button>
      ),
      menu: [{ label: 'Import…', disabled: busy, run: () => fileInput.current?.click() }],
    },
  ];

  /** Always in the document (the » menu's Import… clicks it too). */
  const input = (
    <input ref={fileInput} type="file" class="sr-only" tabIndex={-1} aria-label="Import file" accept=".har,.json,.ndjson,.jsonl,application/json"
      onChange={onFile} disabled={busy} />
  );

  const options = redactionOpen && (
    <RedactionOptions redact={redact} onRedact={setRedact} patterns={patterns} onPatterns={setPatterns} onClose={() => setRedactionOpen(false)} />
  );

  const result = note && (
    note.error
      ? <span class="error-text one-line export-note" title={note.text} role="alert" aria-label="Import or export problem">{note.text}</span>
      : <span class="one-line export-note" title={note.text} role="status" aria-label="Export and import result">{note.text}</span>
  );

  return { items, input, options, result };
}

/**
 * What exports replace: a switch for the built-in rules and a box for the
 * user's own patterns. A small dialog under the toolbar; Escape or Done closes it.
 */
function RedactionOptions({ redact, onRedact, patterns, onPatterns, onClose }: {
  redact: boolean; onRedact: (on: boolean) => void; patterns: string; onPatterns: (p: string) => void; onClose: () => void;
}) {
  const first = useRef<HTMLInputElement>(null);
  // focus goes into the options, and back to where it was (the Redaction button, the » menu's opener) after
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    first.current?.focus();
    return () => { if (!document.activeElement || document.activeElement === document.body) back?.focus?.(); };
  }, []);
  return (
    <div id="redaction-options" class="redaction-box" role="dialog" aria-label="Redaction"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <label class="tool-check">
        <input ref={first} type="checkbox" role="switch" aria-checked={redact} checked={redact} onChange={(e) => onRedact(e.currentTarget.checked)} />
        Redact secrets in exports
      </label>
      <p class="note hint">
        Secret URL parameters and passwords, JWTs, Authorization-style credentials and secret-named fields are replaced
        by [REDACTED]; binary payloads keep their length.
      </p>
      <label class="field-block">
        Extra patterns (one regular expression a line, or /source/flags)
        <textarea rows={3} aria-label="Redaction patterns" value={patterns} spellcheck={false} onInput={(e) => onPatterns(e.currentTarget.value)} />
      </label>
      <div class="button-row">
        <button type="button" class="inline-button" onClick={onClose}>Done</button>
      </div>
    </div>
  );
}
