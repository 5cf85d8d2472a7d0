// Inside a deep-captured worker: the hook, run first by the blob: script workers.ts makes. Built into the
// relay as a string (src/build/worker-hook.ts) and handed to the page hook when the user turns it on.
export { bootWorker as boot } from '../../src/capture/worker-hook';
