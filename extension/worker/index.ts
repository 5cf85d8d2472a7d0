// Inside a deep-captured worker: the hook, run first — in Chrome by the blob: script workers.ts makes, in
// Firefox from the front of the worker's own script (src/workers/). Built as one string
// (src/build/worker-hook.ts) that the background hands out.
export { bootWorker as boot } from '../../src/capture/worker-hook';
