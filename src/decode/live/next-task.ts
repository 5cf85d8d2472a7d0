/** Run `fn` in a new task without setTimeout's 4 ms clamp; returns a cancel function. */
export function nextTask(fn: () => void): () => void {
  const ch = new MessageChannel();
  let live = true;
  ch.port1.onmessage = () => { if (live) fn(); ch.port1.close(); };
  ch.port2.postMessage(null);
  return () => { live = false; ch.port1.close(); };
}
