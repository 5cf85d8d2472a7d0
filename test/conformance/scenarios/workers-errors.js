// What the page sees of workers that fail (a missing script, a script that throws at its top level, classic and
// module), and of workers made in the ways deep capture of workers leaves to the browser (a TrustedScriptURL,
// a URL object, options whose `type` is a getter: it runs once). Run again with deep capture of workers on.
window.scenario = async () => {
  const settle = (w) => new Promise((r) => {
    w.onerror = (e) => r([e.constructor.name, e.message, e.filename, e.lineno, e.colno]);
    w.onmessage = (e) => r(['message', JSON.stringify(e.data)]);
  });
  const out = {};
  for (const type of ['classic', 'module']) {
    out[`missing-${type}`] = await settle(new Worker('workers/missing.js', { type }));
    out[`throws-${type}`] = await settle(new Worker('workers/throws.js', { type }));
  }
  // Trusted Types (Chromium): a TrustedScriptURL is left to the browser
  const policy = window.trustedTypes ? trustedTypes.createPolicy('workers-errors', { createScriptURL: (s) => s }) : { createScriptURL: (s) => s };
  const ask = async (w) => { const answer = settle(w); w.postMessage(env.ws); const a = await answer; w.terminate(); return a[0]; };
  out.trusted = await ask(new Worker(policy.createScriptURL('/c/workers/classic.js')));
  out.urlObject = await ask(new Worker(new URL('workers/classic.js', location.href)));
  let reads = 0;
  out.getter = await ask(new Worker('workers/module.js', { get type() { reads++; return 'module'; } }));
  out.getterReads = reads;
  try { new Worker('workers/classic.js', { type: 'nope' }); } catch (e) { out.badType = lib.error(e); }
  try { Worker('workers/classic.js'); } catch (e) { out.withoutNew = lib.error(e); }
  class Sub extends Worker {}
  const sub = new Sub('workers/classic.js');
  out.sub = { proto: Object.getPrototypeOf(sub) === Sub.prototype, answer: await ask(sub) };
  return out;
};
