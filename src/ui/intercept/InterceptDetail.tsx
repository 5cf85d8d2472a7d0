import { payloadDiff } from '../../intercept/diff';
import { editedPayload, markOf, recordWords } from '../../intercept/marks';
import type { InterceptRecord } from '../../store/intercept-fold';
import type { Frame } from '../../store/model';
import { formatTime, previewPayload } from '../shared/format';

/**
 * In a frame's detail: what interception did to it, in order, and when it
 * was changed, the original and the changed payload as a diff (text nodes:
 * `del` for what went, `ins` for what came).
 */
export function InterceptDetail({ frame: f, records }: {
  frame: Frame; records: readonly InterceptRecord[] | undefined; /** the records grow in place: their count re-renders */ count: number;
}) {
  const mark = markOf(records, f.by === 'rule');
  if (!mark) return null;
  const edit = editedPayload(records);
  const diff = edit?.data !== undefined && f.data !== undefined ? payloadDiff(f.data, edit.data) : undefined;
  return (
    <section class="view intercept-detail" aria-label="Interception">
      <h3>Interception</h3>
      {f.by === 'rule'
        ? <p class="note info">An interception rule answered the page with this message: it did not come from the server.</p>
        : (
          <ol class="plain-list">
            {records!.map((r, i) => <li key={i}><span class="muted">{formatTime(r.t)}</span> {recordWords(r)}</li>)}
          </ol>
        )}
      {edit?.data !== undefined && (
        <>
          <p class="muted">
            {f.dir === 'out' ? 'The page sent the original (below as it is logged); the server got the changed one.'
            : 'The server sent the original (below as it is logged); the page got the changed one.'}
          </p>
          {diff
            ? (
              <pre class="code wrap diff" aria-label="Original and changed payload">
                {diff.map((p, i) => (p.kind === 'same' ? <span key={i}>{p.text}</span>
                : p.kind === 'removed' ? <del key={i} title="original">{p.text}</del> : <ins key={i} title="changed">{p.text}</ins>))}
              </pre>
            )
            : (
              <>
                <p class="muted">Too long to compare here; the changed payload begins:</p>
                <pre class="code wrap">{previewPayload(edit.data, 2000)}</pre>
              </>
            )}
        </>
      )}
    </section>
  );
}
