/**
 * What interception did to a message, in words: the grid's compact badge
 * (`edited`, `dropped`, `held` …) and the sentence its title and accessible
 * name carry, from the message's records (store/intercept-fold.ts).
 */
import type { InterceptRecord } from '../store/intercept-fold';

export type Badge = 'held' | 'edited' | 'dropped' | 'delayed' | 'answered' | 'closed' | 'rule';

/** `gone`: the message went nowhere (dropped, or answered by a rule and not sent on) */
export interface Mark { badge: Badge; words: string; gone?: boolean }

const rule = (r: InterceptRecord) => (r.rule ? `rule "${r.rule.name}"` : 'a rule');

/** One record in words: "held by the breakpoint (matched "secret")", "edited by you". */
export function recordWords(r: InterceptRecord): string {
  const by = r.cause === 'rule' ? ` by ${rule(r)}` : r.cause === 'user' ? ' by you'
    : r.cause === 'timeout' ? ' when its hold timed out' : r.cause === 'released' ? ' when interception let go' : '';
  switch (r.outcome) {
    case 'held': return `held by the breakpoint${r.matched ? ` (matched ${r.matched})` : ''}`;
    case 'forwarded': return `forwarded as it was${by}`;
    case 'edited': return `${r.cause === 'rule' ? 'rewritten' : 'edited'}${by}`;
    case 'dropped': return `dropped${by}`;
    case 'delayed': return `delayed ${r.ms ?? 0} ms${by}`;
    case 'answered': return `answered${by} (its answer shows as a received message)`;
    case 'closed': return `the socket was closed after it${by} (code ${r.code ?? ''}${r.reason ? `, "${r.reason}"` : ''})`;
  }
}

const PRIORITY: readonly Badge[] = ['answered', 'dropped', 'edited', 'closed', 'delayed'];

/** The badge and words for a message's records; for a received message a respond rule made, `byRule`. */
export function markOf(records: readonly InterceptRecord[] | undefined, byRule = false): Mark | undefined {
  if (byRule) return { badge: 'rule', words: 'Answered by an interception rule, not by the server' };
  if (!records?.length) return undefined;
  const words = records.map(recordWords);
  const last = records[records.length - 1]!;
  const waiting = last.outcome === 'held';
  const outcomes = new Set<string>(records.map((r) => r.outcome));
  const badge: Badge = waiting ? 'held' : PRIORITY.find((b) => outcomes.has(b)) ?? 'held';
  const sentence = words.join(', then ');
  return { badge, words: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${waiting ? ' (still held)' : ''}`, gone: outcomes.has('dropped') };
}

/** The last edit of a message: what went instead of the original, if anything. */
export function editedPayload(records: readonly InterceptRecord[] | undefined): InterceptRecord | undefined {
  if (!records) return undefined;
  for (let i = records.length - 1; i >= 0; i--) if (records[i]!.outcome === 'edited' && records[i]!.data !== undefined) return records[i];
  return undefined;
}
