/**
 * What opened a WebSocket entry of DevTools' network log, from what the log says about it.
 *
 * The log names no context, but its initiator does (checked on Chromium 156):
 * - a socket made through a page hook has the hook's replacement as its innermost call frame (a script of
 *   this extension): the hook has that socket, so the panel already shows it;
 * - a worker's socket was created by the worker's script: a script the log loaded with a non-script
 *   initiator (`_initiator.type: 'other'`, as `new Worker(url)` and service worker registration are), or a
 *   script such a script imported, or a `blob:` script; service workers are told from dedicated ones by
 *   the scripts of the page's service worker registrations (`serviceWorkerScripts`);
 * - a socket opened by one of the window's own scripts (the document, or a script it loaded: `windowScripts`)
 *   while a hook runs in the tab did not go through the hook's `WebSocket`: it is a `WebSocketStream`, the
 *   one other way to open a socket there;
 * - anything else (a worker created before DevTools opened, whose script the log never saw; a frame whose
 *   scripts the panel does not know) is said as it is: seen by the network log, context unknown.
 */
import type { SocketSource } from '../protocol/events';
import { entryUrl, initiatorFrames, isWebSocketEntry, type HarEntry } from './har-entry';

export interface LogContext {
  /** scripts that run in workers or service workers, from the log (see workerScriptsOf) */
  workerScripts: ReadonlySet<string>;
  /** script URLs of the page's service workers (active, waiting, installing) */
  serviceWorkerScripts: ReadonlySet<string>;
  /** the top document and the scripts it loaded (its resource timing) */
  windowScripts: ReadonlySet<string>;
  /** a page hook runs in the tab (it reported a socket): its windows' WebSockets all go through it */
  hookInTab: boolean;
}

export interface Classified {
  /** the hook made this socket (its frame is the innermost): the panel has it already */
  byHook: boolean;
  source: SocketSource;
  /** the script that opened it (the innermost frame with a URL), or '' */
  script: string;
}

/**
 * Scripts the log shows running in workers: loaded with a non-script initiator (`new Worker(url)`, a
 * service worker registration: `_initiator.type` 'other'), and what those imported (`importScripts`,
 * module imports: the initiator's URL is such a script), to any depth.
 */
export function workerScriptsOf(entries: readonly HarEntry[]): Set<string> {
  const scripts = entries.filter((e) => e._resourceType === 'script' && !isWebSocketEntry(e));
  const out = new Set<string>();
  for (const e of scripts) if (e._initiator?.type === 'other') out.add(entryUrl(e));
  for (let grew = true; grew;) {
    grew = false;
    for (const e of scripts) {
      const url = entryUrl(e), from = e._initiator?.url;
      if (!out.has(url) && typeof from === 'string' && out.has(from)) { out.add(url); grew = true; }
    }
  }
  out.delete('');
  return out;
}

export function classify(e: HarEntry, ownScripts: string, ctx: LogContext): Classified {
  const frames = initiatorFrames(e);
  const innermost = frames[0]?.url ?? '';
  const byHook = ownScripts !== '' && innermost.startsWith(ownScripts);
  const script = frames.find((f) => f.url)?.url ?? '';
  const asyncParent = e._initiator?.stack?.parentId !== undefined;
  let source: SocketSource;
  if (ctx.serviceWorkerScripts.has(script)) source = 'service-worker';
  else if (ctx.workerScripts.has(script) || script.startsWith('blob:') || asyncParent) source = 'worker';
  else if (ctx.hookInTab && ctx.windowScripts.has(script)) source = 'stream';
  else source = 'network';
  return { byHook, source, script };
}
