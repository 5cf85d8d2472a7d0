import { useState } from 'preact/hooks';
import {
  ACTION_LABELS, ACTION_TYPES, compileRule, defaultAction, DIRECTION_LABELS, type ActionDraft, type ActionType, type RuleDirection, type RuleDraft,
} from '../../intercept/rules';

export interface RuleEditorProps {
  rule: RuleDraft;
  /** a rule that is new (not yet in the list) */
  isNew: boolean;
  onApply: (d: RuleDraft) => void;
  onCancel: () => void;
}

/** A labelled text box (its label is its accessible name). */
function Text({ label, value, onInput, placeholder, area }: {
  label: string; value: string; onInput: (v: string) => void; placeholder?: string; area?: boolean;
}) {
  return (
    <label class="field-block">
      <span>{label}</span>
      {area
        ? <textarea class="code" aria-label={label} rows={3} spellcheck={false} value={value} placeholder={placeholder} onInput={(e) => onInput(e.currentTarget.value)} />
        : <input type="text" class="mono" aria-label={label} spellcheck={false} value={value} placeholder={placeholder} onInput={(e) => onInput(e.currentTarget.value)} />}
    </label>
  );
}

function Num({ label, value, onInput, min, max }: { label: string; value: number; onInput: (v: number) => void; min: number; max: number }) {
  return (
    <label class="field-inline">
      {label}
      <input type="number" class="code-input" aria-label={label} min={min} max={max} value={value} onInput={(e) => onInput(e.currentTarget.valueAsNumber)} />
    </label>
  );
}

/** The fields of one action type. */
function ActionFields({ a, set }: { a: ActionDraft; set: (a: ActionDraft) => void }) {
  switch (a.type) {
    case 'replace':
      return (
        <>
          <Text label="Match" value={a.find} placeholder="text, or /regex/g (every match with g)" onInput={(find) => set({ ...a, find })} />
          <Text label="Replace with" value={a.replace} placeholder="$1 … $9: groups, $&: the match" onInput={(replace) => set({ ...a, replace })} />
        </>
      );
    case 'replace-json':
      return (
        <>
          <Text label="JSON path" value={a.path} placeholder="user.name, items.0.price" onInput={(path) => set({ ...a, path })} />
          <Text label="Value" value={a.value} placeholder='JSON (42, "text", {"a":1}); anything else as text' onInput={(value) => set({ ...a, value })} />
        </>
      );
    case 'respond':
      return (
        <>
          <Text
            label="Respond with" area value={a.body} onInput={(body) => set({ ...a, body })}
            placeholder={'{"id": {{id}}, "ok": true}   ·   socket.io ack: 43{{ackId}}[{"ok":true}]'}
          />
          <p class="note hint">
            {'{{$1}}: a group of the payload match\'s /regex/; {{id}}, {{a.b}}: fields of the JSON message; {{ackId}}: the socket.io ack id.'}
          </p>
          <div class="field-row">
            <Num label="Delay (ms)" value={a.delayMs} min={0} max={60_000} onInput={(delayMs) => set({ ...a, delayMs })} />
            <label class="tool-check">
              <input type="checkbox" role="switch" checked={a.forward} onChange={(e) => set({ ...a, forward: e.currentTarget.checked })} />
              Also send the original
            </label>
          </div>
        </>
      );
    case 'drop':
      return <p class="note hint">Matching messages go nowhere (neither to the server nor to the page).</p>;
    case 'delay':
      return <Num label="Delay (ms)" value={a.ms} min={1} max={60_000} onInput={(ms) => set({ ...a, ms })} />;
    case 'close':
      return (
        <div class="field-row">
          <Num label="Close code" value={a.code} min={1000} max={4999} onInput={(code) => set({ ...a, code })} />
          <Text label="Close reason" value={a.reason} onInput={(reason) => set({ ...a, reason })} />
        </div>
      );
  }
}

/** Edit one rule: direction, URL match, payload match, what it does; applied to the list when it compiles. */
export function RuleEditor({ rule, isNew, onApply, onCancel }: RuleEditorProps) {
  const [d, setD] = useState<RuleDraft>(rule);
  const [tried, setTried] = useState(false);
  const compiled = compileRule(d);
  const error = compiled.ok ? null : `${FIELD_NAMES[compiled.field] ?? compiled.field}: ${compiled.error}`;
  const apply = (): void => {
    setTried(true);
    if (compiled.ok) onApply(d);
  };
  return (
    <section class="rule-editor" aria-label="Rule editor">
      <h3>{isNew ? 'New rule' : 'Edit rule'}</h3>
      <Text label="Name" value={d.name} placeholder="(what it does)" onInput={(name) => setD({ ...d, name })} />
      <div class="field-row">
        <label class="field-inline">
          Direction
          <select aria-label="Direction" value={d.direction} onChange={(e) => setD({ ...d, direction: e.currentTarget.value as RuleDirection })}>
            {(['sent', 'received', 'both'] as const).map((x) => <option key={x} value={x}>{DIRECTION_LABELS[x]}</option>)}
          </select>
        </label>
        <label class="field-inline">
          Action
          <select aria-label="Action" value={d.action.type} onChange={(e) => setD({ ...d, action: defaultAction(e.currentTarget.value as ActionType) })}>
            {ACTION_TYPES.map((x) => <option key={x} value={x}>{ACTION_LABELS[x]}</option>)}
          </select>
        </label>
        <label class="tool-check">
          <input type="checkbox" role="switch" checked={d.enabled} onChange={(e) => setD({ ...d, enabled: e.currentTarget.checked })} />
          On
        </label>
      </div>
      <Text label="URL match" value={d.url} placeholder="every socket; or part of its URL, or /regex/" onInput={(url) => setD({ ...d, url })} />
      <Text label="Payload match" value={d.match} placeholder='every message; or text, /regex/, event:chat, type:"next"' onInput={(match) => setD({ ...d, match })} />
      <ActionFields a={d.action} set={(action) => setD({ ...d, action })} />
      {error && (tried || d.match || d.url) && <p class="note error" role="alert">{error}</p>}
      <div class="button-row">
        <button type="button" class="inline-button primary" onClick={apply}>Apply rule</button>
        <button type="button" class="inline-button" onClick={onCancel}>Cancel</button>
      </div>
    </section>
  );
}

const FIELD_NAMES: Record<string, string> = {
  url: 'URL match', match: 'Payload match', find: 'Match', replace: 'Replace with', path: 'JSON path', value: 'Value', body: 'Respond with',
  delayMs: 'Delay (ms)', ms: 'Delay (ms)', code: 'Close code', reason: 'Close reason', action: 'Action',
};
