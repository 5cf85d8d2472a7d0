import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/capture/bytes';
import { fromBatch, toBatch } from '../../src/protocol/batch';
import type { CaptureEvent } from '../../src/protocol/events';

type E = CaptureEvent<ArrayBuffer>;

describe('batches: frames in columns, other events in place', () => {
  const events: E[] = [
    { k: 'created', c: 'a.0', seq: 0, t: 1, url: 'ws://x/', resolvedUrl: 'ws://x/', frameUrl: 'http://p/' },
    { k: 'frame', c: 'a.0', seq: 1, t: 2, dir: 'out', kind: 'text', as: 'coerced', size: 3, data: 'abc', buffered: 3 },
    { k: 'frame', c: 'a.1', seq: 4, t: 3, dir: 'in', kind: 'binary', as: 'ArrayBuffer', size: 9, data: new ArrayBuffer(2), truncated: true },
    { k: 'state', c: 'a.0', seq: 2, t: 4, state: 1, via: 'open' },
    { k: 'frame', c: 'a.0', seq: 3, t: 5, dir: 'out', kind: 'binary', as: 'Blob', size: 5, notSent: true, by: 'devtools' },
  ];

  it('round-trips every field, in order', () => {
    const b = toBatch(events);
    expect(b.events.map((e) => e.k)).toEqual(['created', 'state']);
    expect(b.at).toEqual([0, 3]);
    expect(b.frames.conns).toEqual(['a.0', 'a.1']);
    expect(fromBatch(b, utf8Length)).toEqual(events);
  });

  it('leaves whole texts to be measured by the panel', () => {
    const text: E = { k: 'frame', c: 'a.0', seq: 1, t: 2, dir: 'in', kind: 'text', as: 'string', size: -1, data: 'héllo ✓' };
    const b = toBatch([text]);
    expect(b.frames.size).toEqual([-1]);
    expect(fromBatch(b, utf8Length)[0]).toMatchObject({ size: 10, data: 'héllo ✓' });
  });
});
