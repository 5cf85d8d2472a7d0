// A worker script served with a policy of its own (connect-src 'none': runner.ts): a dedicated worker runs under
// its script's policy, not its creator's, so its socket is refused. Answers the first message (the ws origin).
const violations = [];
self.addEventListener('securitypolicyviolation', (e) => violations.push([e.violatedDirective, e.blockedURI]));
onmessage = (e) => {
  const done = (what) => setTimeout(() => postMessage({ what, violations, href: location.href }), 50);
  try {
    const s = new WebSocket(`${e.data}/echo?from=csp-own`);
    s.onopen = () => { s.close(); done('open'); };
    s.onerror = () => done('error');
  } catch (err) {
    done(`${err.name}: ${err.message}`);
  }
};
