import type { ReadonlySignal } from '@preact/signals';
import type { SourceState } from '../../network/network-source';
import { formatTime } from '../shared/format';

/** What the network-log source (src/network) is doing, in the status bar: on since when, off, or why it cannot be. */
export function NetworkLogStatus({ state }: { state: ReadonlySignal<SourceState> }) {
  const s = state.value;
  const text = s.kind === 'watching'
    ? `Network log: on since ${formatTime(s.since)}; sockets opened before DevTools was opened are not in it`
    : s.kind === 'unavailable' ? `Network log unavailable: ${s.why}` : 'Network log: off';
  const title = s.kind === 'watching'
    ? `Sockets of workers, the service worker and WebSocketStreams come from DevTools' network log (${s.sockets} WebSocket`
      + `${s.sockets === 1 ? '' : 's'} in it now). DevTools records only from when it was opened.`
    : text;
  return <span class={s.kind === 'unavailable' ? 'one-line warn-text' : 'one-line muted'} role="status" aria-label="Network log" title={title}>{text}</span>;
}
