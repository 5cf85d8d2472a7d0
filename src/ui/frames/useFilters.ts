import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_FILTER, describeFilter, parseQuery, type FilterSpec } from '../../store/filter';
import { savedSpec, type PanelSettings, type SavedFilter } from '../../store/panel-settings';

/**
 * The frame grid's filter as the panel holds it: the text box (which may hold
 * an invalid regex or term, then not applied, with why), the combined spec,
 * and saved filters (storage.local, only when the user saves one).
 */
export function useFilters(settings: PanelSettings | undefined, onError: (text: string) => void, input: RefObject<HTMLInputElement | null>) {
  const [spec, setSpec] = useState<FilterSpec>(DEFAULT_FILTER);
  const [query, setQuery] = useState('');
  const [queryError, setQueryError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedFilter[]>([]);
  const [selectedSaved, setSelectedSaved] = useState('');

  useEffect(() => {
    settings?.savedFilters().then(setSaved, () => {});
  }, [settings]);

  const applyQuery = (q: string): void => {
    setQuery(q);
    const parsed = parseQuery(q);
    if (parsed.kind === 'error') {
      const why = parsed.message.replace(/^Invalid regular expression: /, '');
      return setQueryError(parsed.term ? `Invalid term ${parsed.term}: ${why}` : `Invalid regular expression: ${why}`);
    }
    setQueryError(null);
    setSpec((s) => ({ ...s, query: q }));
    setSelectedSaved('');
  };
  // keys on the panel's own document: "/" goes to the filter, Escape clears it
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target instanceof HTMLElement ? e.target : null;
      const editable = t?.closest('input, textarea, select, [contenteditable]') ?? null;
      const box = input.current;
      if (e.key === '/' && !editable && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        box?.focus();
        box?.select();
      } else if (e.key === 'Escape' && (t === box || !editable) && !e.defaultPrevented) {
        if (query === '' && !queryError) return;
        e.preventDefault();
        applyQuery('');
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return {
    spec, setSpec, query, queryError, saved, selectedSaved, applyQuery,
    /** new controls' values (direction, types, connection, invert) */
    changeSpec: (next: FilterSpec): void => { setSpec(next); setSelectedSaved(''); },
    /** add a term (e.g. `event:"chat"` from the Decoded section) to what the box holds */
    addTerm: (term: string): void => applyQuery(query.trim() ? `${query.trim()} ${term}` : term),
    clearFilter: (): void => {
      setQuery('');
      setQueryError(null);
      setSpec((s) => ({ ...DEFAULT_FILTER, conn: s.conn }));
      setSelectedSaved('');
    },
    saveFilter: (): void => {
      if (!settings) return;
      const name = describeFilter(spec);
      settings.saveFilter({ name, spec: savedSpec(spec) }).then((list) => { setSaved(list); setSelectedSaved(name); },
        (e: unknown) => onError(`Could not save the filter: ${String(e)}`));
    },
    applySaved: (name: string): void => {
      const f = saved.find((x) => x.name === name);
      setSelectedSaved(f ? name : '');
      if (!f) return;
      setQuery(f.spec.query);
      setQueryError(null);
      setSpec((s) => ({ ...s, ...f.spec }));
    },
    deleteSaved: (name: string): void => {
      settings?.deleteFilter(name).then((list) => { setSaved(list); setSelectedSaved(''); }, () => {});
    },
  };
}
