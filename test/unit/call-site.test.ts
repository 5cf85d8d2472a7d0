/**
 * The hook's call-site stacks (src/capture/call-site.ts): who called, innermost first, without the hook's
 * own frames, without running page code (a page's prepareStackTrace, its stackTraceLimit) and leaving both
 * as they were; the stack-text parser for SpiderMonkey's and V8's formats.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseStackLine, stackTaker } from '../../src/capture/call-site';
import { takeDataNatives, type Natives } from '../../src/capture/natives';

const n = {
  ...takeDataNatives(globalThis), Error, Reflect, getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor, defineProperty: Object.defineProperty,
} as unknown as Natives;
const E = Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit?: number };
const saved = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')!;
const THIS_FILE = import.meta.url.startsWith('file://') ? new URL(import.meta.url).pathname : import.meta.url;

afterEach(() => {
  Object.defineProperty(Error, 'stackTraceLimit', saved);
  delete E.prepareStackTrace;
});

type Frames = { fn: string; url: string; line: number; col: number }[];
/** The hook's lists have no prototype (a page cannot reach them): as plain arrays for the assertions. */
const plain = (v: unknown): Frames | undefined => (v === undefined ? undefined : Array.from(v as Frames));

function pageCaller(take: () => unknown) {
  return plain(take());
}

describe('stackTaker (V8 call sites)', () => {
  it('gives the callers, innermost first, with 1-based line and column', () => {
    const take = stackTaker(n, '');
    const stack = pageCaller(take)!;
    expect(stack.length).toBeGreaterThan(1);
    const caller = stack.find((f) => f.fn === 'pageCaller')!;
    expect(caller.url).toContain('call-site.test.ts');
    expect(caller.line).toBeGreaterThan(20);
    expect(caller.col).toBeGreaterThan(0);
    expect(stack.length).toBeLessThanOrEqual(8);
  });

  it("leaves the hook's own script out", () => {
    const all = plain(stackTaker(n, '')())!;
    const own = all[0]!.url;
    const without = plain(stackTaker(n, own)())!;
    expect(without.every((f) => f.url !== own)).toBe(true);
  });

  it("runs no page code and puts the page's prepareStackTrace and stackTraceLimit back", () => {
    let called = 0;
    const pst = () => { called++; return 'page format'; };
    E.prepareStackTrace = pst;
    Object.defineProperty(Error, 'stackTraceLimit', { ...saved, value: 0 });
    const stack = stackTaker(n, '')();
    expect(stack!.length).toBeGreaterThan(0);
    expect(called).toBe(0);
    expect(E.prepareStackTrace).toBe(pst);
    expect(Error.stackTraceLimit).toBe(0);
    expect(new Error('x').stack).toBe('page format');
  });

  it('gives nothing rather than run a getter the page put on prepareStackTrace', () => {
    let read = 0;
    Object.defineProperty(Error, 'prepareStackTrace', { get: () => { read++; return undefined; }, configurable: true });
    expect(stackTaker(n, '')()).toBeUndefined();
    expect(read).toBe(0);
  });

  it('takes this file as the script of the caller', () => {
    expect(plain(stackTaker(n, '')())!.some((f) => f.url.includes(THIS_FILE.slice(-30)))).toBe(true);
  });
});

describe('parseStackLine', () => {
  const p = (line: string) => parseStackLine(n, line);
  it('reads SpiderMonkey lines', () => {
    expect(p('connect@https://app.test:8443/js/main.js?v=2:12:7')).toEqual({ fn: 'connect', url: 'https://app.test:8443/js/main.js?v=2', line: 12, col: 7 });
    expect(p('@https://app.test/inline:3:1')).toEqual({ fn: '', url: 'https://app.test/inline', line: 3, col: 1 });
    expect(p('async*start@blob:https://app.test/2f1c:1:20')).toEqual({ fn: 'async*start', url: 'blob:https://app.test/2f1c', line: 1, col: 20 });
  });
  it('reads V8 lines', () => {
    expect(p('    at Chat.open (https://app.test/chat.js:40:15)')).toEqual({ fn: 'Chat.open', url: 'https://app.test/chat.js', line: 40, col: 15 });
    expect(p('    at https://app.test/chat.js:41:3')).toEqual({ fn: '', url: 'https://app.test/chat.js', line: 41, col: 3 });
  });
  it('ignores what is not a frame', () => {
    expect(p('Error: boom')).toBeUndefined();
    expect(p('')).toBeUndefined();
    expect(p('fn@no-position')).toBeUndefined();
  });
});
