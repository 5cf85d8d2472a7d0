/**
 * Where JSON text stops being valid: the offset of the first bad character
 * (text.length when it ends too early; -1 when it is valid). JSON.parse
 * messages differ between engines and some name no position, so imports find it
 * themselves. Only run after JSON.parse failed; a loop with an explicit stack,
 * so deep nesting cannot overflow.
 */
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export function jsonErrorOffset(s: string): number {
  let i = 0;
  const stack: string[] = [];
  let state: 'value' | 'key' | 'after' = 'value';
  const ws = () => { while (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r') i++; };
  /** reads a string at s[i] === '"'; false (i at the bad character) when invalid */
  const string = (): boolean => {
    for (i++; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22) { i++; return true; }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = s[++i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(s[i + k] ?? '')) { i += k; return false; }
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) return false;
      }
    }
    return false;
  };
  for (let guard = 0; guard <= s.length * 2 + 2; guard++) {
    ws();
    if (state === 'value') {
      const c = s[i];
      if (c === '{' || c === '[') {
        stack.push(c === '{' ? '}' : ']');
        i++;
        ws();
        if (s[i] === stack[stack.length - 1]) { stack.pop(); i++; state = 'after'; } else state = c === '{' ? 'key' : 'value';
        continue;
      }
      if (c === '"') { if (!string()) return Math.min(i, s.length); state = 'after'; continue; }
      const lit = ['true', 'false', 'null'].find((l) => s.startsWith(l, i));
      if (lit) { i += lit.length; state = 'after'; continue; }
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (!m || m[0] === '') {
        // a literal cut short ("tr") is an early end, not a bad character
        return ['true', 'false', 'null'].some((l) => i < s.length && l.startsWith(s.slice(i))) ? s.length : Math.min(i, s.length);
      }
      i += m[0].length;
      state = 'after';
    } else if (state === 'key') {
      if (s[i] !== '"' || !string()) return Math.min(i, s.length);
      ws();
      if (s[i] !== ':') return Math.min(i, s.length);
      i++;
      state = 'value';
    } else {
      const close = stack[stack.length - 1];
      if (close === undefined) return i < s.length ? i : -1;
      if (s[i] === ',') { i++; state = close === '}' ? 'key' : 'value'; } else if (s[i] === close) { stack.pop(); i++; } else return Math.min(i, s.length);
    }
  }
  return Math.min(i, s.length);
}
