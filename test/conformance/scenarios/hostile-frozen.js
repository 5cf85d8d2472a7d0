// As hostile-spies, then Object.prototype and Array.prototype frozen (for good, as some hardened pages do):
// the page observes what it does without the extension, and the panel still captures every frame.
window.prepare = () => hostile.prepare(env, 'frozen');
window.scenario = () => hostile.exercise(env, 'frozen', { freeze: true });
