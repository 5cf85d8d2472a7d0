import type { StackFrame } from '../../protocol/events';
import './call-stack.css';

/** Opens a script at a 1-based line and column in DevTools' Sources panel (null: not possible here, e.g. Firefox or a detached panel). */
export type OpenSource = ((url: string, line: number, col: number) => void) | null;

/** "fn @ https://app.test/main.js:12:7", as DevTools' Initiator column says it. */
export function frameText(f: StackFrame): string {
  const where = f.url ? `${f.url}:${f.line}:${f.col}` : '(no script)';
  return `${f.fn || '(anonymous)'} @ ${where}`;
}

/**
 * A call stack, innermost first, each frame a link to its script line in the Sources panel when DevTools
 * can open it (Chrome), else text. Captured data: rendered as text only.
 */
export function CallStack({ stack, label, openSource }: { stack: readonly StackFrame[]; label: string; openSource: OpenSource }) {
  if (stack.length === 0) return <p class="note">No script frames (called from the browser or from an extension).</p>;
  return (
    <ol class="plain-list call-stack" aria-label={label}>
      {stack.map((f, i) => (
        <li key={i}>
          <span class="mono fn">{f.fn || '(anonymous)'}</span>
          {' @ '}
          {openSource && f.url && /^(https?|file|blob|chrome-extension|moz-extension):/.test(f.url)
            ? (
              <button
                type="button" class="link-button mono" title={`Show ${f.url}, line ${f.line}, in the Sources panel`}
                onClick={() => openSource(f.url, f.line, f.col)}
              >
                {`${shortUrl(f.url)}:${f.line}:${f.col}`}
              </button>
            )
            : <span class="mono wrap-any" title={f.url}>{f.url ? `${shortUrl(f.url)}:${f.line}:${f.col}` : '(no script)'}</span>}
        </li>
      ))}
    </ol>
  );
}

/** The script's name as DevTools shows it: its path's last part and the query, the whole URL in the title. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const name = u.pathname.slice(u.pathname.lastIndexOf('/') + 1) || u.host || url;
    return name + u.search;
  } catch {
    return url;
  }
}
