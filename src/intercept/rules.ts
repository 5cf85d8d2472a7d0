/**
 * Interception rules as the user writes them (every field as typed: the
 * editor's boxes, storage and export files hold this shape) and their
 * compilation into the protocol's `Rule` the page hook runs. A rule that does
 * not compile says which field is wrong and why; it is never sent half-made.
 */
import type { Rule } from '../protocol/intercept';
import { compileCondition, compileTextMatch, type Compiled } from './condition';

export type RuleDirection = 'sent' | 'received' | 'both';

export type ActionDraft =
  /** Match and replace: every match of `find` (text, or /regex/g with $1 groups in `replace`) */
  | { type: 'replace'; find: string; replace: string }
  /** set one field of a JSON message (dot path) to a JSON value (or a text) */
  | { type: 'replace-json'; path: string; value: string }
  /** answer a sent message as the server would (a template), after `delayMs`; `forward`: the original still goes */
  | { type: 'respond'; body: string; delayMs: number; forward: boolean }
  | { type: 'drop' }
  | { type: 'delay'; ms: number }
  /** close the socket with this code and reason after the message */
  | { type: 'close'; code: number; reason: string };

export type ActionType = ActionDraft['type'];

export interface RuleDraft {
  id: string;
  name: string;
  enabled: boolean;
  direction: RuleDirection;
  /** the socket URL contains this, or matches /regex/; empty: every socket */
  url: string;
  /** the payload matches this (the filter box's syntax); empty: every message */
  match: string;
  action: ActionDraft;
}

export const ACTION_TYPES: readonly ActionType[] = ['replace', 'replace-json', 'respond', 'drop', 'delay', 'close'];
export const ACTION_LABELS: Record<ActionType, string> = {
  'replace': 'Match and replace',
  'replace-json': 'Replace a JSON field',
  'respond': 'Respond',
  'drop': 'Drop',
  'delay': 'Delay',
  'close': 'Close the socket',
};
export const DIRECTION_LABELS: Record<RuleDirection, string> = { sent: 'Sent', received: 'Received', both: 'Both directions' };

/** Longest delay a rule may ask for (a minute: a delayed message holds the ones behind it). */
export const MAX_DELAY_MS = 60_000;
/** Longest replacement, value or answer template kept in a rule. */
export const MAX_TEMPLATE_CHARS = 64 * 1024;

/** The fields a fresh rule of each type starts with. */
export function defaultAction(type: ActionType): ActionDraft {
  switch (type) {
    case 'replace': return { type, find: '', replace: '' };
    case 'replace-json': return { type, path: '', value: '' };
    case 'respond': return { type, body: '', delayMs: 0, forward: false };
    case 'drop': return { type };
    case 'delay': return { type, ms: 1000 };
    case 'close': return { type, code: 4000, reason: '' };
  }
}

let counter = 0;
/** A rule id unique in this panel (and across panels: time and randomness). */
export function newRuleId(): string {
  return `r${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function newRule(type: ActionType = 'replace'): RuleDraft {
  return { id: newRuleId(), name: '', enabled: true, direction: 'sent', url: '', match: '', action: defaultAction(type) };
}

/** A field of a rule that is wrong, and why. */
export interface RuleError { field: string; error: string }

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;
const intIn = (v: number, min: number, max: number): boolean => Number.isSafeInteger(v) && v >= min && v <= max;

/** The protocol's action, or the field at fault. */
function compileAction(a: ActionDraft, direction: RuleDirection): { ok: true; value: Rule['action'] } | RuleError & { ok: false } {
  const bad = (field: string, error: string) => ({ ok: false as const, field, error });
  switch (a.type) {
    case 'replace': {
      if (a.find === '') return bad('find', 'say what to replace (text, or /regex/g)');
      const find = compileTextMatch(a.find, { global: true });
      if (!find.ok) return bad('find', find.error);
      if (a.replace.length > MAX_TEMPLATE_CHARS) return bad('replace', `too long (at most ${MAX_TEMPLATE_CHARS} characters)`);
      return { ok: true, value: { type: 'replace', find: find.value!, replace: a.replace } };
    }
    case 'replace-json':
      if (!/^[^.\s]+(\.[^.\s]+)*$/.test(a.path)) return bad('path', 'a dot path of the field, e.g. user.name or items.0.id');
      if (a.value.length > MAX_TEMPLATE_CHARS) return bad('value', `too long (at most ${MAX_TEMPLATE_CHARS} characters)`);
      return { ok: true, value: { type: 'replace-json', path: a.path, value: a.value } };
    case 'respond':
      if (direction === 'received') return bad('action', 'Respond answers messages the page sends: choose Sent');
      if (a.body.length > MAX_TEMPLATE_CHARS) return bad('body', `too long (at most ${MAX_TEMPLATE_CHARS} characters)`);
      if (!intIn(a.delayMs, 0, MAX_DELAY_MS)) return bad('delayMs', `a whole number of ms from 0 to ${MAX_DELAY_MS}`);
      return { ok: true, value: { type: 'respond', body: a.body, delayMs: a.delayMs, forward: a.forward } };
    case 'drop':
      return { ok: true, value: { type: 'drop' } };
    case 'delay':
      if (!intIn(a.ms, 1, MAX_DELAY_MS)) return bad('ms', `a whole number of ms from 1 to ${MAX_DELAY_MS}`);
      return { ok: true, value: { type: 'delay', ms: a.ms } };
    case 'close':
      if (!(a.code === 1000 || intIn(a.code, 3000, 4999))) return bad('code', 'a close code the browser lets a page use: 1000, or 3000–4999');
      if (utf8Bytes(a.reason) > 123) return bad('reason', 'at most 123 bytes (UTF-8)');
      return { ok: true, value: { type: 'close', code: a.code, reason: a.reason } };
  }
}

/** The rule the page hook runs, or the first field at fault. */
export function compileRule(d: RuleDraft): { ok: true; rule: Rule } | ({ ok: false } & RuleError) {
  const url = compileTextMatch(d.url);
  if (!url.ok) return { ok: false, field: 'url', error: url.error };
  const match: Compiled<Rule['match']> = compileCondition(d.match);
  if (!match.ok) return { ok: false, field: 'match', error: match.error };
  const action = compileAction(d.action, d.direction);
  if (!action.ok) return action;
  return {
    ok: true,
    rule: {
      id: d.id, name: ruleName(d), enabled: d.enabled, direction: d.direction, match: match.value, action: action.value,
      ...(url.value ? { url: url.value } : {}),
    },
  };
}

/** The rule's name, or what it does when it has none. */
export function ruleName(d: RuleDraft): string {
  return d.name.trim() || describeAction(d.action);
}

/** "replace /price=(\d+)/g → price=0", "drop", "close 4000" */
export function describeAction(a: ActionDraft): string {
  switch (a.type) {
    case 'replace': return `replace ${a.find || '…'} → ${a.replace}`;
    case 'replace-json': return `set ${a.path || '…'} = ${a.value}`;
    case 'respond': return `respond ${a.body.length > 40 ? `${a.body.slice(0, 40)}…` : a.body}${a.forward ? ' (and send)' : ''}`;
    case 'drop': return 'drop';
    case 'delay': return `delay ${a.ms} ms`;
    case 'close': return `close ${a.code}${a.reason ? ` "${a.reason}"` : ''}`;
  }
}

/** "sent · url ~ /chat · payload event:typing" */
export function describeRule(d: RuleDraft): string {
  const parts: string[] = [DIRECTION_LABELS[d.direction].toLowerCase()];
  if (d.url) parts.push(`URL ${d.url}`);
  parts.push(d.match ? `payload ${d.match}` : 'every message');
  return parts.join(' · ');
}
