/**
 * Rules as a file (Export rules / Import rules) and as storage holds them:
 * `{ "format": "websocket-inspector-rules", "version": 1, "rules": [ … ] }`,
 * each rule in the editor's shape (rules.ts). Reading checks everything: JSON
 * errors name the line and column, bad fields their path
 * (`rules[2].action.code: …`), and every rule must compile.
 */
import { parseJsonAt } from '../export/input';
import { ACTION_TYPES, compileRule, newRuleId, type ActionDraft, type RuleDraft } from './rules';

export const RULES_FORMAT = 'websocket-inspector-rules';
export const RULES_VERSION = 1;
/** Most rules a file (or an origin's storage) may hold. */
export const MAX_RULES = 200;

export interface RulesFile { format: typeof RULES_FORMAT; version: number; origin?: string; rules: RuleDraft[] }

export type RulesRead = { ok: true; rules: RuleDraft[] } | { ok: false; error: string };

export function exportRules(rules: readonly RuleDraft[], origin?: string): string {
  const file: RulesFile = {
    format: RULES_FORMAT, version: RULES_VERSION, ...(origin ? { origin } : {}), rules: rules.map((r) => ({ ...r, action: { ...r.action } })),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

class Bad extends Error {}
const bad = (path: string, what: string): never => { throw new Bad(`${path}: ${what}`); };

function str(o: Rec, key: string, path: string, max = 64 * 1024): string {
  const v = o[key];
  if (typeof v !== 'string') bad(`${path}.${key}`, `expected a string, got ${JSON.stringify(v) ?? 'nothing'}`);
  if ((v as string).length > max) bad(`${path}.${key}`, `too long (at most ${max} characters)`);
  return v as string;
}
function int(o: Rec, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) bad(`${path}.${key}`, `expected a whole number, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v as number;
}
function bool(o: Rec, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') bad(`${path}.${key}`, `expected true or false, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v as boolean;
}

function action(v: unknown, path: string): ActionDraft {
  if (!isRec(v)) return bad(path, 'expected an object');
  const type = v.type;
  if (!ACTION_TYPES.includes(type as ActionDraft['type'])) bad(`${path}.type`, `expected one of ${ACTION_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  switch (type as ActionDraft['type']) {
    case 'replace': return { type: 'replace', find: str(v, 'find', path, 4096), replace: str(v, 'replace', path) };
    case 'replace-json': return { type: 'replace-json', path: str(v, 'path', path, 1024), value: str(v, 'value', path) };
    case 'respond': return { type: 'respond', body: str(v, 'body', path), delayMs: int(v, 'delayMs', path), forward: bool(v, 'forward', path) };
    case 'drop': return { type: 'drop' };
    case 'delay': return { type: 'delay', ms: int(v, 'ms', path) };
    case 'close': return { type: 'close', code: int(v, 'code', path), reason: str(v, 'reason', path, 1024) };
  }
}

function rule(v: unknown, path: string): RuleDraft {
  if (!isRec(v)) return bad(path, 'expected an object');
  const direction = v.direction;
  if (direction !== 'sent' && direction !== 'received' && direction !== 'both') {
    bad(`${path}.direction`, `expected "sent", "received" or "both", got ${JSON.stringify(direction)}`);
  }
  const d: RuleDraft = {
    id: typeof v.id === 'string' && v.id.length > 0 && v.id.length <= 64 ? v.id : newRuleId(),
    name: str(v, 'name', path, 1024), enabled: bool(v, 'enabled', path), direction: direction as RuleDraft['direction'],
    url: str(v, 'url', path, 4096), match: str(v, 'match', path, 4096), action: action(v.action, `${path}.action`),
  };
  const c = compileRule(d);
  if (!c.ok) bad(`${path}.${c.field === 'url' || c.field === 'match' ? c.field : `action.${c.field === 'action' ? 'type' : c.field}`}`, c.error);
  return d;
}

/** The rules a value holds (a parsed file, or what storage returned), every one checked; ids made unique. */
export function rulesOf(v: unknown): RulesRead {
  try {
    if (!isRec(v)) return { ok: false, error: 'expected an object with "format" and "rules"' };
    if (v.format !== RULES_FORMAT) return { ok: false, error: `not a rules file: "format" must be "${RULES_FORMAT}"` };
    if (v.version !== RULES_VERSION) return { ok: false, error: `version ${JSON.stringify(v.version)} is not supported (this panel reads version ${RULES_VERSION})` };
    if (!Array.isArray(v.rules)) return { ok: false, error: 'rules: expected an array' };
    if (v.rules.length > MAX_RULES) return { ok: false, error: `rules: ${v.rules.length} rules, at most ${MAX_RULES}` };
    const seen = new Set<string>();
    const rules = v.rules.map((r, i) => {
      const d = rule(r, `rules[${i}]`);
      if (seen.has(d.id)) d.id = newRuleId();
      seen.add(d.id);
      return d;
    });
    return { ok: true, rules };
  } catch (e) {
    return { ok: false, error: e instanceof Bad ? e.message : `could not read the rules: ${String(e)}` };
  }
}

/** Read an exported rules file (Import rules). Never throws; errors say where. */
export function importRules(text: string): RulesRead {
  const parsed = parseJsonAt(text.replace(/^\uFEFF/, ''), 'rules file (JSON)');
  if ('error' in parsed) return { ok: false, error: parsed.error };
  return rulesOf(parsed.value);
}
