/** A seeded PRNG (mulberry32) and input generators for the property-style fuzz tests. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const bytes = (max: number) => Uint8Array.from({ length: int(max + 1) }, () => int(256));
  /** strings biased towards the characters protocols care about */
  const text = (max: number) => {
    const alphabet = ['{', '}', '[', ']', '"', ':', ',', '\n', '\0', '\x1e', '-', '/', '\\', '0', '1', '2', '4', '5', 'a', 'é', '😀', ' ', 'null', 'true', '"id"', '"type"'];
    let s = '';
    const n = int(max + 1);
    for (let i = 0; i < n; i++) s += next() < 0.7 ? pick(alphabet) : String.fromCharCode(int(0x3000));
    return s;
  };
  /** a valid input cut short, or with a few bytes changed */
  const mutate = (b: Uint8Array): Uint8Array => {
    const out = next() < 0.5 ? b.slice(0, int(b.length + 1)) : b.slice();
    for (let i = int(4); i > 0 && out.length; i--) out[int(out.length)] = int(256);
    return out;
  };
  return { next, int, pick, bytes, text, mutate };
}
