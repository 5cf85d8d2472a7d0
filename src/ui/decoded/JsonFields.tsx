import { Fragment } from 'preact';

const MAX_FIELDS = 50;

/** One value in a line: strings as they are, numbers, booleans, null; objects and arrays by their size. */
export function fieldText(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[…] ${v.length} ${v.length === 1 ? 'item' : 'items'}`;
  if (typeof v === 'object') {
    const n = Object.keys(v).length;
    return `{…} ${n} ${n === 1 ? 'key' : 'keys'}`;
  }
  const s = String(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** "JSON {type, symbol, bid, …}" or "JSON array of 3" */
export function jsonSummary(v: unknown): string {
  if (Array.isArray(v)) return `JSON array of ${v.length}`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    return `JSON {${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}}`;
  }
  return `JSON ${fieldText(v)}`;
}

/**
 * A plain JSON message's fields, key and value side by side (the first
 * level; the JSON tree below has the rest), rather than the message as one
 * escaped string. Text nodes only.
 */
export function JsonFields({ value }: { value: unknown }) {
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : value !== null && typeof value === 'object' ? Object.entries(value) : [];
  if (entries.length === 0) return null;
  return (
    <dl class="facts decoded-fields" aria-label="JSON fields">
      {entries.slice(0, MAX_FIELDS).map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd class={typeof v === 'object' && v !== null ? 'wrap-any muted' : 'wrap-any'}>{fieldText(v)}</dd>
        </Fragment>
      ))}
      {entries.length > MAX_FIELDS && <><dt>…</dt><dd class="muted">{`and ${entries.length - MAX_FIELDS} more (in the JSON tree)`}</dd></>}
    </dl>
  );
}
