/** Words the panel shows for model values, in one place so every view says the same thing. */
import type { ReadyStateValue } from '../../protocol/events';
import type { Connection, Frame } from '../../store/model';

const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

export function stateName(s: ReadyStateValue | 'failed'): string {
  return s === 'failed' ? 'failed' : STATE_NAMES[s];
}

export function dirWord(dir: Frame['dir']): 'sent' | 'received' {
  return dir === 'out' ? 'sent' : 'received';
}

export function dirArrow(dir: Frame['dir']): string {
  return dir === 'out' ? '↑' : '↓';
}

/** "text · string", "binary · Uint8Array" */
export function frameType(f: Pick<Frame, 'kind' | 'as'>): string {
  return `${f.kind} · ${f.as}`;
}

/** Where a socket lives: "top" for the main document, else "frame N", plus the document URL. */
export function frameLabel(c: Pick<Connection, 'frameId' | 'frameUrl'>): string {
  const where = c.frameId === 0 ? 'top' : `frame ${c.frameId}`;
  return c.frameUrl ? `${where} · ${c.frameUrl}` : where;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The readable form of the protocols argument. */
export function protocolsText(p: string | string[] | undefined): string {
  if (p === undefined) return '(none)';
  if (typeof p === 'string') return p;
  return p.length ? p.join(', ') : '(empty list)';
}
