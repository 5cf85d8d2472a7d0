import type { Row } from '../../store/model';
import { formatTime } from '../shared/format';
import '../shared/panes.css';

/** A lifecycle row picked in the grid. */
export function EventDetail({ row }: { row: Extract<Row, { lifecycle: string }> }) {
  return (
    <section class="detail" aria-label="Event detail">
      <h2 class="detail-title">{row.lifecycle}</h2>
      <dl class="facts">
        <dt>Time</dt><dd>{formatTime(row.t)}</dd>
        <dt>Sequence</dt><dd>{row.seq}</dd>
        <dt>Connection</dt><dd class="wrap-any">{`#${row.conn.index + 1} ${row.conn.url}`}</dd>
      </dl>
      <pre class="code wrap">{row.text}</pre>
    </section>
  );
}

