import type { Draft, Library } from '../../compose/library';
import { FORMAT_LABELS } from '../../compose/parse';
import { previewPayload } from '../shared/format';

export interface ComposerLibraryProps {
  lib: Library;
  origin: string;
  onUse: (d: Draft) => void;
  onClearSaved: () => void;
  onClearHistory: () => void;
}

/** What was sent or injected lately, and saved messages, for this socket origin (storage.local only). */
export function ComposerLibrary({ lib, origin, onUse, onClearSaved, onClearHistory }: ComposerLibraryProps) {
  return (
    <div class="library">
      <p class="muted">
        Kept only in this browser (extension storage), for <span class="mono">{origin}</span>.
      </p>
      <DraftList title="History" drafts={lib.history} empty="Nothing sent or injected from here yet." onUse={onUse} />
      <button type="button" class="inline-button" onClick={onClearHistory} disabled={!lib.history.length}>Clear history</button>
      <DraftList title="Saved messages" drafts={lib.saved} empty="No saved messages." onUse={onUse} />
      <button type="button" class="inline-button" onClick={onClearSaved} disabled={!lib.saved.length}>Clear saved</button>
    </div>
  );
}

function DraftList({ title, drafts, empty, onUse }: { title: string; drafts: readonly Draft[]; empty: string; onUse: (d: Draft) => void }) {
  return (
    <>
      <h3>{title}</h3>
      {drafts.length === 0
        ? <p class="note">{empty}</p>
        : (
          <ul class="plain-list draft-list" aria-label={title}>
            {drafts.map((d, i) => (
              <li key={i}>
                <button type="button" class="draft-item one-line" title="Put this message in the composer" onClick={() => onUse(d)}>
                  <span class="badge">{FORMAT_LABELS[d.format]}</span> {previewPayload(d.text, 120)}
                </button>
              </li>
            ))}
          </ul>
        )}
    </>
  );
}
