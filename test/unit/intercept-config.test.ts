/** What the user types for interception, compiled into what the page hook runs; one config per hook. */
import { describe, expect, it } from 'vitest';
import { compileCondition, compileTextMatch } from '../../src/intercept/condition';
import { configFor, DEFAULT_BREAKPOINTS } from '../../src/intercept/config';
import { compileRule, newRule, type RuleDraft } from '../../src/intercept/rules';
import { isInterceptConfig } from '../../src/protocol/guards';
import type { WireEvent } from '../../src/protocol/messages';
import { Store } from '../../src/store/store';

describe('conditions', () => {
  it('text, /regex/flags and field terms, as the filter box reads them', () => {
    expect(compileCondition('')).toEqual({ ok: true, value: { source: '', terms: [] } });
    expect(compileCondition(' Secret ')).toEqual({ ok: true, value: { source: 'Secret', terms: [], text: { kind: 'substring', value: 'Secret' } } });
    expect(compileCondition('/^42\\["chat"/i')).toEqual({ ok: true, value: { source: '/^42\\["chat"/i', terms: [], text: { kind: 'regex', source: '^42\\["chat"', flags: 'i' } } });
    expect(compileCondition('event:"chat" -type:ping user.name:/^bo/i id:* hello')).toEqual({
      ok: true,
      value: {
        source: 'event:"chat" -type:ping user.name:/^bo/i id:* hello', text: { kind: 'substring', value: 'hello' },
        terms: [
          { name: 'event', negate: false, test: { kind: 'exact', value: 'chat' } },
          { name: 'type', negate: true, test: { kind: 'contains', value: 'ping' } },
          { name: 'user.name', negate: false, test: { kind: 'regex', source: '^bo', flags: 'i' } },
          { name: 'id', negate: false, test: { kind: 'exists' } },
        ],
      },
    });
  });

  it('says why it cannot be used: a bad regex, a term only the panel\'s decoders know, too long', () => {
    expect(compileCondition('/(x/')).toMatchObject({ ok: false, error: expect.stringContaining('Invalid regular expression') });
    expect(compileCondition('event:/(x/')).toMatchObject({ ok: false, error: expect.stringContaining('event:/(x/:') });
    expect(compileCondition('decoded:greet')).toMatchObject({ ok: false, error: expect.stringContaining('"decoded:" needs the panel\'s decoders') });
    expect(compileCondition('x'.repeat(5000))).toMatchObject({ ok: false, error: expect.stringContaining('too long') });
  });

  it('a replace rule\'s Match keeps the g flag; a URL match drops it', () => {
    expect(compileTextMatch('/a(b)/g', { global: true })).toEqual({ ok: true, value: { kind: 'regex', source: 'a(b)', flags: 'g' } });
    expect(compileTextMatch('/a(b)/gy')).toEqual({ ok: true, value: { kind: 'regex', source: 'a(b)', flags: '' } });
    expect(compileTextMatch('/api/v1')).toEqual({ ok: true, value: { kind: 'substring', value: '/api/v1' } });
    expect(compileTextMatch('')).toEqual({ ok: true, value: undefined });
  });
});

describe('rules', () => {
  const rule = (o: Partial<RuleDraft>): RuleDraft => ({ ...newRule(), ...o });
  it('compile to what the hook runs, or name the field at fault', () => {
    const r = compileRule(rule({ id: 'r1', name: '', direction: 'sent', url: '/chat', match: 'event:ask', action: { type: 'respond', body: '43{{ackId}}[1]', delayMs: 0, forward: false } }));
    expect(r).toEqual({
      ok: true,
      rule: {
        id: 'r1', name: 'respond 43{{ackId}}[1]', enabled: true, direction: 'sent', url: { kind: 'substring', value: '/chat' },
        match: { source: 'event:ask', terms: [{ name: 'event', negate: false, test: { kind: 'contains', value: 'ask' } }] },
        action: { type: 'respond', body: '43{{ackId}}[1]', delayMs: 0, forward: false },
      },
    });
    expect(compileRule(rule({ action: { type: 'replace', find: '', replace: 'x' } }))).toMatchObject({ ok: false, field: 'find' });
    expect(compileRule(rule({ action: { type: 'close', code: 1001, reason: '' } }))).toMatchObject({ ok: false, field: 'code' });
    expect(compileRule(rule({ action: { type: 'close', code: 4000, reason: 'é'.repeat(62) } }))).toMatchObject({ ok: false, field: 'reason' });
    expect(compileRule(rule({ action: { type: 'delay', ms: 0 } }))).toMatchObject({ ok: false, field: 'ms' });
    expect(compileRule(rule({ direction: 'received', action: { type: 'respond', body: '', delayMs: 0, forward: true } }))).toMatchObject({ ok: false, field: 'action' });
    expect(compileRule(rule({ match: '/(/' }))).toMatchObject({ ok: false, field: 'match' });
    expect(compileRule(rule({ action: { type: 'replace-json', path: 'a..b', value: '1' } }))).toMatchObject({ ok: false, field: 'path' });
  });
});

describe('the config each hook gets', () => {
  const store = new Store();
  const ev = (c: string, seq: number, e: Record<string, unknown>) => ({ c, seq, t: 1000 + seq, ...e }) as WireEvent;
  store.ingest(0, 'top', [ev('top.0', 0, { k: 'created', url: 'ws://a/chat', resolvedUrl: 'ws://a/chat', frameUrl: 'http://a/' })]);
  store.ingest(0, 'top', [ev('top.1', 0, { k: 'created', url: 'ws://a/feed', resolvedUrl: 'ws://a/feed', frameUrl: 'http://a/' })]);
  store.ingest(0, 'top', [ev('top.1', 1, { k: 'close', code: 1000, reason: '', wasClean: true, initiator: 'server' })]);
  store.ingest(2, 'sub', [ev('sub.0', 0, { k: 'created', url: 'ws://b/', resolvedUrl: 'ws://b/', frameUrl: 'http://b/' })]);
  const protocolOf = (c: { id: string }) => (c.id === 'top.0' ? 'socketio' : c.id === 'sub.0' ? 'stomp' : undefined);
  const rule = compileRule({ ...newRule('drop'), id: 'r1', match: 'noise' });
  if (!rule.ok) throw new Error('rule');

  it('is null when nothing is on (the page\'s hot path is then as without interception)', () => {
    expect(configFor({ breakpoints: DEFAULT_BREAKPOINTS, rules: [], connections: store.order, protocolOf }, 0, 'top')).toBeNull();
    expect(configFor({ breakpoints: DEFAULT_BREAKPOINTS, rules: [{ ...rule.rule, enabled: false }], connections: store.order, protocolOf }, 0, 'top')).toBeNull();
  });

  it('scopes breakpoints to that hook\'s connections, names the live ones\' protocols, carries the enabled rules; the guard takes it', () => {
    const key = store.order.find((c) => c.id === 'top.0')!.key;
    const breakpoints = { ...DEFAULT_BREAKPOINTS, sent: true, scope: { kind: 'conn' as const, key } };
    const top = configFor({ breakpoints, rules: [rule.rule], connections: store.order, protocolOf }, 0, 'top');
    expect(top).toEqual({
      scope: ['top.0'], heartbeats: false, timeout: { ms: 30_000, action: 'forward' }, rules: [rule.rule], protocols: { 'top.0': 'socketio' },
      sent: { condition: { source: '', terms: [] } },
    });
    expect(isInterceptConfig(top)).toBe(true);
    const sub = configFor({ breakpoints, rules: [rule.rule], connections: store.order, protocolOf }, 2, 'sub');
    expect(sub).toMatchObject({ scope: [], protocols: { 'sub.0': 'stomp' } });
    expect(configFor({ breakpoints: { ...breakpoints, scope: { kind: 'all' } }, rules: [], connections: store.order, protocolOf }, 2, 'sub'))
      .toMatchObject({ scope: 'all', rules: [] });
  });
});
