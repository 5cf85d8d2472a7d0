import type { Interception } from '../../intercept/interception';
import type { Store } from '../../store/store';
import { plural } from '../shared/labels';

/** What is on, in a few words: "Intercepting sent and received · all connections · 2 rules on · 3 held". */
export function activeWords(ic: Interception, heldCount: number): string {
  const b = ic.breakpoints;
  const parts: string[] = [];
  const dirs = [b.sent && 'sent', b.received && 'received'].filter(Boolean).join(' and ');
  if (dirs) parts.push(`Intercepting ${dirs}${b.condition.source ? ` matching ${b.condition.source}` : ''}`, b.scope.kind === 'all' ? 'all connections' : 'one connection');
  const rules = ic.compiledRules().filter((r) => r.enabled).length;
  if (rules) parts.push(`${plural(rules, 'rule', 'rules')} on`);
  if (heldCount) parts.push(`${heldCount} held`);
  return parts.join(' · ');
}

/**
 * Above the frame grid while a breakpoint or a rule is on: what is on, Show
 * (the Intercept tab) and Turn off (everything: held messages go on in order).
 */
export function InterceptBanner({ interception: ic, store, onShow }: {
  interception: Interception; store: Store; onShow: () => void; /** re-render on store and settings changes */ version: string;
}) {
  const held = store.intercepts.held.length;
  if (!ic.active && held === 0) return null;
  return (
    <div class="intercept-banner" role="region" aria-label="Interception on">
      <span class="one-line">{activeWords(ic, held) || `${held} held`}</span>
      <span class="tool-spacer" />
      <button type="button" class="inline-button" onClick={onShow}>Show</button>
      <button type="button" class="inline-button primary" onClick={() => ic.turnOff()}>Turn off</button>
    </div>
  );
}
