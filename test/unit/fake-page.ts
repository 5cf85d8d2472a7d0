/**
 * The extension's real parts, wired on the fakes of fake-ports.ts: a page with the hook's Stream and
 * History (fed capture events directly: the Recorder needs a real WebSocket) and the relay, the
 * background's Router, and a panel (PanelLink + Store, read through the automation API as users and
 * the e2e tests read it). Plus capture events to feed them, and the one helper that knows how a batch
 * is laid out (`eventsIn`).
 */
import { History } from '../../src/capture/history';
import type { CaptureOptions } from '../../src/settings/capture-options';
import { takeDataNatives } from '../../src/capture/natives';
import { Stream } from '../../src/capture/stream';
import type { LifecycleEvent, PageBatch, WireBatch } from '../../src/protocol/batch';
import { fromPageBatch, fromWireBatch, toWireBatch } from '../../src/protocol/batch-codec';
import type { CaptureEvent, ConnId } from '../../src/protocol/events';
import { DATA_PORT, type Base64, type CommandResult, type FrameBatch, type WorkerScriptWord } from '../../src/protocol/messages';
import { utf8Length } from '../../src/protocol/utf8';
import { automationApi } from '../../src/store/automation';
import { Store } from '../../src/store/store';
import { PanelLink } from '../../src/transport/panel-link';
import type { PortStatus } from '../../src/transport/reconnecting-port';
import { startRelay } from '../../src/transport/relay';
import { Router } from '../../src/transport/router';
import { fakeNatives, FakeWindow, type FakeExtension } from './fake-ports';
import { eventsOfBatch, pageBatchOf, writeRow } from './hook-batches';

type Captured = CaptureEvent<ArrayBuffer>;

// ---------- capture events ----------

let clock = 1_700_000_000_000;
const at = () => (clock += 1);

export const created = (c: ConnId, url = 'wss://echo.test/'): Captured =>
  ({ k: 'created', c, seq: 0, t: at(), url, resolvedUrl: url, frameUrl: 'https://page.test/' });
export const opened = (c: ConnId, seq: number): Captured =>
  ({ k: 'open', c, seq, t: at(), protocol: '', extensions: '', binaryType: 'arraybuffer' });
export const text = (c: ConnId, seq: number, data: string, dir: 'in' | 'out' = 'in'): Captured =>
  ({ k: 'frame', c, seq, t: at(), dir, kind: 'text', as: 'string', size: utf8Length(data), data });
export const binary = (c: ConnId, seq: number, bytes: number[], dir: 'in' | 'out' = 'in'): Captured =>
  ({ k: 'frame', c, seq, t: at(), dir, kind: 'binary', as: 'ArrayBuffer', size: bytes.length, data: new Uint8Array(bytes).buffer });
export const closed = (c: ConnId, seq: number): Captured =>
  ({ k: 'close', c, seq, t: at(), code: 1000, reason: 'bye', wasClean: true, initiator: 'server' });

/**
 * The events of a message carrying a `batch` (the hook's, or on a port), as objects with binary as base64
 * (with `batchOf`, `wireBatchOf` and `batchItems`, the only places these tests know how a batch travels).
 */
export function eventsIn(msg: unknown, hook = (msg as { hook?: string }).hook ?? 'hook1'): CaptureEvent<Base64>[] {
  const m = msg as { src?: unknown; batch: PageBatch | WireBatch };
  // the hook posts PageBatches; ports carry WireBatches (their bytes as base64 or, cloned, as ArrayBuffers)
  return eventsOfBatch(m.src === 'wsi-hook' ? fromPageBatch(m.batch as PageBatch) : fromWireBatch(m.batch as WireBatch), hook);
}

/** The batch the hook would post for these events (binary given as ArrayBuffer or base64). */
export function batchOf(events: CaptureEvent<ArrayBuffer | Base64>[]): PageBatch {
  return pageBatchOf(events.map((e) => ((e.k === 'frame' || e.k === 'payload') && e.data !== undefined && typeof e.data === 'object' && 'b64' in e.data
    ? { ...e, data: new Uint8Array(Buffer.from(e.data.b64, 'base64')).buffer } : e) as CaptureEvent<ArrayBuffer>));
}

/** The same, as the relay forwards it on a port. */
export const wireBatchOf = (events: CaptureEvent<ArrayBuffer | Base64>[]): WireBatch => toWireBatch(batchOf(events), false);

/** The frame batches in the `batches` messages a panel received, in order. */
export function batchItems(received: unknown[]): FrameBatch[] {
  return received.flatMap((m) => ((m as { type?: string }).type === 'batches' ? (m as { items: FrameBatch[] }).items : []));
}

// ---------- the page: hook and relay in one frame ----------

export const FLUSH_MS = 40;
export const LONGEST_FLUSH_MS = 160;
export const PREVIEW_BYTES = 16 * 1024;

export interface HookOptions {
  hookId?: string;
  runCommand?: (cmd: unknown) => CommandResult;
}

/** The page hook's stream and history in `win`, as installCapture wires them. */
export function startHook(win: FakeWindow, o: HookOptions = {}) {
  const hookId = o.hookId ?? 'hook1';
  const history = new History(takeDataNatives(globalThis));
  const changes: { attached: boolean; lightweight: boolean }[] = [];
  const stream = new Stream(win.win, fakeNatives(win), {
    hookId, history, previewBytes: PREVIEW_BYTES, flushMs: FLUSH_MS, longestFlushMs: LONGEST_FLUSH_MS, onChange: (s) => changes.push(s), onDetach: () => {},
    runCommand: o.runCommand ?? (() => ({ ok: false, error: { name: 'NotSupportedError', message: 'no commands in this test' } })),
  });
  stream.open();
  let sockets = 0;
  return {
    hookId, history, stream, changes,
    /** the recorder recorded an event: a row of the log or a lifecycle event, as the Recorder writes them */
    record(...events: Captured[]) {
      for (const e of events) {
        if (e.k === 'created' && sockets++ === 0) stream.announce();
        if (e.k === 'frame' || e.k === 'payload' || e.k === 'buffered') {
          writeRow(history.log, e);
          stream.wrote();
        } else {
          stream.lifecycle(e as LifecycleEvent, history.addLifecycle(e as LifecycleEvent).row);
        }
      }
    },
  };
}
export type Hook = ReturnType<typeof startHook>;


export interface RelayOptions {
  lightweight?: boolean;
  onLightweightChange?: (fn: (on: boolean) => void) => void;
  /** the capture options as storage gives them (resolved when `options` resolves: a slow storage) */
  options?: () => Promise<CaptureOptions>;
  onOptionsChange?: (fn: (o: Partial<CaptureOptions>) => void) => void;
  workerHook?: () => Promise<string | undefined>;
  /** Firefox: the background is told of worker scripts instead */
  workerScript?: (word: WorkerScriptWord) => void;
}

/** The relay of one frame, connected (when it wants to) to `ext`'s background. */
export function startRelayIn(ext: FakeExtension, win: FakeWindow, tabId: number, frameId: number, o: RelayOptions = {}): void {
  startRelay({
    win: win.win,
    connect: ext.connector(ext.contentSender(tabId, frameId, win.location.href)),
    onRuntimeMessage: ext.onContentMessage(tabId),
    extensionId: ext.id,
    loadCaps: async () => undefined,
    loadLightweight: async () => o.lightweight ?? false,
    onLightweightChange: o.onLightweightChange,
    ...(o.options ? { loadOptions: o.options } : {}),
    onOptionsChange: o.onOptionsChange,
    workerHook: o.workerHook,
    ...(o.workerScript ? { workerScript: o.workerScript } : {}),
    onConnect: ext.onContentConnect(tabId, frameId),
  });
}

/** A frame with the hook and the relay, in the order the browser starts them (relay first). */
export function startFrame(ext: FakeExtension, tabId: number, frameId: number, o: HookOptions & RelayOptions = {}) {
  const win = new FakeWindow(`https://page.test/${tabId}/${frameId}`);
  startRelayIn(ext, win, tabId, frameId, o);
  const hook = startHook(win, o);
  return { win, ...hook };
}

// ---------- the background and the panel ----------

/** The background: a Router on `ext` (call again after stopBackground: a new worker, a new Router). */
export function startBackground(ext: FakeExtension): Router {
  const router = new Router({ extensionId: ext.id, extensionOrigin: ext.origin, pingTab: ext.sendToTab });
  ext.startBackground((port) => router.onConnect(port));
  return router;
}

/** A panel for `tabId`: PanelLink into a Store, read as the automation API reads it. */
export function openPanel(ext: FakeExtension, tabId: number, o: { preserveLog?: () => boolean; dataPorts?: boolean } = {}) {
  const store = new Store();
  const statuses: PortStatus[] = [];
  const tabConnect = ext.tabConnector(ext.pageSender());
  const link = new PanelLink({
    tabId, store, connect: ext.connector(ext.pageSender()), onStatus: (s) => statuses.push(s), preserveLog: o.preserveLog,
    // Chrome's panel opens data ports to the frames (tabs.connect); Firefox's DevTools pages cannot
    ...(o.dataPorts ? { connectFrame: (frameId: number) => tabConnect(tabId, frameId, DATA_PORT) } : {}),
  });
  link.start();
  const api = automationApi(store);
  return {
    store, link, statuses, api,
    /** each connection's frames as they would be shown: direction and payload (text, or base64 of the bytes) */
    frames: (id: ConnId, frameId = 0) => api.frames(Store.key(frameId, id)).map((f) => `${f.dir} ${f.text ?? `b64:${f.base64}`}`),
    connection: (id: ConnId, frameId = 0) => api.connections().find((c) => c.key === Store.key(frameId, id)),
  };
}
export type Panel = ReturnType<typeof openPanel>;

/** How a frame event shows in `Panel.frames`: a sent text as it went on the wire (lone surrogates as U+FFFD). */
export function shown(e: Captured): string {
  if (e.k !== 'frame') throw new Error('not a frame');
  const d = e.data;
  const text = (s: string) => (e.dir === 'out' ? (s as unknown as { toWellFormed(): string }).toWellFormed() : s);
  return `${e.dir} ${typeof d === 'string' ? text(d) : `b64:${Buffer.from(d as ArrayBuffer).toString('base64')}`}`;
}
