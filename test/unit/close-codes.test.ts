import { describe, expect, it } from 'vitest';
import { explainClose, explainInitiator, rangeLabel } from '../../src/explain/close-codes';

describe('a user reading a close code', () => {
  const standard: Array<[number, string, string]> = [
    [1000, 'Normal Closure', 'standard'],
    [1001, 'Going Away', 'standard'],
    [1002, 'Protocol Error', 'standard'],
    [1003, 'Unsupported Data', 'standard'],
    [1004, 'Reserved', 'reserved'],
    [1005, 'No Status Received', 'standard'],
    [1006, 'Abnormal Closure', 'standard'],
    [1007, 'Invalid Frame Payload Data', 'standard'],
    [1008, 'Policy Violation', 'standard'],
    [1009, 'Message Too Big', 'standard'],
    [1010, 'Mandatory Extension', 'standard'],
    [1011, 'Internal Error', 'standard'],
    [1012, 'Service Restart', 'iana'],
    [1013, 'Try Again Later', 'iana'],
    [1014, 'Bad Gateway', 'iana'],
    [1015, 'TLS Handshake', 'standard'],
  ];

  it.each(standard)('sees %i named %s (%s)', (code, name, range) => {
    const e = explainClose(code);
    expect(e.name).toBe(name);
    expect(e.range).toBe(range);
    expect(e.meaning.length).toBeGreaterThan(20);
  });

  it('gets a distinct meaning for every standard code', () => {
    const meanings = standard.map(([code]) => explainClose(code).meaning);
    expect(new Set(meanings).size).toBe(meanings.length);
  });

  it('learns where to look when a connection died without a close frame (1006)', () => {
    const hint = explainClose(1006).hint ?? '';
    expect(hint).toMatch(/no close frame/i);
    for (const cause of [/network/i, /idle timeout/i, /proxy/i, /crash/i, /TLS/]) expect(hint).toMatch(cause);
  });

  it('is told that 1005 and 1015 are never sent on the wire', () => {
    expect(explainClose(1005).hint).toMatch(/never sent/i);
    expect(explainClose(1015).hint).toMatch(/never sent/i);
  });

  it.each([1016, 1100, 2000, 2999])('sees %i as reserved for the protocol', (code) => {
    const e = explainClose(code);
    expect(e.range).toBe('reserved');
    expect(e.name).toBe('Reserved for the protocol');
  });

  it('sees the well-known library codes by name', () => {
    expect(explainClose(3000)).toMatchObject({ range: 'library', name: 'Unauthorized' });
    expect(explainClose(3003)).toMatchObject({ range: 'library', name: 'Forbidden' });
    expect(explainClose(3008)).toMatchObject({ range: 'library', name: 'Timeout' });
  });

  it.each([3001, 3500, 3999])('sees other 3xxx codes (%i) as library codes', (code) => {
    expect(explainClose(code)).toMatchObject({ range: 'library', name: 'Library or framework code' });
  });

  it.each([4000, 4001, 4500, 4999])('sees %i as application-defined', (code) => {
    const e = explainClose(code);
    expect(e.range).toBe('application');
    expect(e.meaning).toMatch(/private/i);
  });

  it.each([0, 1, 500, 999])('sees %i as an unused code', (code) => {
    expect(explainClose(code)).toMatchObject({ range: 'invalid', name: 'Unused code' });
  });

  it.each([-1, 5000, 65535, 1000.5, Number.NaN, Number.POSITIVE_INFINITY])('sees %s as not a close code', (code) => {
    expect(explainClose(code)).toMatchObject({ range: 'invalid', name: 'Invalid code' });
  });

  it('cannot change the table through a returned explanation', () => {
    const e = explainClose(1000);
    e.name = 'changed';
    expect(explainClose(1000).name).toBe('Normal Closure');
  });

  it('has a label for every range', () => {
    for (const r of ['standard', 'reserved', 'iana', 'library', 'application', 'invalid'] as const) {
      expect(rangeLabel(r).length).toBeGreaterThan(0);
    }
  });
});

describe('a user asking who closed the connection', () => {
  it('is told when the page closed it', () => {
    expect(explainInitiator('page', true)).toMatch(/^The page called close\(\)/);
    expect(explainInitiator('page', false)).toMatch(/^The page called close\(\).*not complete cleanly/);
  });

  it('is told when the server closed it', () => {
    expect(explainInitiator('server', true)).toMatch(/^The server closed the connection/);
    expect(explainInitiator('server', false)).toMatch(/not cleanly/);
  });

  it('is told when nobody closed it and the connection just dropped', () => {
    expect(explainInitiator('network', false)).toMatch(/^No closing handshake: the connection dropped/);
  });
});
