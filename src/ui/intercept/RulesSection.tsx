import { useState } from 'preact/hooks';
import type { Interception } from '../../intercept/interception';
import { exportRules, importRules } from '../../intercept/rules-file';
import { describeRule, newRule, ruleName, type RuleDraft } from '../../intercept/rules';
import type { Store } from '../../store/store';
import { plural } from '../shared/labels';
import { RuleEditor } from './RuleEditor';

export interface RulesSectionProps {
  interception: Interception;
  store: Store;
  /** changes when what it shows may have (the store's and the settings' versions) */
  version: string;
}

const SAVED_WORDS = {
  unsaved: 'Not saved: these rules last as long as this panel.',
  saved: 'Saved in this browser for',
  changed: 'Changed since saved for',
} as const;

/**
 * Rules that act without stopping anything: the list (on/off switch, hits,
 * edit, delete), the editor, and saving (per page origin, only when asked),
 * export and import as JSON.
 */
export function RulesSection({ interception: ic, store }: RulesSectionProps) {
  const [editing, setEditing] = useState<{ rule: RuleDraft; isNew: boolean } | null>(null);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);

  const exportFile = (): void => {
    const blob = new Blob([exportRules(ic.rules, ic.origin ?? undefined)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'websocket-inspector-rules.json';
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setNote({ text: `Exported ${plural(ic.rules.length, 'rule', 'rules')}.`, error: false });
  };

  const importFile = async (input: HTMLInputElement): Promise<void> => {
    const file = input.files?.[0];
    if (!file) return;
    input.value = '';
    const r = importRules(await file.text());
    if (!r.ok) { setNote({ text: `Could not import ${file.name}: ${r.error}. Nothing was changed.`, error: true }); return; }
    const have = new Set(ic.rules.map((x) => x.id));
    ic.setRules([...ic.rules, ...r.rules.map((x) => (have.has(x.id) ? { ...x, id: newRule().id } : x))]);
    setNote({ text: `Imported ${plural(r.rules.length, 'rule', 'rules')} from ${file.name}.`, error: false });
  };

  return (
    <section class="detail rules" aria-label="Rules">
      <h2 class="detail-title">Rules</h2>
      <p class="muted">
        {SAVED_WORDS[ic.saved]}{ic.saved !== 'unsaved' && <> <span class="mono">{ic.origin}</span></>}
      </p>
      {ic.rules.length === 0
        ? <p class="note">No rules. A rule rewrites, answers, drops, delays or closes on matching messages without stopping them.</p>
        : (
          <ul class="plain-list rule-list" aria-label="Rules list">
            {ic.rules.map((r) => {
              const name = ruleName(r);
              const error = ic.ruleError(r);
              const hits = store.intercepts.hits.get(r.id) ?? 0;
              return (
                <li key={r.id} class={r.enabled ? 'rule-item' : 'rule-item off'}>
                  <label class="tool-check" title={r.enabled ? 'On: turn it off' : 'Off: turn it on'}>
                    <input type="checkbox" role="switch" aria-label={`Rule ${name} on`} checked={r.enabled} onChange={(e) => ic.setRuleEnabled(r.id, e.currentTarget.checked)} />
                  </label>
                  <span class="rule-text">
                    <span class="rule-name one-line">{name}</span>
                    <span class="muted one-line">{describeRule(r)}</span>
                    {error && <span class="warn-text">{`Not applied: ${error.error}`}</span>}
                  </span>
                  <span class="rule-hits muted">{plural(hits, 'hit', 'hits')}</span>
                  <button type="button" class="inline-button" aria-label={`Edit rule ${name}`} onClick={() => setEditing({ rule: r, isNew: false })}>Edit</button>
                  <button type="button" class="inline-button" aria-label={`Delete rule ${name}`} onClick={() => ic.removeRule(r.id)}>Delete</button>
                </li>
              );
            })}
          </ul>
        )}
      <div class="button-row">
        <button type="button" class="inline-button" onClick={() => setEditing({ rule: newRule(), isNew: true })}>Add rule</button>
        <button
          type="button" class="inline-button" disabled={!ic.origin || ic.saved === 'saved'}
          title={ic.origin ? `Keep these rules in this browser for ${ic.origin}` : 'The page has no origin to save rules for'}
          onClick={() => void ic.saveRules()}
        >
          Save rules
        </button>
        {ic.saved !== 'unsaved' && <button type="button" class="inline-button" onClick={() => void ic.forgetSavedRules()}>Forget saved rules</button>}
        <button type="button" class="inline-button" disabled={ic.rules.length === 0} onClick={exportFile}>Export rules</button>
        <label class="inline-button file-button">
          Import rules
          <input type="file" accept=".json,application/json" class="sr-only" aria-label="Import rules" onChange={(e) => void importFile(e.currentTarget)} />
        </label>
      </div>
      {note && <p class={note.error ? 'note error' : 'muted'} role={note.error ? 'alert' : 'status'}>{note.text}</p>}
      {ic.problem && <p class="note error" role="alert">{ic.problem}</p>}
      {editing && (
        <RuleEditor
          key={editing.rule.id} rule={editing.rule} isNew={editing.isNew}
          onApply={(d) => { ic.putRule(d); setEditing(null); }} onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}
