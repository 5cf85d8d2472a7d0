import { useEffect, useState } from 'preact/hooks';
import type { Interception } from '../../intercept/interception';
import { waitingBehind } from '../../intercept/queue';
import type { HeldMessage } from '../../store/intercept-fold';
import type { Store } from '../../store/store';
import type { PayloadSource } from '../detail/FrameDetail';
import { urlPath } from '../frames/frame-columns';
import { formatBytes, formatCount, formatDuration } from '../shared/format';
import { dirArrow, dirWord, plural } from '../shared/labels';
import { HeldEditor } from './HeldEditor';

/** How many held messages the list draws (the rest are counted). */
const SHOWN = 200;

export interface HeldQueueProps {
  interception: Interception;
  store: Store;
  payloads: PayloadSource;
  now: number;
  /** is this row a keep-alive (they pass a held message, so they are not counted behind it) */
  keepAlive?: (rowId: number) => boolean;
  /** changes when what it shows may have (the store's and the settings' versions) */
  version: string;
}

const heldKey = (h: HeldMessage) => `${h.conn.key}#${h.hold}`;

/** One line for a held message: "sent · #2 /echo · held 4 s · 12 B · matched secret · 2 waiting behind". */
function describe(store: Store, h: HeldMessage, now: number, keepAlive?: (rowId: number) => boolean): string {
  const behind = waitingBehind(store, h, keepAlive);
  const waiting = behind.messages === 0 && !behind.close ? 'nothing behind it'
    : `${behind.more ? `${formatCount(behind.messages)}+` : plural(behind.messages, 'message', 'messages')}${behind.close ? ' and the close' : ''} waiting behind it`;
  return [
    dirWord(h.dir), `#${h.conn.index + 1} ${urlPath(h.conn)}`, `held ${formatDuration(Math.max(0, now - h.since))}`, formatBytes(h.size),
    `matched ${h.matched || 'every message'}`, waiting,
  ].join(' · ');
}

/**
 * The intercept queue: every held message, oldest first, with what waits
 * behind it; the selected one in the editor (Forward, Drop); Forward all and
 * Drop all.
 */
export function HeldQueue({ interception: ic, store, payloads, now, keepAlive }: HeldQueueProps) {
  const held = store.intercepts.held;
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const selected = held.find((h) => heldKey(h) === selectedKey) ?? held[0];
  useEffect(() => {
    if (selected && heldKey(selected) !== selectedKey) setSelectedKey(heldKey(selected));
  }, [selected, selectedKey]);

  const all = async (action: 'forward' | 'drop'): Promise<void> => {
    const n = held.length;
    const error = await ic.releaseAll(action);
    setStatus(error ? { text: error, error: true } : { text: `${action === 'forward' ? 'Forwarded' : 'Dropped'} ${plural(n, 'held message', 'held messages')}.`, error: false });
  };

  return (
    <section class="detail held-queue" aria-label="Held messages">
      <h2 class="detail-title">{`Held messages (${held.length})`}</h2>
      {held.length === 0
        ? <p class="note">Nothing is held. Turn on Intercept sent or Intercept received: matching messages wait here for you.</p>
        : (
          <ul class="plain-list held-list" aria-label="Held messages">
            {held.slice(0, SHOWN).map((h) => (
              <li key={heldKey(h)}>
                <button
                  type="button" class="held-item" aria-pressed={h === selected} onClick={() => setSelectedKey(heldKey(h))}
                  title={h.conn.url}
                >
                  <span aria-hidden="true">{dirArrow(h.dir)} </span>
                  {describe(store, h, now, keepAlive)}
                </button>
              </li>
            ))}
          </ul>
        )}
      {held.length > SHOWN && <p class="muted">{`and ${formatCount(held.length - SHOWN)} more`}</p>}
      <div class="button-row">
        <button type="button" class="inline-button" disabled={held.length === 0} onClick={() => void all('forward')}>Forward all</button>
        <button type="button" class="inline-button" disabled={held.length === 0} onClick={() => void all('drop')}>Drop all</button>
      </div>
      {status && <p class={status.error ? 'note error' : 'muted'} role={status.error ? 'alert' : 'status'}>{status.text}</p>}
      {selected && (
        <HeldEditor
          key={heldKey(selected)} held={selected} interception={ic} payloads={payloads}
          data={(selected.rowId !== undefined ? store.frame(selected.rowId)?.data : undefined) ?? selected.data}
        />
      )}
    </section>
  );
}
