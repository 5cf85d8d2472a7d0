/**
 * The hook's end of the private channel to the relay.
 *
 * Handshake: the hook creates a MessageChannel and posts one port to its own
 * window; the relay (an isolated-world script registered earlier at
 * document_start) takes it and stops the message there, so page listeners never
 * see it. If the relay started later, its 'ready' message asks for the
 * handshake again. After that, everything travels over the private port.
 *
 * Nothing is sent until a panel attaches. On attach the history after the
 * panel's cursors goes first, then live events in batches: one postMessage per
 * flush interval or per `maxBatch` events, never one per frame.
 *
 * DevTools commands (send, inject, close …) come only on this private port,
 * from the relay; each is run by `runCommand` and answered with its result.
 */
import { toBatch } from '../protocol/batch';
import type { CaptureEvent } from '../protocol/events';
import {
  envelope, HANDSHAKE, LIMITS, RELAY_READY, type CommandResult, type HookToRelay, type RelayToHook,
} from '../protocol/messages';
import { cutText } from './bytes';
import { sizeOf } from './fields';
import type { History } from './history';
import type { Natives } from './natives';


export interface StreamOptions {
  hookId: string;
  history: History;
  /** largest payload sent in the stream; bigger ones are cut and fetched on demand */
  previewBytes: number;
  flushMs: number;
  /** runs a DevTools command (actions.ts); only this private channel can reach it */
  runCommand?: (cmd: unknown) => CommandResult;
  /** a panel is attached (or coming back after a background restart) or not, or the user's lightweight setting changed */
  onChange?: (s: { attached: boolean; lightweight: boolean }) => void;
}

type Event = CaptureEvent<ArrayBuffer>;

/** After the background restarted, how long a panel has to come back before lightweight mode stops recording. */
const PANEL_RETURN_MS = 10_000;

export class Stream {
  private port: MessagePort | null = null;
  private attached = false;
  private lightweight = false;
  /** the background restarted while a panel was attached: it is probably coming back (lightweight mode keeps recording) */
  private awaited = false;
  /** tells the latest wait for a returning panel from earlier ones */
  private waits = 0;
  private queue: Event[] = [];
  private flushTimer = false;
  private announced = false;
  private wantsAnnounce = false;

  constructor(private readonly win: typeof globalThis, private readonly n: Natives, private readonly o: StreamOptions) {}

  /** Offer the channel to the relay, and again whenever a (late) relay says it is ready. */
  open(): void {
    const onWindowMessage = (ev: MessageEvent) => {
      const d: unknown = ev.data;
      if (ev.source !== (this.win as unknown as Window) || typeof d !== 'object' || d === null || (d as { type?: unknown }).type !== RELAY_READY) return;
      ev.stopImmediatePropagation();
      if (!ev.isTrusted) return; // a page's synthetic event
      if (!this.port) this.handshake();
    };
    this.win.addEventListener('message', onWindowMessage, true);
    this.handshake();
  }

  private handshake(): void {
    const ch = new this.n.MessageChannel();
    ch.port1.onmessage = (ev) => {
      try {
        if (this.port !== ch.port1) {
          // the relay answered on this channel: it is the one
          this.port = ch.port1;
          this.sendAnnounce();
        }
        this.command(ev.data as RelayToHook);
      } catch { /* never reach the page */ }
    };
    this.n.postMessage({ type: HANDSHAKE, hook: this.o.hookId }, '*', [ch.port2]);
  }

  /** The first socket exists: ask the relay to connect to the extension. */
  announce(): void {
    this.wantsAnnounce = true;
    this.sendAnnounce();
  }

  private sendAnnounce(): void {
    if (this.announced || !this.wantsAnnounce || !this.port) return;
    this.announced = true;
    this.n.portPostMessage(this.port, envelope('wsi-hook', { type: 'active' as const }));
  }

  /** Called for every recorded event (after it went into history). */
  push(e: Event): void {
    if (!this.attached) return;
    this.queue.push(e);
    if (this.queue.length >= LIMITS.eventsPerBatch) this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = true;
      this.n.setTimeout(() => { this.flushTimer = false; this.flush(); }, this.o.flushMs);
    }
  }

  private command(m: RelayToHook): void {
    if (typeof m !== 'object' || m === null || m.src !== 'wsi-relay') return;
    switch (m.type) {
      case 'ready':
        if (m.caps) this.o.history.setCaps(m.caps);
        if (typeof m.lightweight === 'boolean' && m.lightweight !== this.lightweight) {
          this.lightweight = m.lightweight;
          this.changed();
        }
        return;
      case 'attach': {
        this.attached = false;
        this.queue = [];
        const backlog = this.o.history.since(m.cursors);
        for (let i = 0; i < backlog.length; i += LIMITS.eventsPerBatch) {
          this.post(backlog.slice(i, i + LIMITS.eventsPerBatch));
        }
        this.attached = true;
        this.awaited = false;
        this.changed();
        return;
      }
      case 'detach':
        // a restart of the background is not the panel going: keep recording a while for its return
        this.awaited = m.restarting === true && this.attached;
        this.attached = false;
        this.queue = [];
        if (this.awaited) {
          const wait = ++this.waits;
          this.n.setTimeout(() => {
            if (!this.awaited || wait !== this.waits) return;
            this.awaited = false;
            this.changed();
          }, PANEL_RETURN_MS);
        }
        this.changed();
        return;
      case 'fetch-payload': {
        const found = this.o.history.findPayload(m.c, m.seq);
        const reply: HookToRelay = found
          ? envelope('wsi-hook', { type: 'payload' as const, req: m.req, c: m.c, seq: m.seq, ...found })
          : envelope('wsi-hook', { type: 'payload' as const, req: m.req, c: m.c, seq: m.seq, error: 'no longer in the page history' });
        if (this.port) this.n.portPostMessage(this.port, reply);
        return;
      }
      case 'command': {
        const result: CommandResult = this.o.runCommand
          ? this.o.runCommand(m.cmd)
          : { ok: false, error: { name: 'NotSupportedError', message: 'this page hook cannot run commands' } };
        if (this.port) this.n.portPostMessage(this.port, envelope('wsi-hook', { type: 'command-result' as const, req: m.req, result }));
        return;
      }
    }
  }

  private changed(): void {
    this.o.onChange?.({ attached: this.attached || this.awaited, lightweight: this.lightweight });
  }

  flush(): void {
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    this.post(batch);
  }

  private post(events: Event[]): void {
    if (!this.port || !events.length) return;
    const out = new Array<Event>(events.length);
    for (let i = 0; i < events.length; i++) out[i] = this.preview(events[i]!);
    this.n.portPostMessage(this.port, envelope('wsi-hook', { type: 'batch' as const, batch: toBatch(out) }));
  }

  /** Large payloads travel as a preview; the full bytes stay in history, fetched on demand. */
  private preview(e: Event): Event {
    if ((e.k !== 'frame' && e.k !== 'payload') || e.data === undefined) return e;
    const max = this.o.previewBytes;
    const d = e.data;
    if (typeof d === 'string') {
      // a whole short text keeps size -1: the panel measures it, off the page's thread
      if (d.length <= max / 3) return e;
      if (e.k === 'frame') sizeOf(e);
      const cut = cutText(d, max);
      return cut.length === d.length ? e : { ...e, data: cut, truncated: true };
    }
    return d.byteLength <= max ? e : { ...e, data: this.n.arrayBufferSlice(d, 0, max), truncated: true };
  }
}
