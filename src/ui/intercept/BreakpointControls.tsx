import type { Interception } from '../../intercept/interception';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../../intercept/config';
import type { Connection } from '../../store/model';
import { urlPath } from '../frames/frame-columns';

export interface BreakpointControlsProps {
  interception: Interception;
  /** the connection selected in the panel (what "this connection" scopes to) */
  conn: Connection | undefined;
  /** find a connection by key (the scoped one may not be the selected one) */
  connOf: (key: string) => Connection | undefined;
  /** changes when what it shows may have (the store's and the settings' versions) */
  version: string;
}

const connName = (c: Connection) => `#${c.index + 1} ${urlPath(c)}`;

/**
 * The breakpoints: Intercept sent / Intercept received, which connections, a
 * condition in the filter box's syntax, keep-alives, and the hold timeout.
 */
export function BreakpointControls({ interception: ic, conn, connOf }: BreakpointControlsProps) {
  const b = ic.breakpoints;
  const scoped = b.scope.kind === 'conn' ? connOf(b.scope.key) : undefined;
  const target = scoped ?? conn;
  const seconds = Math.round(b.timeout.ms / 1000);
  const setSeconds = (v: number): void => {
    if (!Number.isFinite(v)) return;
    const ms = Math.min(MAX_TIMEOUT_MS, Math.max(1000, Math.round(v) * 1000));
    ic.setBreakpoints({ timeout: { ...b.timeout, ms } });
  };
  return (
    <section class="detail intercept-controls" aria-label="Breakpoints">
      <h2 class="detail-title">Intercept</h2>
      <div class="button-row">
        <label class="tool-check">
          <input type="checkbox" checked={b.sent} onChange={(e) => ic.setBreakpoints({ sent: e.currentTarget.checked })} />
          Intercept sent
        </label>
        <label class="tool-check">
          <input type="checkbox" checked={b.received} onChange={(e) => ic.setBreakpoints({ received: e.currentTarget.checked })} />
          Intercept received
        </label>
      </div>
      <div role="radiogroup" aria-label="Scope" class="radio-row">
        <label class="tool-check">
          <input type="radio" name="intercept-scope" checked={b.scope.kind === 'all'} onChange={() => ic.setBreakpoints({ scope: { kind: 'all' } })} />
          All connections of the tab
        </label>
        <label class="tool-check" title={target ? target.url : 'Select a connection first'}>
          <input
            type="radio" name="intercept-scope" checked={b.scope.kind === 'conn'} disabled={!target}
            onChange={() => { if (target) ic.setBreakpoints({ scope: { kind: 'conn', key: target.key } }); }}
          />
          {target ? `Only ${connName(target)}` : 'Only the selected connection'}
        </label>
        {scoped && conn && conn !== scoped && (
          <button type="button" class="inline-button" onClick={() => ic.setBreakpoints({ scope: { kind: 'conn', key: conn.key } })}>
            {`Intercept ${connName(conn)} instead`}
          </button>
        )}
      </div>
      <label class="field-inline grow">
        Condition
        <input
          type="text" aria-label="Condition" class={ic.conditionError ? 'mono invalid' : 'mono'} spellcheck={false}
          placeholder='every message; or text, /regex/, event:chat, type:"subscribe"' value={ic.conditionText}
          onInput={(e) => ic.setCondition(e.currentTarget.value)}
        />
      </label>
      {ic.conditionError && <p class="note error" role="alert">{`Condition not applied: ${ic.conditionError}`}</p>}
      <div class="field-row">
        <label class="tool-check" title="Protocol pings and pongs (engine.io, STOMP, MQTT, Phoenix, GraphQL, SignalR …) pass by default, so the app does not time out while you edit">
          <input type="checkbox" checked={b.heartbeats} onChange={(e) => ic.setBreakpoints({ heartbeats: e.currentTarget.checked })} />
          Include keep-alives
        </label>
        <label class="field-inline">
          Timeout (s)
          <input
            type="number" aria-label="Timeout (s)" class="code-input" min={1} max={MAX_TIMEOUT_MS / 1000} value={seconds}
            placeholder={String(DEFAULT_TIMEOUT_MS / 1000)} onInput={(e) => setSeconds(e.currentTarget.valueAsNumber)}
          />
        </label>
        <label class="field-inline">
          then
          <select
            aria-label="When the timeout ends" value={b.timeout.action}
            onChange={(e) => ic.setBreakpoints({ timeout: { ...b.timeout, action: e.currentTarget.value as 'forward' | 'drop' } })}
          >
            <option value="forward">Forward</option>
            <option value="drop">Drop</option>
          </select>
        </label>
      </div>
      <p class="note hint">
        A condition is text (any case), /regex/flags, or field terms of a JSON message or a socket.io event (event:chat,
        type:&quot;subscribe&quot;, id:*, -type:ping). Binary messages are matched on their hex (0a 1f …). Blob messages can only be
        held by a breakpoint without a condition. DevTools&apos; own sends and injections are never intercepted.
      </p>
    </section>
  );
}
