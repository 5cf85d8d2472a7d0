/**
 * Starts capture in one window: takes the natives, patches WebSocket, opens
 * the channel to the relay. Runs in the page's world at document_start.
 */
import { Actions } from './actions';
import { installCloak } from './cloak';
import { stackTaker } from './call-site';
import { patchWorkers, type WorkerCapture } from './workers';
import { SendSites } from './send-sites';
import { StreamRecords } from './stream-record';
import { patchWebSocketStream } from './stream-socket';
import { installStackCloak, scriptUrlOf } from './error-stacks';
import { DEFAULT_CAPS, History } from './history';
import { takeNatives, type Natives } from './natives';
import { patchWebSocket } from './patch';
import { Recorder } from './recorder';
import { Interceptor } from './intercept/interceptor';
import { Stream } from './stream';

export const CAPTURE_DEFAULTS = {
  /** bytes of one payload kept in history (full payload fetched on demand up to this) */
  maxFrameBytes: 1024 * 1024,
  /** bytes of one binary payload copied into history (copying is the cost, so less than for text) */
  maxBinaryBytes: 64 * 1024,
  /** bytes of one payload streamed to the panel; the rest on demand */
  previewBytes: 16 * 1024,
  bufferedSampleMs: 50,
  /** the shortest wait before a post, and the longest while posts carry only a few rows (flush-pacing.ts) */
  flushMs: 40,
  longestFlushMs: 160,
};

/**
 * The hook in a deep-captured worker (worker-hook.ts): its connections are the page hook's (same hook id,
 * numbers from `base`), its channel is the page hook's port for it, its relative URLs resolve against the
 * worker script's real URL.
 */
export interface InWorker {
  n: Natives;
  hookId: string;
  base: number;
  /** the hook's handshake goes to the page hook (instead of a window's relay) */
  post: (data: unknown, transfer: Transferable[]) => void;
  /** relative URLs against the worker script's (Chrome's blob: workers); absent: the worker's own location */
  resolveUrl?: (url: unknown) => unknown;
  /** more [replacement, original] pairs for the cloak (the worker's URL fixes) */
  replaced: [Function, Function][];
}

export function installCapture(win: typeof globalThis, worker?: InWorker): void {
  if (typeof win.WebSocket !== 'function') return;
  const taken = worker ? worker.n : takeNatives(win);
  // in a worker, the handshake that a window posts to its relay goes to the page hook
  const toPage = (data: unknown, _origin: unknown, transfer?: Transferable[]) => worker!.post(data, transfer ?? taken.list());
  const n: Natives = worker ? { ...taken, postMessage: toPage as unknown as Natives['postMessage'] } : taken;
  // eslint-disable-next-line wsi/no-page-builtins -- at document_start, before any page script
  const hookId = worker ? worker.hookId : Math.random().toString(36).slice(2, 10) + n.now().toString(36).replace('.', '').slice(-4);
  const history = new History(n, DEFAULT_CAPS);
  // one numbering for the hook's WebSockets and WebSocketStreams (ids `${hookId}.${n}`)
  let conns = worker ? worker.base : 0;
  const nextConn = () => conns++;
  const takeStack = stackTaker(n, scriptUrlOf(n));
  // opt-in (the user's Call sites setting, from the relay): where each send() came from
  const sendSites = new SendSites(n, takeStack);
  let workers: WorkerCapture | undefined;
  // DevTools commands: created after the recorder they record through; the stream only dispatches to them
  let actions: Actions | undefined;
  const stream = new Stream(win, n, {
    hookId, history, previewBytes: CAPTURE_DEFAULTS.previewBytes, flushMs: CAPTURE_DEFAULTS.flushMs, longestFlushMs: CAPTURE_DEFAULTS.longestFlushMs,
    runCommand: (cmd) => actions!.run(cmd),
    // lightweight mode: messages are recorded only while a panel is attached
    onChange: (s) => { recorder.setFrames(!s.lightweight || s.attached); streamRecords.setFrames(!s.lightweight || s.attached); },
    // the panel went (or the page is hidden): interception lets everything go
    onDetach: () => interceptor.failOpen(),
    onReady: (field) => {
      const on = field('sendSites');
      if (typeof on === 'boolean') sendSites.on = on;
      workers?.configure(field);
    },
    // a deep-captured worker's fetches and commands go to it; settings and attach go to the workers too
    onRelayMessage: (m, field) => (workers ? workers.fromRelay(m, field) : false),
  });
  const recorder = new Recorder(n, {
    hookId,
    maxFrameBytes: CAPTURE_DEFAULTS.maxFrameBytes,
    maxBinaryBytes: CAPTURE_DEFAULTS.maxBinaryBytes,
    bufferedSampleMs: CAPTURE_DEFAULTS.bufferedSampleMs,
    log: history.log,
    // the hot path: one call per message, which only checks whether a panel is attached
    wrote: () => stream.wrote(),
    lifecycle: (e) => stream.lifecycle(e, history.addLifecycle(e).row),
    onFirstSocket: () => stream.announce(),
    onSocket: (id, ws) => actions!.track(id, ws),
    onSimulatedClose: (ws, sim) => actions!.showSimulatedClose(ws, sim),
    failed: (conn) => stream.failed(conn),
    creationStack: takeStack,
    nextConn,
    sendSite: (ws) => sendSites.changed(ws),
    ...(worker ? { source: 'worker' as const } : {}),
  });
  const streamRecords = new StreamRecords(n, {
    hookId, log: history.log, maxFrameBytes: CAPTURE_DEFAULTS.maxFrameBytes, maxBinaryBytes: CAPTURE_DEFAULTS.maxBinaryBytes,
    wrote: () => stream.wrote(), lifecycle: (e) => stream.lifecycle(e, history.addLifecycle(e).row), announce: () => stream.announce(),
    nextConn, stack: takeStack, sendSite: (c) => sendSites.changed(c),
  });
  const interceptor = new Interceptor(n, {
    record: (conn, body) => recorder.intercepted(conn, body),
    forEachLive: (fn) => recorder.forEachLive(fn),
    markRuleAnswer: (ev) => recorder.markRuleAnswer(ev),
  });
  recorder.setInterceptor(interceptor);
  actions = new Actions(n, recorder, interceptor);
  const stacks = installStackCloak(n);
  // a page's getters on Object.prototype must never see an option read that is not there: plain arguments
  const resolveUrl = worker ? worker.resolveUrl : undefined;
  const patched = patchWebSocket(win, n, recorder, stacks, interceptor, resolveUrl);
  const streams = patchWebSocketStream(win, n, streamRecords, stacks, resolveUrl);
  const replaced: [Function, Function][] = [[patched.WebSocket, n.WebSocket], [patched.send, n.send], [patched.close, n.close]];
  if (streams) for (let i = 0; i < streams.replaced.length; i++) replaced[replaced.length] = streams.replaced[i] as [Function, Function];
  if (worker) for (let i = 0; i < worker.replaced.length; i++) replaced[replaced.length] = worker.replaced[i]!;
  // the page's workers (opt-in: Capture workers); a worker's own workers are not captured
  workers = worker ? undefined : patchWorkers(win, n, stacks, {
    hookId, forward: (m, transfer) => stream.forward(m, transfer), announce: (url, base) => stream.workerScript(url, base),
  });
  if (workers) replaced[replaced.length] = workers.replaced[0]!;
  installCloak(win, n, stacks, replaced);
  stream.open();
}
