/**
 * The panel's interception: what the user turned on (breakpoints, rules),
 * sent to every frame hook of the tab whenever it changes and again whenever
 * a hook says hello (a reload, a new frame, the background restarting: a hook
 * lets everything go and forgets its config when it is detached), and the
 * user's decisions on held messages. No DOM here; the Intercept tab draws it.
 */
import type { Rule } from '../protocol/intercept';
import type { Command, CommandResult, WirePayload } from '../protocol/messages';
import type { HeldMessage } from '../store/intercept-fold';
import type { Connection } from '../store/model';
import type { Store } from '../store/store';
import { compileCondition } from './condition';
import { configFor, DEFAULT_BREAKPOINTS, interceptionOn, type BreakpointSettings } from './config';
import type { RuleStorage } from './rule-storage';
import { compileRule, type RuleDraft, type RuleError } from './rules';

/** What interception needs of the link to the page (PanelLink). */
export interface HookLink {
  command(frameId: number, hook: string, cmd: Command): Promise<CommandResult>;
  frames(): { frameId: number; hook: string; url: string }[];
  onHello(fn: (frameId: number, hook: string) => void): () => void;
}

export type SavedState = 'unsaved' | 'saved' | 'changed';

/** The page's origin from its top document's URL (rules are kept per origin); null when it has none. */
export function pageOrigin(url: string): string | null {
  try {
    const o = new URL(url).origin;
    return o && o !== 'null' ? o : null;
  } catch {
    return null;
  }
}

export class Interception {
  breakpoints: BreakpointSettings = DEFAULT_BREAKPOINTS;
  /** the condition box as typed, and why it does not compile (the last one that did stays applied) */
  conditionText = '';
  conditionError: string | null = null;
  rules: RuleDraft[] = [];
  /** the page origin rules are saved for */
  origin: string | null = null;
  saved: SavedState = 'unsaved';
  /** the last thing that went wrong talking to the page (a refused config, a failed release) */
  problem: string | null = null;
  version = 0;
  private readonly listeners = new Set<() => void>();
  /** per frame: the hook and the config (as JSON) last sent to it */
  private readonly sentTo = new Map<number, { hook: string; json: string }>();
  /** configs sent and not yet answered */
  private inFlight = 0;
  private readonly unhello: () => void;
  /** a connection's protocol as the panel's decoders detected it (the panel sets it once its decoders load) */
  protocolOf: (c: Connection) => string | undefined = () => undefined;

  constructor(private readonly link: HookLink, private readonly store: Store, private readonly storage?: RuleStorage) {
    this.unhello = link.onHello((frameId, hook) => {
      // a hook saying hello holds nothing and has no config: what an earlier document held is gone
      this.sentTo.delete(frameId);
      if (this.store.intercepts.release((h) => h.conn.frameId === frameId && h.conn.hook !== hook)) this.store.touch();
      if (frameId === 0) this.originSeen();
      this.sync();
    });
    this.originSeen();
  }

  dispose(): void {
    this.unhello();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  /** Rules that compile, as the hook runs them. */
  compiledRules(): Rule[] {
    const out: Rule[] = [];
    for (const d of this.rules) {
      const r = compileRule(d);
      if (r.ok) out.push(r.rule);
    }
    return out;
  }

  /** Why a rule does not compile (it is then not sent). */
  ruleError(d: RuleDraft): RuleError | null {
    const r = compileRule(d);
    return r.ok ? null : { field: r.field, error: r.error };
  }

  /** Every frame hook has answered its latest settings (automation waits for it). */
  get applied(): boolean {
    return this.inFlight === 0;
  }

  /** A breakpoint or an enabled rule is on. */
  get active(): boolean {
    return interceptionOn(this.breakpoints, this.compiledRules());
  }

  // ---------- the user's settings ----------

  setBreakpoints(patch: Partial<BreakpointSettings>): void {
    this.breakpoints = { ...this.breakpoints, ...patch };
    this.changed();
    this.sync();
  }

  /** The condition box: applied when it compiles; otherwise the error shows and the last good one stays. */
  setCondition(text: string): void {
    this.conditionText = text;
    const c = compileCondition(text);
    this.conditionError = c.ok ? null : c.error;
    if (c.ok) this.breakpoints = { ...this.breakpoints, condition: c.value };
    this.changed();
    this.sync();
  }

  setRules(rules: RuleDraft[]): void {
    this.rules = rules;
    if (this.saved === 'saved') this.saved = 'changed';
    this.changed();
    this.sync();
  }

  /** Add a rule, or replace the one with its id. */
  putRule(d: RuleDraft): void {
    const i = this.rules.findIndex((r) => r.id === d.id);
    this.setRules(i < 0 ? [...this.rules, d] : this.rules.map((r, k) => (k === i ? d : r)));
  }

  removeRule(id: string): void {
    this.setRules(this.rules.filter((r) => r.id !== id));
  }

  setRuleEnabled(id: string, enabled: boolean): void {
    this.setRules(this.rules.map((r) => (r.id === id ? { ...r, enabled } : r)));
  }

  /** Everything off: both breakpoints, every rule (the page lets what it holds go, in order). */
  turnOff(): void {
    this.breakpoints = { ...this.breakpoints, sent: false, received: false };
    this.setRules(this.rules.map((r) => (r.enabled ? { ...r, enabled: false } : r)));
  }

  // ---------- saved rules ----------

  private originSeen(): void {
    const top = this.link.frames().find((f) => f.frameId === 0);
    const origin = top ? pageOrigin(top.url) : null;
    if (origin === null || origin === this.origin) return;
    this.origin = origin;
    this.saved = 'unsaved';
    this.changed();
    if (!this.storage) return;
    this.storage.load(origin).then((saved) => {
      if (this.origin !== origin || saved.length === 0) return;
      // rules made before the origin was known stay; saved ones come back as they were saved (on or off)
      const have = new Set(this.rules.map((r) => r.id));
      this.rules = [...this.rules, ...saved.filter((r) => !have.has(r.id))];
      this.saved = this.rules.length === saved.length ? 'saved' : 'changed';
      this.changed();
      this.sync();
    }, (e: unknown) => this.report(`Could not read the saved rules: ${String(e)}`));
  }

  async saveRules(): Promise<void> {
    if (!this.storage || !this.origin) return this.report('The page has no origin to save rules for.');
    try {
      await this.storage.save(this.origin, this.rules);
      this.saved = this.rules.length ? 'saved' : 'unsaved';
      this.problem = null;
      this.changed();
    } catch (e) {
      this.report(`Could not save the rules: ${String(e)}`);
    }
  }

  async forgetSavedRules(): Promise<void> {
    if (!this.storage || !this.origin) return;
    try {
      await this.storage.forget(this.origin);
      this.saved = 'unsaved';
      this.changed();
    } catch (e) {
      this.report(`Could not delete the saved rules: ${String(e)}`);
    }
  }

  private report(problem: string): void {
    this.problem = problem;
    this.changed();
  }

  // ---------- to the page ----------

  /**
   * Send each frame hook its config if it changed (settings, rules, connections in scope, detected protocols).
   * Cheap when nothing changed; called after every change and as traffic arrives.
   */
  sync(): void {
    const input = {
      breakpoints: this.breakpoints, rules: this.compiledRules(), connections: this.store.order, protocolOf: this.protocolOf,
    };
    for (const { frameId, hook } of this.link.frames()) {
      const config = configFor(input, frameId, hook);
      const json = JSON.stringify(config);
      const last = this.sentTo.get(frameId);
      if (last && last.hook === hook && last.json === json) continue;
      // nothing was ever sent to this hook: off is what it has
      if (!last && config === null) continue;
      this.sentTo.set(frameId, { hook, json });
      this.inFlight++;
      void this.link.command(frameId, hook, { op: 'intercept', config }).then((r) => {
        this.inFlight--;
        if (this.inFlight === 0) this.changed();
        // a frame that went (NotFoundError) gets its config again when its next document says hello
        if (!r.ok && r.error.name !== 'NotFoundError') this.report(`A frame did not take the interception settings: ${r.error.name}: ${r.error.message}`);
      });
    }
  }

  /** Let a held message go (as edited, when `data` is given) or drop it. Resolves with an error text, or null. */
  async release(h: HeldMessage, action: 'forward' | 'drop', data?: WirePayload): Promise<string | null> {
    const r = await this.link.command(h.conn.frameId, h.conn.hook, {
      op: 'release', c: h.conn.id, hold: h.hold, action, ...(data !== undefined ? { data } : {}),
    });
    if (r.ok) return null;
    // no longer held in the page (timed out, released, its page went): not in the queue either
    if (r.error.name === 'NotFoundError' && this.store.intercepts.release((x) => x === h)) this.store.touch();
    return `${r.error.name}: ${r.error.message}`;
  }

  /** Every held message of the tab, in order (Forward all, Drop all). */
  async releaseAll(action: 'forward' | 'drop'): Promise<string | null> {
    const hooks = new Map<string, { frameId: number; hook: string }>();
    for (const h of this.store.intercepts.held) hooks.set(`${h.conn.frameId}/${h.conn.hook}`, { frameId: h.conn.frameId, hook: h.conn.hook });
    const results = await Promise.all([...hooks.values()].map(({ frameId, hook }) => this.link.command(frameId, hook, { op: 'release-all', action })));
    const bad = results.find((r) => !r.ok);
    return bad && !bad.ok ? `${bad.error.name}: ${bad.error.message}` : null;
  }
}
