import { useState } from 'preact/hooks';
import { jsonText, MAX_JSON_DEPTH } from './deep-json';
import { formatCount } from './format';
import './json-tree.css';

/**
 * A JSON value as an indented tree in JSON syntax, objects and arrays
 * collapsible (a toggle button per node, named after its key). Big nodes show
 * their first entries and a button for more, so a megabyte of JSON does not
 * become a million DOM nodes. Past MAX_JSON_DEPTH levels a subtree is shown as text (hostile payloads nest
 * deeper than a component per level can go). Keys and values are text nodes, never HTML.
 */
export interface JsonTreeProps {
  value: unknown;
  /** levels open at first (the parent re-mounts the tree with another depth for Expand all / Collapse all) */
  openDepth?: number;
}

/** Entries shown per node before "Show more". */
const PAGE = 100;
/** Characters of a too-deep subtree shown as text. */
const DEEP_TEXT_CHARS = 10_000;

export function JsonTree({ value, openDepth = 3 }: JsonTreeProps) {
  return (
    <div class="json-tree code" role="group" aria-label="JSON tree">
      <Node name={null} value={value} depth={0} openDepth={openDepth} last />
    </div>
  );
}

interface NodeProps {
  name: string | number | null;
  value: unknown;
  depth: number;
  openDepth: number;
  last: boolean;
}

/** Two characters per level, plus the toggle's two on lines without a toggle. */
const indent = (depth: number, extra: number) => ({ paddingLeft: `${depth * 2 + extra * 2}ch` });

function Key({ name }: { name: string | number | null }) {
  if (name === null || typeof name === 'number') return null;
  return <><span class="j-key">{JSON.stringify(name)}</span>: </>;
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span class="j-null">null</span>;
  switch (typeof value) {
    case 'string': return <span class="j-str">{JSON.stringify(value)}</span>;
    case 'number': return <span class="j-num">{String(value)}</span>;
    case 'boolean': return <span class="j-bool">{String(value)}</span>;
    default: return <span>{String(value)}</span>;
  }
}

/** A subtree past MAX_JSON_DEPTH: one level of components per level of JSON would run out of stack. */
function TooDeep({ name, value, depth, comma }: { name: string | number | null; value: unknown; depth: number; comma: string }) {
  const { text, cut } = jsonText(value, DEEP_TEXT_CHARS);
  return (
    <div class="j-line" style={indent(depth, 1)}>
      <Key name={name} />
      <span class="note warn">{`nested deeper than ${MAX_JSON_DEPTH} levels: shown as text from here`}</span>
      <div class="j-deep">{cut ? `${text}… (${formatCount(DEEP_TEXT_CHARS)} characters shown)` : text}{comma}</div>
    </div>
  );
}

function Node({ name, value, depth, openDepth, last }: NodeProps) {
  const container = typeof value === 'object' && value !== null;
  const [open, setOpen] = useState(depth < openDepth);
  const [shown, setShown] = useState(PAGE);
  const comma = last ? '' : ',';
  if (!container) {
    return <div class="j-line" style={indent(depth, 1)}><Key name={name} /><Scalar value={value} />{comma}</div>;
  }
  if (depth >= MAX_JSON_DEPTH) return <TooDeep name={name} value={value} depth={depth} comma={comma} />;
  const isArray = Array.isArray(value);
  const entries: [string | number, unknown][] = isArray
    ? (value as unknown[]).map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  const [o, c] = isArray ? ['[', ']'] : ['{', '}'];
  const what = name === null ? 'root' : typeof name === 'number' ? `item ${name}` : JSON.stringify(name);
  const count = `${entries.length} ${isArray ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}`;

  return (
    <div class="j-node">
      <div class="j-line" style={indent(depth, 0)}>
        <button
          type="button"
          class="j-toggle"
          aria-expanded={open}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${what}`}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▸'}
        </button>
        <Key name={name} />
        {open ? o : <>{o}<span class="j-more">…</span>{c}{comma} <span class="muted">{count}</span></>}
      </div>
      {open && (
        <>
          {entries.slice(0, shown).map(([k, v], i) => (
            <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth}
              last={i === entries.length - 1} />
          ))}
          {entries.length > shown && (
            <div class="j-line" style={indent(depth + 1, 1)}>
              <button type="button" class="inline-button" onClick={() => setShown(shown + PAGE * 10)}>
                {`Show more of ${what} (${entries.length - shown} not shown)`}
              </button>
            </div>
          )}
          <div class="j-line" style={indent(depth, 1)}>{c}{comma}</div>
        </>
      )}
    </div>
  );
}
