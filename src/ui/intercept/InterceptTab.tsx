import type { Interception } from '../../intercept/interception';
import type { Connection } from '../../store/model';
import type { Store } from '../../store/store';
import type { PayloadSource } from '../detail/FrameDetail';
import { BreakpointControls } from './BreakpointControls';
import { HeldQueue } from './HeldQueue';
import { RulesSection } from './RulesSection';
import { useInterception } from './useInterception';
import '../shared/controls.css';
import '../shared/panes.css';
import '../acting/acting.css';
import './intercept.css';

export interface InterceptTabProps {
  interception: Interception;
  store: Store;
  conn: Connection | undefined;
  payloads: PayloadSource;
  now: number;
  keepAlive?: (rowId: number) => boolean;
}

/** The side pane's Intercept tab: breakpoints, what they hold (with the editor), and rules. */
export function InterceptTab({ interception, store, conn, payloads, now, keepAlive }: InterceptTabProps) {
  useInterception(interception);
  return (
    <>
      <BreakpointControls interception={interception} conn={conn} connOf={(k) => store.connections.get(k)} />
      <HeldQueue interception={interception} store={store} payloads={payloads} now={now} keepAlive={keepAlive} />
      <RulesSection interception={interception} store={store} />
    </>
  );
}
