/**
 * The panel's interception settings turned into the config each page hook
 * gets (protocol/intercept.ts `InterceptConfig`), one per hook: the scope as
 * that hook's connection ids, the protocols of its live connections (for
 * keep-alives), the enabled rules. Null when nothing is on, so the page's hot
 * path is as without interception.
 */
import type { Condition, HoldTimeout, InterceptConfig, Rule } from '../protocol/intercept';
import type { Connection } from '../store/model';

export type Scope = { kind: 'all' } | { kind: 'conn'; key: string };

export interface BreakpointSettings {
  /** the toggles Intercept sent / Intercept received */
  sent: boolean;
  received: boolean;
  /** every connection of the tab (new ones too), or one */
  scope: Scope;
  /** what a message must match to be held (the last condition that compiled) */
  condition: Condition;
  /** hold protocol keep-alives too */
  heartbeats: boolean;
  timeout: HoldTimeout;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** The longest a held message may wait (the hook fails open after it at the latest). */
export const MAX_TIMEOUT_MS = 600_000;

export const DEFAULT_BREAKPOINTS: BreakpointSettings = {
  sent: false, received: false, scope: { kind: 'all' }, condition: { source: '', terms: [] }, heartbeats: false,
  timeout: { ms: DEFAULT_TIMEOUT_MS, action: 'forward' },
};

/** Anything on: a breakpoint, or an enabled rule. */
export function interceptionOn(b: BreakpointSettings, rules: readonly Rule[]): boolean {
  return b.sent || b.received || rules.some((r) => r.enabled);
}

export interface ConfigInput {
  breakpoints: BreakpointSettings;
  /** every rule that compiled (disabled ones are left out of the config) */
  rules: readonly Rule[];
  /** the panel's connections */
  connections: readonly Connection[];
  /** a connection's protocol as the decoders detected it ('socketio', 'stomp' …), if any */
  protocolOf: (c: Connection) => string | undefined;
}

/** The config for one frame's hook; null when nothing is on. */
export function configFor(input: ConfigInput, frameId: number, hook: string): InterceptConfig | null {
  const { breakpoints: b } = input;
  const rules = input.rules.filter((r) => r.enabled);
  if (!b.sent && !b.received && rules.length === 0) return null;
  const mine = input.connections.filter((c) => c.frameId === frameId && c.hook === hook && !c.imported);
  const protocols: Record<string, string> = {};
  for (const c of mine) {
    if (c.close || c.state === 3 || c.state === 'failed') continue;
    const p = input.protocolOf(c);
    if (p !== undefined && p.length <= 64) protocols[c.id] = p;
  }
  const only = b.scope.kind === 'conn' ? b.scope.key : undefined;
  const scope = only === undefined ? 'all' as const : mine.filter((c) => c.key === only).map((c) => c.id);
  const breakpoint = { condition: b.condition };
  return {
    scope, heartbeats: b.heartbeats, timeout: b.timeout, rules, protocols,
    ...(b.sent ? { sent: breakpoint } : {}), ...(b.received ? { received: breakpoint } : {}),
  };
}
