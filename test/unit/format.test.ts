import { describe, expect, it } from 'vitest';
import { base64Length, base64Prefix, base64ToBytes, bytesToBase64 } from '../../src/protocol/base64';
import { utf8Length } from '../../src/protocol/utf8';
import {
  formatBytes, formatRelative, formatTime, heldBytes, hexBytes, hexDump, prettyJson, previewPayload,
} from '../../src/ui/shared/format';
import { listKeyTarget } from '../../src/ui/shared/keys';
import { resolveTheme } from '../../src/ui/shell/theme';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Deterministic pseudo-random bytes (xorshift), so a failure reproduces. */
function randomBytes(n: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

describe('hex dump of a binary frame', () => {
  it('lays out offset, 8+8 hex bytes and an ASCII gutter like hexdump -C', () => {
    const dump = hexDump(ascii('Hello, WebSocket world!\n\x00\x01'));
    expect(dump.split('\n')).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 57  65 62 53 6f 63 6b 65 74  |Hello, WebSocket|',
      '00000010  20 77 6f 72 6c 64 21 0a  00 01                    | world!...|',
    ]);
  });

  it('keeps every line the same width up to the gutter, whatever the length', () => {
    for (const n of [1, 7, 8, 9, 15, 16, 17, 33]) {
      const lines = hexDump(randomBytes(n, n)).split('\n');
      expect(lines).toHaveLength(Math.ceil(n / 16));
      for (const line of lines) expect(line.indexOf('|')).toBe(60);
    }
  });

  it('counts offsets in hex past 255 bytes', () => {
    const lines = hexDump(new Uint8Array(300)).split('\n');
    expect(lines).toHaveLength(19);
    expect(lines[16]!.startsWith('00000100  ')).toBe(true);
    expect(lines[18]!.startsWith('00000120  ')).toBe(true);
  });

  it('shows non-printable and non-ASCII bytes as dots in the gutter', () => {
    expect(hexDump(new Uint8Array([0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff]))).toMatch(/\|\. ~\.\.\.\|$/);
  });

  it('stops at maxBytes', () => {
    expect(hexDump(new Uint8Array(1000), 32).split('\n')).toHaveLength(2);
  });

  it('is empty for no bytes', () => {
    expect(hexDump(new Uint8Array(0))).toBe('');
  });

  it('spells short hex runs with spaces', () => {
    expect(hexBytes(new Uint8Array([0, 15, 16, 255]))).toBe('00 0f 10 ff');
  });
});

describe('base64', () => {
  it('round-trips random bytes of many lengths', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 1000, 70_000]) {
      const bytes = randomBytes(n, n + 7);
      const b64 = bytesToBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(b64)).toEqual(bytes);
      expect(base64Length(b64)).toBe(n);
    }
  });

  it('decodes only the start of a long payload for a preview', () => {
    const bytes = randomBytes(5000, 3);
    const b64 = bytesToBase64(bytes);
    for (const n of [1, 2, 3, 4, 24, 25]) expect(base64Prefix(b64, n)).toEqual(bytes.subarray(0, n));
    expect(base64Prefix(bytesToBase64(bytes.subarray(0, 5)), 24)).toEqual(bytes.subarray(0, 5));
  });

  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('not base64!')).toThrow();
  });
});

describe('JSON detection', () => {
  it('pretty-prints objects and arrays', () => {
    expect(prettyJson('{"a":1,"b":[true,null]}')).toBe('{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}');
    expect(prettyJson('  [1,2]  ')).toBe('[\n  1,\n  2\n]');
  });

  it('leaves scalars, broken JSON and protocol prefixes alone', () => {
    for (const s of ['42', '"str"', 'true', 'null', '', '{"a":', 'hello', '42["event",{}]', '{a:1}']) {
      expect(prettyJson(s)).toBeNull();
    }
  });
});

describe('sizes', () => {
  it('uses B below a kibibyte and KB/MB above, with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1024.0 KB');
    expect(formatBytes(1024 * 1024)).toBe('1.0 MB');
    expect(formatBytes(16 * 1024 * 1024 + 512 * 1024)).toBe('16.5 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
    expect(formatBytes(-1)).toBe('?');
  });

  it('counts UTF-8 bytes of text the way TextEncoder does', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a😀é€\u0000', '\ud800 lone surrogate', 'x\udc00']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });

  it('knows how many bytes a held payload has', () => {
    expect(heldBytes(undefined)).toBe(0);
    expect(heldBytes('héllo')).toBe(6);
    expect(heldBytes({ b64: bytesToBase64(new Uint8Array(10)) })).toBe(10);
  });
});

describe('times', () => {
  it('shows local wall-clock time with milliseconds', () => {
    expect(formatTime(new Date(2024, 0, 2, 3, 4, 5, 6).getTime())).toBe('03:04:05.006');
    expect(formatTime(new Date(2024, 0, 2, 23, 59, 59, 999).getTime() + 0.4)).toBe('23:59:59.999');
  });

  it('shows time since a reference in ms, s or min', () => {
    expect(formatRelative(1012, 1000)).toBe('+12 ms');
    expect(formatRelative(1000.4, 1000)).toBe('+0 ms');
    expect(formatRelative(2500, 1000)).toBe('+1.50 s');
    expect(formatRelative(1000 + 125_000, 1000)).toBe('+2 min 05 s');
    expect(formatRelative(990, 1000)).toBe('-10 ms');
  });
});

describe('row previews', () => {
  it('keeps text on one line and cuts it at 200 characters', () => {
    expect(previewPayload('a\nb\r\n\tc')).toBe('a b c');
    const long = 'x'.repeat(500);
    const p = previewPayload(long);
    expect(p).toBe('x'.repeat(200) + '…');
  });

  it('shows binary as the first bytes in hex', () => {
    expect(previewPayload({ b64: bytesToBase64(new Uint8Array([1, 2, 255])) })).toBe('01 02 ff');
    const long = previewPayload({ b64: bytesToBase64(new Uint8Array(100).fill(0xab)) });
    expect(long).toBe(Array(24).fill('ab').join(' ') + ' …');
  });

  it('says when there is nothing to show yet', () => {
    expect(previewPayload(undefined)).toMatch(/not read yet/);
    expect(previewPayload({ b64: '' })).toBe('(empty)');
    expect(previewPayload({ b64: '!!!!' })).toBe('(undecodable binary)');
  });
});

describe('list keyboard navigation', () => {
  it('moves the selection with arrows, Home/End and pages, within bounds', () => {
    expect(listKeyTarget('ArrowDown', -1, 5, 3)).toBe(0);
    expect(listKeyTarget('ArrowDown', 4, 5, 3)).toBe(4);
    expect(listKeyTarget('ArrowUp', 0, 5, 3)).toBe(0);
    expect(listKeyTarget('ArrowUp', -1, 5, 3)).toBe(4);
    expect(listKeyTarget('Home', 3, 5, 3)).toBe(0);
    expect(listKeyTarget('End', 0, 5, 3)).toBe(4);
    expect(listKeyTarget('PageDown', 1, 5, 3)).toBe(4);
    expect(listKeyTarget('PageUp', 4, 5, 3)).toBe(1);
    expect(listKeyTarget('ArrowDown', -1, 0, 3)).toBeNull();
    expect(listKeyTarget('a', 1, 5, 3)).toBeNull();
  });
});

describe('theme', () => {
  it('follows DevTools, lets the URL override it, and falls back to the OS', () => {
    expect(resolveTheme({ devtools: 'dark' })).toBe('dark');
    expect(resolveTheme({ devtools: 'default' })).toBe('light');
    expect(resolveTheme({ devtools: 'light', query: 'dark' })).toBe('dark');
    expect(resolveTheme({ devtools: 'dark', query: 'light' })).toBe('light');
    expect(resolveTheme({ query: 'bogus', prefersDark: true })).toBe('dark');
    expect(resolveTheme({})).toBe('light');
  });
});
