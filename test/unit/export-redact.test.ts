import { describe, expect, it } from 'vitest';
import { compilePatterns, exportNdjson, Redactor } from '../../src/export';
import { SECRET_JWT, sampleEvents, storeOf } from './export-helpers';

describe('Redactor', () => {
  it('URL query secrets and user:password@, leaving the rest of the URL byte for byte', () => {
    const r = new Redactor();
    expect(r.url('wss://u:p4ss@h.example/ws?access_token=abc&room=7&apiKey=k1&sig=zz#x')).toBe('wss://REDACTED@h.example/ws?access_token=REDACTED&room=7&apiKey=REDACTED&sig=REDACTED#x');
    expect(r.url('wss://h/ws?X-Amz-Signature=ab&x-amz-credential=cd&session_id=9&empty=&key=')).toBe('wss://h/ws?X-Amz-Signature=REDACTED&x-amz-credential=REDACTED&session_id=REDACTED&empty=&key=');
    expect(r.summary().counts).toEqual({ 'url-userinfo': 1, 'url-secret': 6 });
  });

  it('JWTs anywhere, Authorization credentials, secret-named fields, STOMP passcode, URLs inside payloads', () => {
    const r = new Redactor();
    expect(r.text(`{"token":"${SECRET_JWT}","user":"ada"}`)).toBe('{"token":"[REDACTED]","user":"ada"}');
    expect(r.text('{"password": "hunter2", "note": "Bearer abcdefgh12345"}')).toBe('{"password": "[REDACTED]", "note": "Bearer [REDACTED]"}');
    expect(r.text('CONNECT\nlogin:guest\npasscode:guest\n\n\0')).toBe('CONNECT\nlogin:guest\npasscode:[REDACTED]\n\n\0');
    expect(r.text('see https://x.example/cb?code=123&state=ok')).toBe('see https://x.example/cb?code=REDACTED&state=ok');
    expect(r.text(`jwt in text: ${SECRET_JWT}.`)).toBe('jwt in text: [REDACTED].');
    expect(r.summary().counts).toEqual({ 'secret-field': 3, 'auth-header': 1, 'url-secret': 1, jwt: 1 });
    expect(r.summary().text).toBe('Redacted 6: 3 secret fields, 1 Authorization credential, 1 URL secret, 1 JWT');
  });

  it('binary payloads keep their length (masked with *)', () => {
    const r = new Redactor();
    const bytes = new Uint8Array([0x92, 0xda, 0, SECRET_JWT.length, ...new TextEncoder().encode(SECRET_JWT), 0x01]);
    const out = r.bytes(bytes);
    expect(out.length).toBe(bytes.length);
    expect(new TextDecoder().decode(out.subarray(4, -1))).toBe('*'.repeat(SECRET_JWT.length));
    expect(out[0]).toBe(0x92);
  });

  it('user patterns, with a clear error for an invalid one; off means untouched', () => {
    const ok = compilePatterns(['acct-\\d+', '/secret-[a-z]+/i']);
    if (!ok.ok) throw new Error(ok.error);
    const r = new Redactor({ patterns: ok.patterns });
    expect(r.text('acct-42 and SECRET-abc and acct-x')).toBe('[REDACTED] and [REDACTED] and acct-x');
    expect(r.summary().counts.custom).toBe(2);
    expect(compilePatterns(['ok', '(unclosed'])).toMatchObject({ ok: false, error: expect.stringMatching(/^pattern 2 \("\(unclosed"\): /) });
    const off = new Redactor({ enabled: false });
    expect(off.text(SECRET_JWT)).toBe(SECRET_JWT);
    expect(off.summary()).toEqual({ enabled: false, counts: {}, total: 0, text: 'Redaction off: secrets are exported as captured' });
    const noJwt = new Redactor({ rules: { jwt: false } });
    expect(noJwt.text(SECRET_JWT)).toBe(SECRET_JWT);
  });

  it('an NDJSON export is redacted by default (URLs, payloads) and says so in its header', () => {
    const { text, redaction } = exportNdjson(storeOf(sampleEvents()).order);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain(SECRET_JWT);
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ redaction: { enabled: true, total: redaction.total } });
    expect(redaction.total).toBeGreaterThanOrEqual(3);
  });
});
