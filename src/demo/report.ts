/**
 * The headless launcher's summary of what the panel captured, as plain text. Pure functions over
 * `wsInspector.connections()` data, so the formatting is unit-tested without a browser.
 */
import type { ConnectionSnapshot } from '../store/automation';
import { formatBytes } from '../ui/shared/format';
import { stateName } from '../ui/shared/labels';

/** Only the fields the report reads, so it keeps working as the snapshot grows. */
export type ReportConnection = Pick<
  ConnectionSnapshot,
  'url' | 'frameId' | 'frameUrl' | 'state' | 'framesIn' | 'framesOut' | 'bytesIn' | 'bytesOut' | 'dropped'
> & { close?: { code: number } };

export const REPORT_HEADERS = ['URL', 'Frame', 'State', 'In', 'Out', 'Close code', 'Dropped'];

/** Cells longer than this are cut, so one long URL does not push the table off the terminal. */
const MAX_CELL = 70;

/** "top" for the main document; for an iframe its id and path, which tell the demo's frames apart. */
export function frameCell(c: Pick<ReportConnection, 'frameId' | 'frameUrl'>): string {
  if (c.frameId === 0) return 'top';
  let path: string;
  try {
    path = new URL(c.frameUrl).pathname;
  } catch {
    path = c.frameUrl; // about:blank and the like are not worth parsing
  }
  return path ? `frame ${c.frameId} ${path}` : `frame ${c.frameId}`;
}

/** "3 (1.2 KB)": frame count, then their total size. */
export function trafficCell(frames: number, bytes: number): string {
  return `${frames} (${formatBytes(bytes)})`;
}

export function connectionRow(c: ReportConnection): string[] {
  return [
    c.url,
    frameCell(c),
    stateName(c.state),
    trafficCell(c.framesIn, c.bytesIn),
    trafficCell(c.framesOut, c.bytesOut),
    c.close ? String(c.close.code) : '-',
    String(c.dropped),
  ];
}

function clip(s: string): string {
  return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
}

/** Left-aligned columns two spaces apart, a rule under the header; every line indented by two. */
export function formatTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows].map((r) => r.map(clip));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  const rule = `  ${widths.map((w) => '─'.repeat(w)).join('  ')}`;
  return [line(all[0]!), rule, ...all.slice(1).map(line)].join('\n');
}

export function connectionsTable(conns: readonly ReportConnection[]): string {
  return formatTable(REPORT_HEADERS, conns.map(connectionRow));
}

/** The URL paths in `expected` that no connection's URL has, e.g. ['/drop']. */
export function missingPaths(conns: readonly Pick<ReportConnection, 'url'>[], expected: readonly string[]): string[] {
  const paths = new Set(
    conns.map((c) => {
      try {
        return new URL(c.url).pathname;
      } catch {
        return c.url;
      }
    }),
  );
  return expected.filter((p) => !paths.has(p));
}
