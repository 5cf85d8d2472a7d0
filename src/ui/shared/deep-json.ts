/**
 * Captured JSON can nest as deep as its size allows (100,000 `[` in 200 KB): JSON.parse copes, but anything
 * that walks the value by recursion — a component per level, JSON.stringify — runs out of stack. The
 * panel's recursive views stop at MAX_JSON_DEPTH and show the rest as text, made here without recursion.
 */

/** Levels the JSON tree opens; deeper is shown as text from there. */
export const MAX_JSON_DEPTH = 100;

/** Deepest nesting JSON.stringify is asked to pretty-print (its recursion; and the indentation grows with depth). */
export const MAX_PRETTY_DEPTH = 1000;

/** How deeply a JSON text nests its arrays and objects (strings skipped), counting no further than `limit` + 1. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

type Frame = { kind: 'value'; v: unknown } | { kind: 'text'; s: string };

/**
 * A value as compact JSON text, at any depth (an explicit stack instead of recursion), cut once it is
 * longer than `maxChars`. Values JSON cannot hold print as JSON.stringify prints them inside arrays (null).
 */
export function jsonText(value: unknown, maxChars: number): { text: string; cut: boolean } {
  let out = '';
  const stack: Frame[] = [{ kind: 'value', v: value }];
  while (stack.length > 0) {
    if (out.length > maxChars) return { text: out.slice(0, maxChars), cut: true };
    const f = stack.pop()!;
    if (f.kind === 'text') { out += f.s; continue; }
    const v = f.v;
    if (v === null || typeof v !== 'object') {
      out += typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' && Number.isFinite(v) ? String(v)
        : typeof v === 'boolean' ? String(v) : typeof v === 'bigint' ? String(v) : 'null';
      continue;
    }
    const array = Array.isArray(v);
    const entries = array ? (v as unknown[]).map((x, i) => [i, x] as const) : Object.entries(v as object);
    // pushed in reverse, so they come off the stack in order
    stack.push({ kind: 'text', s: array ? ']' : '}' });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      stack.push({ kind: 'value', v: x });
      const sep = i > 0 ? ',' : '';
      stack.push({ kind: 'text', s: array ? sep : `${sep}${JSON.stringify(k)}:` });
    }
    out += array ? '[' : '{';
  }
  return { text: out, cut: false };
}
