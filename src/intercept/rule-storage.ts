/**
 * Rules kept per page origin in storage.local, only when the user saves them
 * (like the composer's saved messages, src/compose/library.ts): one key per
 * origin, the rules file's shape, checked when read back (storage is data like
 * any other). "Forget saved rules" deletes the key.
 */
import type { KeyValueArea } from '../compose/library';
import type { RuleDraft } from './rules';
import { RULES_FORMAT, RULES_VERSION, rulesOf, type RulesFile } from './rules-file';

export const RULES_KEY_PREFIX = 'intercept-rules:';

export class RuleStorage {
  constructor(private readonly area: KeyValueArea) {}

  private key(origin: string): string {
    return RULES_KEY_PREFIX + origin;
  }

  /** The saved rules of an origin ([] when none, or when what storage holds does not read as rules). */
  async load(origin: string): Promise<RuleDraft[]> {
    const key = this.key(origin);
    const r = rulesOf((await this.area.get(key))[key]);
    return r.ok ? r.rules : [];
  }

  async save(origin: string, rules: readonly RuleDraft[]): Promise<void> {
    if (rules.length === 0) return this.forget(origin);
    const file: RulesFile = { format: RULES_FORMAT, version: RULES_VERSION, origin, rules: rules.map((r) => ({ ...r, action: { ...r.action } })) };
    await this.area.set({ [this.key(origin)]: file });
  }

  forget(origin: string): Promise<void> {
    return this.area.remove(this.key(origin));
  }
}
