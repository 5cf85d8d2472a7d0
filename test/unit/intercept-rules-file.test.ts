/** Rules as files and in storage, checked with positions; a held message's editor and what Forward sends. */
import { describe, expect, it } from 'vitest';
import { compactJson, prettyJson } from '../../src/compose/json-layout';
import { payloadDiff } from '../../src/intercept/diff';
import { editorDraftOf, releaseData, switchFormat } from '../../src/intercept/held-edit';
import { RuleStorage } from '../../src/intercept/rule-storage';
import { exportRules, importRules, RULES_FORMAT } from '../../src/intercept/rules-file';
import { newRule, type RuleDraft } from '../../src/intercept/rules';

const rules: RuleDraft[] = [
  { id: 'a', name: 'cheap', enabled: true, direction: 'sent', url: '/shop', match: 'type:order', action: { type: 'replace-json', path: 'price', value: '0' } },
  { id: 'b', name: '', enabled: false, direction: 'received', url: '', match: '/"typing"/', action: { type: 'drop' } },
  { id: 'c', name: 'mock', enabled: true, direction: 'sent', url: '', match: 'event:ask', action: { type: 'respond', body: '43{{ackId}}[1]', delayMs: 5, forward: true } },
];

describe('rules files', () => {
  it('export and import round trip', () => {
    const text = exportRules(rules, 'https://app.example');
    expect(JSON.parse(text)).toMatchObject({ format: RULES_FORMAT, version: 1, origin: 'https://app.example' });
    expect(importRules(text)).toEqual({ ok: true, rules });
  });

  it('errors say where: JSON line and column, the field\'s path, and why a rule does not compile', () => {
    expect(importRules('{\n  "format": "websocket-inspector-rules",\n  "rules": [,]\n}')).toEqual({
      ok: false, error: expect.stringMatching(/^Not valid rules file \(JSON\) at line 3, column 13/),
    });
    expect(importRules('{"format":"something-else","version":1,"rules":[]}')).toMatchObject({ ok: false, error: expect.stringContaining('not a rules file') });
    const file = (r: unknown[]) => JSON.stringify({ format: RULES_FORMAT, version: 1, rules: r });
    expect(importRules(file([rules[0], { ...rules[1], direction: 'up' }]))).toEqual({ ok: false, error: 'rules[1].direction: expected "sent", "received" or "both", got "up"' });
    expect(importRules(file([{ ...rules[0], action: { type: 'close', code: 1001, reason: '' } }])))
      .toEqual({ ok: false, error: 'rules[0].action.code: a close code the browser lets a page use: 1000, or 3000–4999' });
    expect(importRules(file([{ ...rules[0], match: 'event:/(/' }]))).toMatchObject({ ok: false, error: expect.stringMatching(/^rules\[0\]\.match: event:\/\(\/:/) });
    expect(importRules(file([{ ...rules[0], enabled: 'yes' }]))).toEqual({ ok: false, error: 'rules[0].enabled: expected true or false, got "yes"' });
  });

  it('gives rules with the same id new ids', () => {
    const r = importRules(exportRules([rules[0]!, rules[0]!]));
    if (!r.ok) throw new Error(r.error);
    expect(new Set(r.rules.map((x) => x.id)).size).toBe(2);
  });
});

describe('saved rules', () => {
  it('are kept per origin only when saved, read back checked, forgotten on request', async () => {
    const data: Record<string, unknown> = {};
    const area = {
      get: async (k: string) => (k in data ? { [k]: data[k] } : {}),
      set: async (items: Record<string, unknown>) => { Object.assign(data, JSON.parse(JSON.stringify(items))); },
      remove: async (k: string) => { delete data[k]; },
    };
    const storage = new RuleStorage(area);
    expect(await storage.load('https://a')).toEqual([]);
    await storage.save('https://a', rules);
    expect(Object.keys(data)).toEqual(['intercept-rules:https://a']);
    expect(await storage.load('https://a')).toEqual(rules);
    expect(await storage.load('https://b')).toEqual([]);
    data['intercept-rules:https://b'] = { format: RULES_FORMAT, version: 1, rules: [{ nonsense: true }] };
    expect(await storage.load('https://b')).toEqual([]);
    await storage.forget('https://a');
    expect(data).not.toHaveProperty('intercept-rules:https://a');
    expect(newRule().enabled).toBe(true);
  });
});

describe('editing a held message', () => {
  it('JSON is laid out without being parsed: numbers stay as written', () => {
    const raw = '{"id":12345678901234567890,"p":1.0,"a":[],"s":"a, b: {c}"}';
    expect(prettyJson(raw)).toBe('{\n  "id": 12345678901234567890,\n  "p": 1.0,\n  "a": [],\n  "s": "a, b: {c}"\n}');
    expect(compactJson(prettyJson(raw))).toBe(raw);
  });

  it('Forward sends nothing new when nothing changed, compact JSON when it came compact, bytes as typed', () => {
    const json = '{"n":1,"big":12345678901234567890}';
    const d = editorDraftOf(json);
    expect(d.format).toBe('json');
    expect(releaseData(json, d)).toEqual({ ok: true, data: undefined });
    expect(releaseData(json, { ...d, text: d.text.replace('1,', '2,') })).toEqual({ ok: true, data: '{"n":2,"big":12345678901234567890}' });
    expect(releaseData(json, { ...d, text: '{"n": ' })).toMatchObject({ ok: false, error: expect.stringContaining('invalid JSON') });
    expect(releaseData('plain', editorDraftOf('plain'))).toEqual({ ok: true, data: undefined });
    const bin = { b64: 'AQID' };
    expect(editorDraftOf(bin)).toEqual({ format: 'hex', text: '01 02 03' });
    expect(releaseData(bin, { format: 'hex', text: '01 02 03' })).toEqual({ ok: true, data: undefined });
    expect(releaseData(bin, { format: 'hex', text: '01 02 0g' })).toMatchObject({ ok: false, error: expect.stringContaining('position 7') });
    expect(releaseData('hold me', switchFormat(editorDraftOf('hold me'), 'hex', 'hold me'))).toEqual({ ok: true, data: { b64: 'aG9sZCBtZQ==' } });
    expect(switchFormat({ format: 'hex', text: '68 69' }, 'text', bin)).toEqual({ format: 'text', text: 'hi' });
  });

  it('the diff of the original and the changed payload, line by line for JSON', () => {
    expect(payloadDiff('{"a":1,"b":2}', '{"a":1,"b":3}')).toEqual([
      { kind: 'same', text: '{\n  "a": 1,\n' }, { kind: 'removed', text: '  "b": 2\n' }, { kind: 'added', text: '  "b": 3\n' }, { kind: 'same', text: '}' },
    ]);
    expect(payloadDiff('price=1', 'price=0')).toEqual([{ kind: 'same', text: 'price=' }, { kind: 'removed', text: '1' }, { kind: 'added', text: '0' }]);
  });
});
