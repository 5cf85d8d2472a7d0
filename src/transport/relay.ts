/**
 * The isolated-world relay between one frame's page hook and the background.
 *
 * Trust: the page shares this window and can post anything. The relay takes
 * exactly one channel port from the hook's handshake, accepts from it only
 * well-formed capture messages (guards.ts), and forwards commands only from the
 * background port — never from the page. It connects to the extension only
 * once the page has a socket (or the background asks), so pages without
 * WebSockets cost nothing.
 */
import type { Runtime } from 'webextension-polyfill';
import { base64ToBytes, bytesToBase64 } from '../protocol/base64';
import type { WireBatch } from '../protocol/batch';
import { healthBatch, toWireBatch } from '../protocol/batch-codec';
import { asBackgroundToRelay, asHookMessage, byteLengthOfArrayBuffer } from '../protocol/guards';
import {
  DATA_PORT, envelope, HANDSHAKE, LIMITS, PING, RELAY_PORT, RELAY_READY, WORKER_SCRIPT,
  type BackgroundToRelay, type Command, type CommandResult, type HistoryCaps, type RelayToBackground, type RelayToHook,
  type WirePayload, type WorkerScriptWord,
} from '../protocol/messages';
import type { CaptureOptions } from '../settings/capture-options';
import { DataPorts } from './data-ports';
import { ReconnectingPort } from './reconnecting-port';


export interface RelayOptions {
  win: Window;
  connect: (name: string) => Runtime.Port;
  /** runtime.onMessage, to hear the background's ping */
  onRuntimeMessage: (fn: (msg: unknown, sender: Runtime.MessageSender) => void) => void;
  extensionId: string;
  /** the user's history caps, if set */
  loadCaps?: () => Promise<Partial<HistoryCaps> | undefined>;
  /** the user's lightweight mode (record messages only while a panel is attached) */
  loadLightweight?: () => Promise<boolean>;
  /** calls back with the new value when the user changes lightweight mode */
  onLightweightChange?: (fn: (on: boolean) => void) => void;
  /** the user's capture options (send() call sites, deep capture of workers) */
  loadOptions?: () => Promise<CaptureOptions>;
  onOptionsChange?: (fn: (o: Partial<CaptureOptions>) => void) => void;
  /** the code of the worker hook (src/capture/worker-hook), handed to the hook when deep capture of workers is on (Chrome) */
  workerHook?: () => Promise<string | undefined>;
  /**
   * Firefox: the background puts the worker hook in front of worker scripts itself; this tells it which
   * (the page hook's word, with the hook's id). When given, the page hook is told `workerScripts` instead
   * of being handed the code.
   */
  workerScript?: (word: WorkerScriptWord) => void;
  /** runtime.onConnect: a panel of this extension may open a data port to this frame (data-ports.ts) */
  onConnect?: (fn: (port: Runtime.Port) => void) => void;
}

export function startRelay(o: RelayOptions): void {
  let hookPort: MessagePort | null = null;
  let hookId = '';
  let active = false;

  // the hook gets the user's settings first: what the background says before they were read waits for them
  let settingsSent = false;
  let waiting: RelayToHook[] = [];
  const toHook = (m: RelayToHook) => {
    if (!settingsSent && m.type !== 'ready') { waiting.push(m); return; }
    hookPort?.postMessage(m);
  };

  const ext = new ReconnectingPort<unknown, RelayToBackground>({
    name: RELAY_PORT,
    connect: o.connect,
    eager: false,
    onMessage: (raw) => {
      const m = asBackgroundToRelay(raw);
      if (!m) return;
      if (m.type === 'attach') {
        rawBytes = byteLengthOfArrayBuffer(m.clone) === 0;
        data.attached();
      }
      if (m.type !== 'command') return toHook(forHook(m));
      // commands reach the hook only from here: the background port, never the page
      const cmd = hookCommand(m.cmd);
      if (!hookPort) return answer(m.req, { ok: false, error: { name: 'NotFoundError', message: 'the page hook is not connected' } });
      if (!cmd) return answer(m.req, { ok: false, error: { name: 'SyntaxError', message: 'the binary payload is not valid base64' } });
      toHook(envelope('wsi-relay', { type: 'command', req: m.req, cmd }));
    },
    onConnect: () => ext.post(envelope('wsi-relay', { type: 'hello', hook: hookId, url: o.win.location.href })),
    // the background is gone (service worker stopped): stop streaming; history keeps everything
    onStatus: (s) => { if (s === 'reconnecting') toHook(envelope('wsi-relay', { type: 'detach', restarting: true })); },
  });

  // batches' bytes as they are where the extension's ports carry structured clones (the attach says), else base64
  let rawBytes = false;
  // batches straight to the panel where it opened a port (Chrome); everything else through the background
  const data = new DataPorts();
  // only a panel of this extension (tabs.connect is for extension pages; the sender's id says whose)
  o.onConnect?.((port) => { if (port.name === DATA_PORT && port.sender?.id === o.extensionId) data.add(port); });

  const answer = (req: number, result: CommandResult) =>
    ext.post(envelope('wsi-relay', { type: 'command-result', hook: hookId, req, result }));

  /** messages from the hook refused by the guards: a capture failure, said to the panel with every batch */
  let rejected = 0;
  const withRejected = (b: WireBatch): WireBatch => (rejected ? { ...b, health: { ...b.health, relayRejected: rejected } } : b);

  const fromHook = (raw: unknown) => {
    const m = asHookMessage(raw);
    if (!m) {
      // only the hook holds this port: a message that fails the guards is a capture failure, never silent
      rejected++;
      ext.post(envelope('wsi-relay', { type: 'batch', hook: hookId, batch: withRejected(healthBatch({})) }));
      return;
    }
    if (m.type === 'batch') {
      let batch: WireBatch;
      try {
        batch = toWireBatch(m.batch, rawBytes);
      } catch {
        // a batch that passed the guards but could not be put on the port (a browser refusing something the
        // codec asks of the page's buffers): lost, so counted and said, like a refused one
        rejected++;
        batch = healthBatch({});
      }
      const msg: RelayToBackground = envelope('wsi-relay', { type: 'batch' as const, hook: hookId, batch: withRejected(batch) });
      if (!data.post(msg)) ext.post(msg);
      return;
    }
    switch (m.type) {
      case 'active':
        active = true;
        ext.reconnect();
        return;
      case 'payload':
        ext.post(envelope('wsi-relay', {
          type: 'payload', hook: hookId, req: m.req, c: m.c, seq: m.seq,
          ...(m.data === undefined ? {} : { data: wirePayload(m.data) }),
          ...(m.truncated ? { truncated: true } : {}), ...(m.error ? { error: m.error } : {}),
        }));
        return;
      case 'command-result':
        answer(m.req, m.result);
        return;
      case 'worker-script':
        o.workerScript?.({ type: WORKER_SCRIPT, url: m.url, hook: hookId, base: m.base });
    }
  };

  o.win.addEventListener('message', (ev: MessageEvent) => {
    const d: unknown = ev.data;
    if (ev.source !== o.win || typeof d !== 'object' || d === null || (d as { type?: unknown }).type !== HANDSHAKE) return;
    // ours: page listeners must never see it
    ev.stopImmediatePropagation();
    // a page script can dispatch a synthetic MessageEvent (any source, any ports) synchronously, before the
    // hook's real postMessage arrives; only a real postMessage is trusted, and the hook's comes first
    if (!ev.isTrusted) return;
    const port = ev.ports[0];
    const hook = (d as { hook?: unknown }).hook;
    if (hookPort || !port || typeof hook !== 'string' || hook.length > LIMITS.connIdLength) return;
    hookPort = port;
    hookId = hook;
    port.onmessage = (e) => fromHook(e.data);
    void sendReady();
  }, true);

  async function sendReady() {
    let caps: Partial<HistoryCaps> | undefined;
    let lightweight = false;
    let options: Partial<CaptureOptions> = {};
    try { caps = await o.loadCaps?.(); } catch { /* defaults */ }
    try { lightweight = (await o.loadLightweight?.()) === true; } catch { /* off */ }
    try { options = (await o.loadOptions?.()) ?? options; } catch { /* off */ }
    toHook(envelope('wsi-relay', { type: 'ready', ...(caps ? { caps } : {}), lightweight, ...(await withWorkerHook(options)) }));
    settingsSent = true;
    const held = waiting;
    waiting = [];
    for (const m of held) toHook(m);
  }
  /** The options for the hook, with the worker hook's code when workers are to be captured. */
  async function withWorkerHook(options: Partial<CaptureOptions>): Promise<Partial<CaptureOptions> & { workerHook?: string; workerScripts?: boolean }> {
    if (!options.workers) return options;
    if (o.workerScript) return { ...options, workerScripts: true };
    let code: string | undefined;
    try { code = await o.workerHook?.(); } catch { /* not available: workers are not captured */ }
    return code ? { ...options, workerHook: code } : { ...options, workers: false };
  }
  o.onLightweightChange?.((lightweight) => toHook(envelope('wsi-relay', { type: 'ready', lightweight })));
  o.onOptionsChange?.((options) => { void withWorkerHook(options).then((opts) => toHook(envelope('wsi-relay', { type: 'ready', ...opts }))); });

  o.onRuntimeMessage((msg, sender) => {
    if (sender.id !== o.extensionId || (msg as { type?: unknown })?.type !== PING) return;
    if (active) ext.reconnect();
  });

  // The back/forward cache: a page that keeps an extension port open may not be cached (Chrome lists
  // EmbedderExtensionMessaging), and a cached page's port is closed under it. So let go of the port when
  // the page is hidden — the hook stops streaming and keeps recording, as for a background restart — and
  // come back when it is shown again from the cache: the panel re-attaches with its cursors and gets
  // everything since, from the hook's history.
  o.win.addEventListener('pagehide', () => {
    if (!ext.connected) return;
    toHook(envelope('wsi-relay', { type: 'detach', restarting: true }));
    ext.suspend();
    data.close();
  }, true);
  o.win.addEventListener('pageshow', (ev: PageTransitionEvent) => {
    if (ev.persisted && active) ext.reconnect();
  }, true);

  // if the hook ran first and its handshake went by, ask for it again
  o.win.postMessage({ type: RELAY_READY }, '*');
}

function forHook(m: Exclude<BackgroundToRelay, { type: 'command' }>): RelayToHook {
  switch (m.type) {
    case 'attach': return envelope('wsi-relay', { type: 'attach', cursors: m.cursors });
    case 'detach': return envelope('wsi-relay', { type: 'detach' });
    case 'fetch-payload': return envelope('wsi-relay', { type: 'fetch-payload', req: m.req, c: m.c, seq: m.seq });
  }
}

/** The hook gets binary payloads as ArrayBuffers (structured clone), not base64; null if undecodable. */
function hookCommand(cmd: Command): Command<string | ArrayBuffer> | null {
  // the interception config as JSON text, written here in the relay's own world: the hook parses it into
  // objects without prototypes (a page cannot reach it through Object.prototype)
  if (cmd.op === 'intercept') return { op: 'intercept', config: cmd.config === null ? null : JSON.stringify(cmd.config) } as unknown as Command<string | ArrayBuffer>;
  if (cmd.op !== 'send' && cmd.op !== 'inject' && cmd.op !== 'release') return cmd;
  if (cmd.data === undefined || typeof cmd.data === 'string') return { ...cmd, data: cmd.data } as Command<string | ArrayBuffer>;
  try {
    const bytes = base64ToBytes(cmd.data.b64);
    const buf = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer as ArrayBuffer : bytes.slice().buffer;
    return { ...cmd, data: buf };
  } catch {
    return null;
  }
}

function wirePayload(d: string | ArrayBuffer): WirePayload {
  return typeof d === 'string' ? d : { b64: bytesToBase64(new Uint8Array(d)) };
}
