/**
 * UTF-8 sizes of JS strings, without encoding them: what a text message takes
 * on the wire (lone surrogates become U+FFFD: 3 bytes), and how much of a
 * string fits in a byte budget. One implementation for the panel and the page
 * hook; the hook passes the String.prototype.charCodeAt it took at start (a
 * page may replace the one on the prototype).
 */
export type CharCodeAt = (s: string, i: number) => number;

const charCodeAt: CharCodeAt = (s, i) => s.charCodeAt(i);

/** Bytes the string takes on the wire. */
export function utf8Length(s: string, code: CharCodeAt = charCodeAt): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = code(s, i);
    if (c < 0x80) continue;
    if (c < 0x800) { n += 1; continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = code(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n += 2; i++; continue; } // 4 bytes for 2 units
    }
    n += 2; // BMP char or lone surrogate: 3 bytes for 1 unit
  }
  return n;
}

/** How many UTF-16 units from the start fit in `maxBytes` UTF-8 bytes (never splitting a pair). */
export function utf8Cut(s: string, maxBytes: number, code: CharCodeAt = charCodeAt): number {
  if (s.length * 3 <= maxBytes) return s.length;
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const c = code(s, i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (code(s, i + 1) & 0xfc00) === 0xdc00;
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + w > maxBytes) break;
    bytes += w;
    i += pair ? 2 : 1;
  }
  return i;
}

/** A text as UTF-8 carries it: lone surrogates become U+FFFD (ES2024 string methods, in every browser the extension supports). */
export function wellFormed(s: string): string {
  const str = s as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  return str.isWellFormed() ? s : str.toWellFormed();
}
