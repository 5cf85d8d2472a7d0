import type { Ref } from 'preact';
import type { Direction, FilterSpec } from '../../store/filter';
import type { Connection } from '../../store/model';
import type { SavedFilter } from '../../store/panel-settings';
import { urlPath } from './frame-columns';
import { formatCount } from '../shared/format';
import '../shared/controls.css';
import './frames.css';

export interface FilterBarProps {
  /** the filter as the controls show it */
  spec: FilterSpec;
  /** what the text box holds (may be an invalid regex, then not applied) */
  query: string;
  queryError: string | null;
  onQuery: (q: string) => void;
  onChange: (spec: FilterSpec) => void;
  connections: readonly Connection[];
  saved: readonly SavedFilter[];
  onSave: () => void;
  onApplySaved: (name: string) => void;
  onDeleteSaved: (name: string) => void;
  selectedSaved: string;
  /** rows shown, frames held, a filter is being applied */
  shown: number;
  total: number;
  filtering: boolean;
  inputRef: Ref<HTMLInputElement>;
}

export const FILTER_INPUT_ID = 'frame-filter';

/**
 * The frame grid's filters, all combined: text or /regex/flags (with Invert),
 * direction, types (text, binary, lifecycle events), connection; saved
 * filters (storage.local, only when the user saves one).
 */
export function FilterBar(p: FilterBarProps) {
  const { spec, onChange } = p;
  const set = (over: Partial<FilterSpec>): void => onChange({ ...spec, ...over });
  const errorId = 'frame-filter-error';
  return (
    <div class="filterbar" role="search" aria-label="Frame filters">
      <input
        id={FILTER_INPUT_ID}
        ref={p.inputRef}
        type="search"
        class={p.queryError ? 'filter-input invalid' : 'filter-input'}
        aria-label="Filter"
        aria-invalid={p.queryError ? 'true' : undefined}
        aria-describedby={p.queryError ? errorId : undefined}
        placeholder="Filter: text, /regex/flags or field:value  ( / )"
        title={'Text (any case), /regex/flags, or terms on decoded fields: event:chat, topic:"a/b", ackId:*, -type:PING, decoded:greet'}
        value={p.query}
        onInput={(e) => p.onQuery(e.currentTarget.value)}
        spellcheck={false}
        autocomplete="off"
      />
      <label class="tool-check">
        <input type="checkbox" checked={spec.invert} onChange={(e) => set({ invert: e.currentTarget.checked })} />
        Invert
      </label>
      <select aria-label="Direction" value={spec.dir} onChange={(e) => set({ dir: e.currentTarget.value as Direction })}>
        <option value="all">Both directions</option>
        <option value="out">Sent</option>
        <option value="in">Received</option>
      </select>
      <span role="group" aria-label="Types" class="type-toggles">
        <label class="tool-check"><input type="checkbox" checked={spec.text} onChange={(e) => set({ text: e.currentTarget.checked })} />Text</label>
        <label class="tool-check"><input type="checkbox" checked={spec.binary} onChange={(e) => set({ binary: e.currentTarget.checked })} />Binary</label>
        <label class="tool-check" title="Show open, close, error … as rows">
          <input type="checkbox" checked={spec.lifecycle} onChange={(e) => set({ lifecycle: e.currentTarget.checked })} />Lifecycle
        </label>
      </span>
      <select aria-label="Connection" class="conn-select" value={String(spec.conn)} onChange={(e) => set({ conn: Number(e.currentTarget.value) })}>
        <option value="-1">All connections</option>
        {p.connections.map((c) => <option key={c.key} value={String(c.index)} title={c.url}>{`#${c.index + 1} ${urlPath(c)}`}</option>)}
      </select>
      <span class="tool-sep" aria-hidden="true" />
      <button type="button" class="tool-button" onClick={p.onSave} title="Keep this filter (not the connection) in this browser's extension storage">
        Save filter
      </button>
      <select aria-label="Saved filters" value={p.selectedSaved} onChange={(e) => p.onApplySaved(e.currentTarget.value)}>
        <option value="">{p.saved.length ? 'Saved filters…' : 'No saved filters'}</option>
        {p.saved.map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
      </select>
      <button type="button" class="tool-button" disabled={!p.selectedSaved} onClick={() => p.onDeleteSaved(p.selectedSaved)}>
        Delete saved filter
      </button>
      <span class="tool-spacer" />
      <span role="status" aria-label="Filter result" class="muted filter-result">
        {p.filtering ? 'Filtering… ' : ''}{`${formatCount(p.shown)} shown of ${formatCount(p.total)} ${p.total === 1 ? 'frame' : 'frames'}`}
      </span>
      {p.queryError && <span id={errorId} class="error-text filter-error" role="alert">{p.queryError}</span>}
    </div>
  );
}
