/**
 * Capture could not start in this document (installCapture threw): say so rather than nothing. A stand-in
 * for the hook takes the relay's channel as the hook would (the relay takes the first handshake) and
 * answers every attach with a batch that holds nothing but one capture error, so the panel shows
 * *capture errors: 1* for a page whose sockets it cannot see.
 *
 * This runs at document_start, when the hook's own setup failed (its natives may be missing), so it uses
 * the window's functions as they are then, before any page script.
 */
import { envelope, HANDSHAKE } from '../protocol/messages';

export function reportInstallFailure(win: typeof globalThis): void {
  const hasOwn = win.Object.hasOwn;
  const failed = envelope('wsi-hook', {
    type: 'batch' as const,
    batch: { health: { hookErrors: 1 }, rows: 0, cols: new win.ArrayBuffer(0), text: '', binary: new win.ArrayBuffer(0), events: [], at: [] },
  });
  const channel = new win.MessageChannel();
  const port = channel.port1;
  port.onmessage = (e: MessageEvent) => {
    try {
      const m: unknown = e.data;
      // eslint-disable-next-line wsi/no-page-builtins -- the hook's natives could not be taken; this channel is private
      if (typeof m === 'object' && m !== null && hasOwn(m, 'type') && (m as { type: unknown }).type === 'attach') port.postMessage(failed);
    } catch { /* nothing more can be said */ }
  };
  // eslint-disable-next-line wsi/no-page-builtins -- at document_start, before any page script
  port.postMessage(envelope('wsi-hook', { type: 'active' as const }));
  // eslint-disable-next-line wsi/no-page-builtins -- at document_start, before any page script
  const hook = `failed-${Math.random().toString(36).slice(2, 10)}`;
  // eslint-disable-next-line wsi/no-page-builtins -- at document_start, before any page script
  win.postMessage({ type: HANDSHAKE, hook }, '*', [channel.port2]);
}
