// Workers on a page that enforces Trusted Types (require-trusted-types-for 'script': runner.ts), where the
// browser has them: a string URL is refused (a TypeError and a violation), a TrustedScriptURL from the page's
// policy is taken, and so is a string once the page has a default policy. Run again with deep capture of
// workers on: the page must see the same errors and the same violations, no more.
window.scenario = async () => {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push([e.violatedDirective, e.sample]));
  const answer = lib.answer;
  const ask = async (w) => { const a = answer(w); w.postMessage(env.ws); const got = await a; w.terminate(); return got.absolute ?? got; };
  const tt = window.trustedTypes;
  const out = { trustedTypes: !!tt };
  try { out.string = await ask(new Worker('workers/classic.js')); } catch (e) { out.string = lib.error(e); }
  try { out.stringModule = await ask(new Worker('workers/module.js', { type: 'module' })); } catch (e) { out.stringModule = lib.error(e); }
  if (tt) {
    const policy = tt.createPolicy('conformance', { createScriptURL: (s) => s });
    out.trusted = await ask(new Worker(policy.createScriptURL('workers/classic.js')));
    tt.createPolicy('default', { createScriptURL: (s) => s });
    out.byDefault = await ask(new Worker('workers/classic.js'));
  }
  await new Promise((r) => setTimeout(r, 100));
  out.violations = violations;
  return out;
};
