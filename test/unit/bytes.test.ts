import { describe, expect, it } from 'vitest';
import { utf8Cut, utf8Length } from '../../src/protocol/utf8';

const cutText = (s: string, max: number) => s.slice(0, utf8Cut(s, max));

describe('utf8Length', () => {
  it('matches the bytes TextEncoder produces, for every kind of character', () => {
    for (const s of ['', 'hello', 'héllo', '✓ check', '😀 emoji', 'mixed é✓😀 text', 'x'.repeat(1000)]) {
      expect(utf8Length(s), s).toBe(new TextEncoder().encode(s).length);
    }
  });

  it('counts lone surrogates as U+FFFD (3 bytes), as send() transmits them', () => {
    for (const s of ['\ud800', 'a\udc00b', '\ud83d', 'end\ud83d']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });
});

describe('utf8Cut', () => {
  it('keeps short strings whole', () => {
    expect(cutText('hello', 100)).toBe('hello');
  });

  it('cuts to the byte budget without splitting a surrogate pair', () => {
    const s = 'ab😀cd';
    expect(cutText(s, 5)).toBe('ab'); // the emoji (4 bytes) does not fit after 2
    expect(cutText(s, 6)).toBe('ab😀');
    const cut = cutText('é'.repeat(100), 11);
    expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(11);
    expect(cut).toBe('é'.repeat(5));
  });
});
