// Dedicated workers from relative URLs, a classic one and a module one: what they see of their own location,
// where their relative URLs (importScripts, fetch, Request, XHR, new WebSocket('/x'), static and dynamic imports,
// import.meta.url) lead, module semantics (a message posted right after construction is not lost), and what the
// page sees (the Worker object, its events). With deep capture of workers on (the conformance suite's third run)
// both are captured; the page and the workers must observe exactly what they do natively.
window.scenario = async () => {
  const answer = lib.answer;
  const classic = new Worker('/c/workers/classic.js', { name: 'classic' });
  const classicAnswer = answer(classic);
  classic.postMessage(env.ws);
  const module = new Worker('workers/module.js', { type: 'module', name: 'module' });
  const moduleAnswer = answer(module);
  module.postMessage(env.ws);
  const out = { classic: await classicAnswer, module: await moduleAnswer };
  out.page = { proto: Object.getPrototypeOf(classic) === Worker.prototype, ctor: classic.constructor === Worker, fn: lib.fn(Worker) };
  classic.terminate();
  module.terminate();
  return out;
};
