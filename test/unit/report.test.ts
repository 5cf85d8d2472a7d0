import { describe, expect, it } from 'vitest';
import {
  connectionRow, connectionsTable, formatTable, frameCell, missingPaths, type ReportConnection,
} from '../../src/demo/report';

const conn = (over: Partial<ReportConnection> = {}): ReportConnection => ({
  url: 'ws://127.0.0.1:8080/echo',
  frameId: 0,
  frameUrl: 'http://127.0.0.1:8080/',
  state: 1,
  framesIn: 3,
  framesOut: 2,
  bytesIn: 1536,
  bytesOut: 10,
  dropped: 0,
  ...over,
});

describe('demo report', () => {
  it('names the frame: top, or the iframe id and path', () => {
    expect(frameCell({ frameId: 0, frameUrl: 'http://h/' })).toBe('top');
    expect(frameCell({ frameId: 7, frameUrl: 'http://h/frame.html?x=1' })).toBe('frame 7 /frame.html');
    expect(frameCell({ frameId: 7, frameUrl: '' })).toBe('frame 7');
  });

  it('turns a snapshot into cells: state name, counts with sizes, close code, dropped', () => {
    expect(connectionRow(conn())).toEqual(['ws://127.0.0.1:8080/echo', 'top', 'OPEN', '3 (1.5 KB)', '2 (10 B)', '-', '0']);
    const closed = connectionRow(conn({ state: 3, close: { code: 4000 }, dropped: 2 }));
    expect(closed.slice(2)).toEqual(['CLOSED', '3 (1.5 KB)', '2 (10 B)', '4000', '2']);
    expect(connectionRow(conn({ state: 'failed' }))[2]).toBe('failed');
  });

  it('aligns columns under a rule and trims trailing spaces', () => {
    expect(formatTable(['A', 'Long'], [['xyz', '1'], ['', '22']]).split('\n')).toEqual([
      '  A    Long',
      '  ───  ────',
      '  xyz  1',
      '       22',
    ]);
  });

  it('clips very long cells', () => {
    const url = `ws://h/${'x'.repeat(100)}`;
    const row = connectionsTable([conn({ url })]).split('\n')[2]!;
    expect(row).toContain(`${url.slice(0, 69)}…`);
    expect(row).not.toContain(url);
  });

  it('has a header row naming every column', () => {
    expect(connectionsTable([]).split('\n')[0]).toBe('  URL  Frame  State  In  Out  Close code  Dropped');
  });

  it('lists the expected paths no connection has', () => {
    const conns = [conn(), conn({ url: 'ws://127.0.0.1:8080/ticker?x' })];
    expect(missingPaths(conns, ['/echo', '/ticker', '/drop'])).toEqual(['/drop']);
  });
});
