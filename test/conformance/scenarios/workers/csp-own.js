// A worker script served with a policy of its own (connect-src 'none': runner.ts): a dedicated worker runs under
// its script's policy, not its creator's, so its socket is refused. Answers the first message (the ws origin).
const violations = [];
let seen = () => {};
const violation = new Promise((r) => { seen = r; });
self.addEventListener('securitypolicyviolation', (e) => { violations.push([e.violatedDirective, e.blockedURI]); seen(); });
onmessage = (e) => {
  // answers once the violation came too (its event is a task of its own), or after a second without one
  const done = (what) => Promise.race([violation, new Promise((r) => setTimeout(r, 1000))])
    .then(() => postMessage({ what, violations, href: location.href }));
  try {
    const s = new WebSocket(`${e.data}/echo?from=csp-own`);
    s.onopen = () => { s.close(); done('open'); };
    s.onerror = () => done('error');
  } catch (err) {
    done(`${err.name}: ${err.message}`);
  }
};
