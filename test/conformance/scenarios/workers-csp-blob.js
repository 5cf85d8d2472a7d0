// Workers on a page whose policy allows blob: workers and scripts (runner.ts), so that Chrome's deep capture
// makes its blob: workers here; one of them from a script with its own policy (connect-src 'none'), which
// natively refuses that worker's socket. Run again with deep capture of workers on: the socket is refused
// all the same (Firefox: the script keeps its own response).
window.scenario = async () => {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push([e.violatedDirective, e.blockedURI]));
  const answer = lib.answer;
  const out = {};
  const own = new Worker('workers/csp-own.js');
  const ownAnswer = answer(own);
  own.postMessage(env.ws);
  out.own = await ownAnswer;
  own.terminate();
  const module = new Worker('workers/module.js', { type: 'module' });
  const moduleAnswer = answer(module);
  module.postMessage(env.ws);
  const got = await moduleAnswer;
  out.module = { href: got.location?.href, absolute: got.absolute, relative: got.relative, error: got.errorEvent };
  module.terminate();
  await new Promise((r) => setTimeout(r, 100));
  out.violations = violations;
  return out;
};
