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

describe('the hook\'s copies (natives taken before the page patched anything)', () => {
  /** While fn runs, every lookup a copy could make on what the page controls throws, and is noted. */
  function hostile<T>(fn: () => T): { value: T; asked: string[] } {
    const asked: string[] = [];
    const saved: [object, PropertyKey, PropertyDescriptor | undefined][] = [];
    const trap = (obj: object, key: PropertyKey, name: string) => {
      saved.push([obj, key, Object.getOwnPropertyDescriptor(obj, key)]);
      Object.defineProperty(obj, key, { configurable: true, get() { asked.push(name); throw new Error(`page getter: ${name}`); } });
    };
    const typed = Object.getPrototypeOf(Uint8Array) as object;
    for (const [C, name] of [[ArrayBuffer, 'ArrayBuffer'], [Uint8Array, 'Uint8Array'], [Uint32Array, 'Uint32Array'], [Float64Array, 'Float64Array']] as const) {
      trap(C.prototype, 'constructor', `${name}.prototype.constructor`);
    }
    trap(ArrayBuffer, Symbol.species, 'ArrayBuffer[Symbol.species]');
    trap(typed, Symbol.species, 'TypedArray[Symbol.species]');
    try {
      return { value: fn(), asked };
    } finally {
      for (const [obj, key, d] of saved.reverse()) {
        if (d) Object.defineProperty(obj, key, d);
        else delete (obj as Record<PropertyKey, unknown>)[key];
      }
    }
  }

  it('copy bytes and take parts of columns without asking any constructor or species', async () => {
    const { takeDataNatives } = await import('../../src/capture/natives');
    const n = takeDataNatives(globalThis);
    const page = new Uint8Array([1, 2, 3, 4, 5]).buffer;
    const column = new Float64Array([1.5, 2.5, 3.5, 4.5]);
    const { value, asked } = hostile(() => ({ copy: n.copyBytes(page, 1, 4), part: n.typedPart(column, 1, 3) }));
    expect(asked).toEqual([]);
    expect([...new Uint8Array(value.copy)]).toEqual([2, 3, 4]);
    expect(value.copy).not.toBe(page);
    expect([...value.part]).toEqual([2.5, 3.5]);
    // what slice() does, for the record: it asks
    expect(hostile(() => { try { page.slice(0, 1); } catch { /* the page's getter threw */ } }).asked).toEqual(['ArrayBuffer.prototype.constructor']);
  });
});
