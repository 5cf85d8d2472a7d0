// The page can neither read nor bend the capture: after the hook installed, the page replaces every built-in
// the hook or the relay could touch with a spy (_hostile.js), with a panel attached (the hook streams), and
// uses a socket as pages do. Every call of a patched built-in is counted with what it was called on: the
// counts must be the same as without the extension, so the extension made none of those calls.
window.prepare = () => hostile.prepare(env, 'spies');
window.scenario = () => hostile.exercise(env, 'spies', {});
