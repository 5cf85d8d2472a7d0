import { describe, expect, it } from 'vitest';
import { padNativeText } from '../../src/build/native-text';

/** V8 prints a function as native code when its token is more than 65,535 characters from its parameters. */
const gap = (code: string, name: string) => code.indexOf('(', code.indexOf(name)) - code.indexOf(name);

describe('the native-text build step', () => {
  it('renames marked methods and function properties, with a gap V8 cannot slice', () => {
    const out = padNativeText('var a={__nativeText_send(e){return 1}}.__nativeText_send,b={__nativeText_WebSocket:function(e){}}.__nativeText_WebSocket;');
    expect(out).not.toContain('__nativeText_');
    expect(out).toMatch(/^var a=\{send\/\*wsi:native-text\s+\*\/\(e\)\{return 1\}\}\.send,b=\{WebSocket:function\/\*wsi:native-text\s+\*\/\(e\)\{\}\}\.WebSocket;$/);
    expect(gap(out, 'send')).toBeGreaterThan(65_535);
    expect(gap(out, 'WebSocket:function')).toBeGreaterThan(65_535);
  });

  it('fails the build when a marked name is used some other way', () => {
    expect(() => padNativeText('x["__nativeText_send"]')).toThrow(/__nativeText_send/);
  });

  it('leaves code without marks alone', () => {
    expect(padNativeText('send(1)')).toBe('send(1)');
  });
});
