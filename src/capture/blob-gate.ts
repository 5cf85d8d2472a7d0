/**
 * Chrome's deep capture of workers builds each worker from a blob: script (workers.ts). A page's policy may
 * refuse that, and the page must not notice the attempt:
 * - CSP refusing blob: workers (`worker-src`, or `child-src` / `script-src` / `default-src` without
 *   `blob:`): Chrome still constructs the Worker and fails it later with an `error` event — so the attempt
 *   cannot be undone. Once, when deep capture is turned on, a probe blob: worker finds out; until it has
 *   answered, and if it was refused, workers are left to the browser (not captured).
 * - Trusted Types enforced without a default policy: the blob: URL, a string, is refused with a TypeError
 *   (the page's worker is then made natively); after one such refusal no more are tried.
 * Either refusal fires a `securitypolicyviolation` at the document; the page's listeners never see ours
 * (Chrome names a refused blob: worker's blockedURI just "blob"; a Trusted Types violation's sample is the
 * sink and the first 40 characters of the value). A report the policy asks for (report-uri / report-to)
 * is still sent: that cannot be stopped.
 */
import type { Natives } from './natives';

type Fn = Function;

export interface BlobGateNatives {
  Worker: Fn;
  addEventListener: Natives['addEventListener'];
  terminate: Fn | undefined;
  revokeObjectURL: Fn;
  URLs: object;
}

export interface BlobGate {
  /** a blob: worker may be tried now */
  readonly open: boolean;
  /**
   * Find out, once, whether this page's policies let our blob: workers run: `scripts` makes (only the first
   * time) a module blob: script `url` that imports `inner`, a blob: module that posts a message (a captured
   * module worker needs both `worker-src` and `script-src` to allow blob:; a classic one only the first).
   */
  probe(scripts: () => { url: string; inner: string }): void;
  /** a blob: worker of ours is about to be tried: its violations are ours */
  attempt(url: string): void;
  /** the attempt was refused with a TypeError (Trusted Types): try no more */
  refused(): void;
}

const PROBE_MS = 5000;
/** How long after the probe a refused-blob violation (blockedURI "blob") is still taken as the probe's. */
const PROBE_VIOLATION_MS = 1000;

export function blobGate(win: typeof globalThis, n: Natives, w: BlobGateNatives): BlobGate {
  const { apply, construct } = n.Reflect;
  let state: 'unknown' | 'probing' | 'ok' | 'refused' = 'unknown';
  /** until when a violation of a refused blob: worker is the probe's */
  let probeUntil = 0;
  const ours = n.dict<true>();
  const samples = n.dict<true>();
  const E = (win as unknown as Record<string, { prototype: object } | undefined>).SecurityPolicyViolationEvent;
  const getter = (key: string) => (E ? n.getOwnPropertyDescriptor(E.prototype, key)?.get as Fn | undefined : undefined);
  const blockedURI = getter('blockedURI');
  const sample = getter('sample');
  const directive = getter('violatedDirective');

  n.addEventListener(win as unknown as EventTarget, 'securitypolicyviolation', (ev) => {
    try {
      const uri = blockedURI ? apply(blockedURI, ev, []) : undefined;
      const ofProbe = uri === 'blob' && (state === 'probing' || n.now() < probeUntil);
      const which = directive ? apply(directive, ev, []) : undefined;
      const trusted = which === 'require-trusted-types-for' && sample && samples[apply(sample, ev, []) as string] === true;
      if ((typeof uri === 'string' && ours[uri] === true) || ofProbe || trusted) n.stopImmediatePropagation(ev);
    } catch { /* not ours */ }
  }, true);

  /** a blob: URL of ours: a violation naming it (or, for Trusted Types, the sink and its first 40 characters) is ours */
  const mine = (url: string) => {
    ours[url] = true;
    samples[`Worker constructor|${n.strSlice(url, 0, 40)}`] = true;
  };

  const settle = (to: 'ok' | 'refused', worker: unknown, url: string, inner: string) => {
    if (state !== 'probing') return;
    state = to;
    probeUntil = n.now() + PROBE_VIOLATION_MS;
    try { if (w.terminate) apply(w.terminate, worker, []); } catch { /* gone */ }
    try { apply(w.revokeObjectURL, w.URLs, [url]); apply(w.revokeObjectURL, w.URLs, [inner]); } catch { /* gone */ }
  };

  return {
    get open() { return state === 'ok'; },
    probe(scripts) {
      if (state !== 'unknown') return;
      const { url, inner } = scripts();
      state = 'probing';
      mine(url);
      mine(inner);
      let worker: unknown;
      try {
        const args = n.list<unknown>();
        const options = n.dict<string>();
        options.type = 'module';
        args[0] = url;
        args[1] = options;
        worker = construct(w.Worker, args, w.Worker);
      } catch {
        state = 'refused';
        return;
      }
      n.addEventListener(worker as EventTarget, 'message', () => settle('ok', worker, url, inner));
      n.addEventListener(worker as EventTarget, 'error', () => settle('refused', worker, url, inner));
      n.setTimeout(() => settle('refused', worker, url, inner), PROBE_MS);
    },
    attempt: mine,
    refused() {
      state = 'refused';
    },
  };
}
