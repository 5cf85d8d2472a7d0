/**
 * The panel's layout logic without a browser: which frame-grid columns fit
 * beside the payload and how wide a column may be dragged, what storage gives
 * back for widths and panes (hostile values dropped), and how a plain JSON
 * message's fields read in the Decoded section.
 */
import { describe, expect, it } from 'vitest';
import { fieldText, jsonSummary } from '../../src/ui/decoded/JsonFields';
import { fitColumns, maxWidthOf, MIN_COLUMN, usedWidth } from '../../src/ui/frames/column-layout';
import { tracksOf } from '../../src/ui/shared/grid-tracks';
import { DATA_MIN, FRAME_COLUMNS } from '../../src/ui/frames/frame-columns';
import { asColumnWidths, asLayout, DEFAULT_LAYOUT, LayoutSettings } from '../../src/ui/shell/layout-settings';

const NONE = new Map<string, number>();
const withoutConn = FRAME_COLUMNS.filter((c) => c.id !== 'conn' && c.id !== 'decoded');
const ids = (cols: { id: string }[]) => cols.map((c) => c.id);

describe('frame grid columns', () => {
  it('keeps every column when there is room, and Data takes what is left', () => {
    const fit = fitColumns(withoutConn, NONE, 1200);
    expect(ids(fit.shown)).toEqual(['mark', 'dir', 'time', 'since', 'size', 'type', 'data']);
    expect(fit.squeezed).toEqual([]);
    // in pixels, as minmax(DATA_MIN, 1fr) resolves: all the room the others leave
    expect(fit.template).toBe(`22px 28px 92px 74px 60px 44px ${1200 - 22 - 28 - 92 - 74 - 60 - 44}px`);
    // not measured yet: the fr track itself
    expect(fitColumns(withoutConn, NONE, 0).template).toBe(`22px 28px 92px 74px 60px 44px minmax(${DATA_MIN}px, 1fr)`);
  });

  it('hides optional columns, lowest priority first, so the payload keeps its minimum (DevTools docked right)', () => {
    const fit = fitColumns(withoutConn, NONE, 505);
    expect(fit.squeezed).toEqual(['since', 'size']);
    expect(usedWidth(fit.shown, NONE)).toBeLessThanOrEqual(505);
    expect(ids(fit.shown)).toContain('data');
    // very narrow: everything optional goes, Data stays
    expect(ids(fitColumns(FRAME_COLUMNS, NONE, 200).shown)).toEqual(['mark', 'dir', 'data']);
  });

  it('the Decoded column shares the room with Data, a smaller share', () => {
    const decoded = FRAME_COLUMNS.find((c) => c.id === 'decoded')!;
    const data = FRAME_COLUMNS.find((c) => c.id === 'data')!;
    expect(decoded.flex!).toBeLessThan(data.flex!);
    expect(fitColumns([decoded, data], NONE, 0).template).toBe(`minmax(110px, ${decoded.flex}fr) minmax(${DATA_MIN}px, 1fr)`);
    // in pixels: shares by flex factor (0.5 : 1 of 900 px), each at least its minimum
    expect([decoded.flex, data.flex, decoded.width, data.width]).toEqual([0.5, 1, 110, DATA_MIN]);
    expect(fitColumns([decoded, data], NONE, 900).template).toBe('300px 600px');
    // Data's share (400 of 600) is over its minimum, Decoded's (200) too: both by share
    expect(fitColumns([decoded, data], NONE, 600).template).toBe('200px 400px');
    // Data's share would be under its minimum: it keeps it, Decoded takes the rest
    expect(fitColumns([decoded, data], NONE, 420).template).toBe(`130px ${DATA_MIN}px`);
  });

  it('uses the widths the user set, and caps a drag where the payload would drop under its minimum', () => {
    const widths = new Map([['time', 150], ['decoded', 200]]);
    expect(fitColumns(FRAME_COLUMNS, widths, 2000).template).toContain('150px');
    expect(fitColumns(FRAME_COLUMNS, widths, 2000).template).toContain(' 200px ');
    const shown = fitColumns(withoutConn, NONE, 800).shown;
    const max = maxWidthOf('time', shown, NONE, 800);
    expect(usedWidth(shown, new Map([['time', max]]))).toBe(800);
    expect(maxWidthOf('time', shown, NONE, 100)).toBe(MIN_COLUMN);
    // not measured yet: no cap beyond the largest
    expect(maxWidthOf('time', shown, NONE, 0)).toBeGreaterThan(1000);
  });
});

describe('layout settings from storage', () => {
  it('keeps sane widths and drops anything else', () => {
    expect([...asColumnWidths({ time: 120, size: -3, x: 'wide', ['y'.repeat(40)]: 100, type: 1e9, conn: 80.6 })]).toEqual([['time', 120], ['conn', 81]]);
    expect(asColumnWidths(null).size).toBe(0);
    expect(asColumnWidths([100, 200]).size).toBe(0);
  });

  it('keeps sane pane sizes and falls back to the defaults', () => {
    const layout = { connHeight: 120, connCollapsed: true, sideBySide: 70, stacked: 40 };
    expect(asLayout(layout)).toEqual(layout);
    expect(asLayout({ connHeight: '9', connCollapsed: 'yes', sideBySide: 99, stacked: -1 })).toEqual({ ...DEFAULT_LAYOUT, connHeight: undefined });
    expect(asLayout('junk')).toEqual(DEFAULT_LAYOUT);
  });

  it('round-trips through a storage area', async () => {
    const store = new Map<string, unknown>();
    const area = {
      get: async (k: string) => (store.has(k) ? { [k]: store.get(k) } : {}),
      set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) store.set(k, JSON.parse(JSON.stringify(v))); },
      remove: async (k: string) => { store.delete(k); },
    };
    const s = new LayoutSettings(area);
    expect((await s.columnWidths()).size).toBe(0);
    await s.setColumnWidths(new Map([['time', 130]]));
    expect([...await s.columnWidths()]).toEqual([['time', 130]]);
    await s.setLayout({ ...DEFAULT_LAYOUT, connCollapsed: true });
    expect((await s.layout()).connCollapsed).toBe(true);
  });
});

describe('a plain JSON message in the Decoded section', () => {
  it('names its keys, and sizes nested values instead of dumping them', () => {
    expect(jsonSummary({ type: 'price', symbol: 'X', bid: 1, ask: 2, volume: 3, seq: 4, venue: 'v' })).toBe('JSON {type, symbol, bid, ask, volume, seq, …}');
    expect(jsonSummary([1, 2, 3])).toBe('JSON array of 3');
    expect(fieldText('a "quoted" string')).toBe('a "quoted" string');
    expect(fieldText({ a: 1, b: 2 })).toBe('{…} 2 keys');
    expect(fieldText([1])).toBe('[…] 1 item');
    expect(fieldText(null)).toBe('null');
    expect(fieldText('x'.repeat(400))).toHaveLength(301);
  });
});

describe('grid tracks in pixels (shared by the frame grid and the connection list)', () => {
  const cols = [{ id: 'n', width: 30 }, { id: 'url', width: 150, flex: 3 }, { id: 'frame', width: 80, flex: 1.2 }, { id: 'state', width: 86 }];
  it('gives fixed columns their width and flexible ones their share of the rest, by factor', () => {
    expect(tracksOf(cols, new Map(), 30 + 86 + 420)).toBe('30px 300px 120px 86px');
  });
  it('keeps a flexible column at its minimum when its share is smaller, the others share what is left', () => {
    expect(tracksOf(cols, new Map(), 30 + 86 + 240)).toBe('30px 160px 80px 86px');
  });
  it('uses fr tracks until the grid was measured, and the user\'s width over a column\'s own', () => {
    expect(tracksOf(cols, new Map(), 0)).toBe('30px minmax(150px, 3fr) minmax(80px, 1.2fr) 86px');
    expect(tracksOf(cols, new Map([['url', 200]]), 30 + 86 + 400)).toBe('30px 200px 200px 86px');
  });
});
