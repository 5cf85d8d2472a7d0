/**
 * Interception for automation (`wsInspector` on the panel page, beside
 * src/store/automation.ts): what is held, the rules with their hits, and
 * setting the rules — what the Intercept tab shows and does, as JSON-able data.
 */
import type { Store } from '../store/store';
import type { Interception } from './interception';
import type { RuleDraft } from './rules';
import { rulesOf, RULES_FORMAT, RULES_VERSION } from './rules-file';

export interface HeldSnapshot { conn: string; dir: 'out' | 'in'; hold: number; seq: number; since: number; matched: string }

export interface InterceptionAutomation {
  interception(): {
    /** a breakpoint or an enabled rule is on */
    active: boolean;
    /** every frame hook has the current settings (none is waiting for them, none refused them) */
    applied: boolean;
    sent: boolean;
    received: boolean;
    held: HeldSnapshot[];
    rules: (RuleDraft & { hits: number })[];
  };
  /** replace the rules (the rules file's rule shape); an error text when they do not read, else null */
  setRules(rules: unknown[]): string | null;
}

export function interceptionApi(ic: Interception, store: Store): InterceptionAutomation {
  return {
    interception: () => ({
      active: ic.active, applied: ic.applied, sent: ic.breakpoints.sent, received: ic.breakpoints.received,
      held: store.intercepts.held.map((h) => ({ conn: h.conn.key, dir: h.dir, hold: h.hold, seq: h.of, since: h.since, matched: h.matched })),
      rules: ic.rules.map((r) => ({ ...r, action: { ...r.action }, hits: store.intercepts.hits.get(r.id) ?? 0 })),
    }),
    setRules: (rules) => {
      const r = rulesOf({ format: RULES_FORMAT, version: RULES_VERSION, rules });
      if (!r.ok) return r.error;
      ic.setRules(r.rules);
      return null;
    },
  };
}
