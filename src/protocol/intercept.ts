/**
 * Interception: what the panel asks a page's hook to do to traffic in flight,
 * and what the hook reports it did. The user's words: a BREAKPOINT holds
 * matching messages until the user forwards (maybe edited) or drops them; a
 * RULE acts on matching messages without stopping anything (replace, respond,
 * drop, delay, close).
 *
 * Everything is decided in the page hook, synchronously, so messages that do
 * not match reach the page (or the server) untouched, at once; conditions are
 * evaluated there with natives a page cannot patch (src/capture/intercept/).
 * The panel parses what the user typed — text (substring), `/regex/flags`, and
 * field terms as in the filter box: `type:subscribe`, `event:"chat"`, `id:*`,
 * `-type:ping`, `user.name:/bo/` — into a Condition; the hook tests the terms
 * on the message's JSON, or on its socket.io event packet (`event`, `ackId`,
 * `nsp`). Binary messages are matched on their hex text (`0a 1f …`).
 *
 * Nothing is intercepted unless the panel sent a config; a config with no
 * breakpoint and no enabled rule is the same as none (the hot path is as
 * without interception). The hook releases everything it holds, in order and
 * as it was, when the config goes, the panel detaches, the page is hidden, or
 * a breakpoint's timeout fires (with its chosen action): it fails open.
 */
import type { ConnId } from './events';

/** Which way a message goes, in the user's words. */
export type Direction = 'sent' | 'received';

/** Text to find: a substring (any case), or a regular expression. */
export type TextMatch =
  | { kind: 'substring'; value: string }
  | { kind: 'regex'; source: string; flags: string };

/** One field term: the field (a lower-case dot path) exists, contains, is exactly, or matches. */
export interface FieldMatch {
  name: string;
  negate: boolean;
  test: { kind: 'exists' } | { kind: 'contains'; value: string } | { kind: 'exact'; value: string } | { kind: 'regex'; source: string; flags: string };
}

/** What a message must match: its text, and every term (an empty condition matches every message). */
export interface Condition {
  /** as the user typed it: shown as "what matched" */
  source: string;
  text?: TextMatch;
  terms: FieldMatch[];
}

/** A breakpoint of one direction. */
export interface Breakpoint {
  /** only messages matching this are held */
  condition: Condition;
}

/** What a rule does to a matching message. */
export type RuleAction =
  /** rewrite the payload: every match of `find` (text, or /regex/ with $1 groups and $& in `replace`) */
  | { type: 'replace'; find: TextMatch; replace: string }
  /** set one field of a JSON message (dot path, `a.b.0.c`) to a JSON value */
  | { type: 'replace-json'; path: string; value: string }
  /**
   * a sent message: answer the page as if the server had (after `delayMs`), the answer a template with
   * `{{$1}}` (groups of the rule's /regex/ match), `{{id}}` / `{{a.b}}` (fields of the JSON message),
   * `{{ackId}}` (a socket.io ack id); `forward`: the original still goes to the server
   */
  | { type: 'respond'; body: string; delayMs: number; forward: boolean }
  | { type: 'drop' }
  | { type: 'delay'; ms: number }
  /** close the socket with this code and reason after the message (fault injection) */
  | { type: 'close'; code: number; reason: string };

export interface Rule {
  /** stable id (the panel's), reported with every hit */
  id: string;
  name: string;
  enabled: boolean;
  direction: Direction | 'both';
  /** the socket's URL must contain this (or match it); absent: every socket */
  url?: TextMatch;
  /** the payload must match this (see above) */
  match: Condition;
  action: RuleAction;
}

/** How long a held message may wait, and what then happens to it. */
export interface HoldTimeout {
  ms: number;
  action: 'forward' | 'drop';
}

/** One page's interception, as the panel last set it. */
export interface InterceptConfig {
  /** breakpoints hold messages of these connections only; 'all': every socket of the page (new ones too) */
  scope: 'all' | ConnId[];
  sent?: Breakpoint;
  received?: Breakpoint;
  /** hold protocol keep-alives too (by default they pass, so apps do not time out while the user edits) */
  heartbeats: boolean;
  timeout: HoldTimeout;
  rules: Rule[];
  /**
   * Each connection's protocol, as the panel's decoders detected it, for keep-alives
   * (engine.io, stomp, mqtt, phoenix, graphql-ws, signalr, nats, pusher, sockjs, actioncable, …).
   */
  protocols: Record<ConnId, string>;
}

/** What happened to an intercepted message (reported as an `intercept` capture event). */
export type InterceptOutcome =
  /** held by a breakpoint: waiting for the user */
  | 'held'
  /** went on (to the server, or to the page) as it was */
  | 'forwarded'
  /** went on changed (by the user, or a replace rule): `data` is what went */
  | 'edited'
  | 'dropped'
  /** went on later (a delay rule): after `ms` */
  | 'delayed'
  /** a respond rule answered it; the answer is a received message marked by that rule */
  | 'answered'
  /** a close rule closed the socket after it */
  | 'closed';

/** Why: a breakpoint (and the user's decision), a rule, a timeout, or interception letting go (fail open). */
export type InterceptCause = 'breakpoint' | 'rule' | 'user' | 'timeout' | 'released';

/** Commands the panel sends a page hook for interception (besides the per-socket ones of messages.ts). */
export type InterceptCommand<P> =
  /** replace the page's interception config; null turns it off (and releases everything held) */
  | { op: 'intercept'; config: InterceptConfig | null }
  /** a held message: let it go (as edited, when `data` is given) or drop it */
  | { op: 'release'; c: ConnId; hold: number; action: 'forward' | 'drop'; data?: P }
  /** every held message of the page, in order */
  | { op: 'release-all'; action: 'forward' | 'drop' };
