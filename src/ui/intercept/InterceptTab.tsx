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
  /** the store's version: what the tab shows (held messages, hits) changes with it */
  version: number;
}

/** The side pane's Intercept tab: breakpoints, what they hold (with the editor), and rules. */
export function InterceptTab({ interception, store, conn, payloads, now, keepAlive, version }: InterceptTabProps) {
  // components re-render when their props change (signals' shallow compare): the versions say what did
  const versions = `${version}/${useInterception(interception)}`;
  return (
    <>
      <BreakpointControls interception={interception} conn={conn} connOf={(k) => store.connections.get(k)} version={versions} />
      <HeldQueue interception={interception} store={store} payloads={payloads} now={now} keepAlive={keepAlive} version={versions} />
      <RulesSection interception={interception} store={store} version={versions} />
    </>
  );
}
