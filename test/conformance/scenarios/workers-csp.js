// Workers on a page whose policy refuses blob: workers (worker-src 'self': runner.ts). Deep capture in Chrome
// makes blob: workers, which this policy refuses: the page must get its worker all the same (uncaptured), and
// see no violation it would not see natively. A worker script with its own policy runs under it. Run again
// with deep capture of workers on.
window.scenario = async () => {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push([e.violatedDirective, e.blockedURI.replace(/^blob:.*/, 'blob:(url)')]));
  const answer = lib.answer;
  const out = {};
  const classic = new Worker('workers/classic.js');
  const classicAnswer = answer(classic);
  classic.postMessage(env.ws);
  const got = await classicAnswer;
  out.classic = { href: got.location?.href, absolute: got.absolute, relative: got.relative, fetched: got.fetched, error: got.errorEvent };
  classic.terminate();
  const own = new Worker('workers/csp-own.js');
  const ownAnswer = answer(own);
  own.postMessage(env.ws);
  out.own = await ownAnswer;
  own.terminate();
  await new Promise((r) => setTimeout(r, 100)); // violation events come in a task of their own
  out.violations = violations;
  return out;
};
