/** Loads the recorded frame fixtures (test/fixtures/frames/*.json) as decoder input. */
import { readFileSync } from 'node:fs';
import type { DecodeFrame } from '../../src/decode';
import type { FrameFixture } from '../fixtures/frames/record';

export function loadFixture(name: string): FrameFixture & { decodeFrames: DecodeFrame[] } {
  const f = JSON.parse(readFileSync(new URL(`../fixtures/frames/${name}.json`, import.meta.url), 'utf8')) as FrameFixture;
  const decodeFrames = f.frames.map((x): DecodeFrame => (x.kind === 'text'
    ? { dir: x.dir, kind: 'text', text: x.text ?? '' }
    : { dir: x.dir, kind: 'binary', bytes: new Uint8Array(Buffer.from(x.base64 ?? '', 'base64')) }));
  return { ...f, decodeFrames };
}
