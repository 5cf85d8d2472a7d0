// As hostile-spies, but every patched built-in throws unless the page itself is calling it: the page still
// observes what it does without the extension, and the panel still captures every frame (checks.ts).
window.prepare = () => hostile.prepare(env, 'throwing');
window.scenario = () => hostile.exercise(env, 'throwing', { throwing: true });
