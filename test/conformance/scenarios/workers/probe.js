// What a worker observes of itself, run by workers/classic.js (importScripts) and workers/module.js (a static import).
self.probe = async (ws, extra) => {
  const out = { ...extra };
  const d = (o, k) => { const x = Object.getOwnPropertyDescriptor(o, k); return x ? `${typeof x.get}/${typeof x.value}/${x.enumerable}/${x.configurable}` : 'none'; };
  const fnOf = (f) => ({ name: f.name, length: f.length, src: Function.prototype.toString.call(f) });
  out.location = { href: location.href, str: String(location), path: location.pathname, origin: location.origin, search: location.search,
    relative: new URL('x?y', location).href, own: Object.getOwnPropertyNames(location), isSame: self.location === location,
    hrefDescriptor: d(WorkerLocation.prototype, 'href'), getter: fnOf(Object.getOwnPropertyDescriptor(WorkerLocation.prototype, 'href').get),
    toString: fnOf(WorkerLocation.prototype.toString) };
  out.origin = self.origin;
  out.name = self.name;
  out.fetched = await (await fetch('data.txt')).text();
  out.fetchedAbsolute = await (await fetch(new URL('data.txt', location))).text();
  out.request = new Request('data.txt').url;
  const xhr = new XMLHttpRequest();
  xhr.open('GET', 'data.txt', false);
  xhr.send();
  out.xhr = xhr.responseText;
  out.fns = [fetch, Request, XMLHttpRequest.prototype.open, WebSocket, self.importScripts, self.EventSource, Worker].filter(Boolean).map(fnOf);
  out.missing = await fetch('missing.txt').then((r) => r.status);
  const echo = (s) => new Promise((r) => {
    s.onopen = () => s.send('hi');
    s.onmessage = (e) => { r({ url: s.url, data: e.data }); s.close(); };
    s.onerror = () => r({ url: s.url, error: true });
  });
  const tryEcho = async (url) => { try { return await echo(new WebSocket(url)); } catch (e) { return `${e.name}: ${e.message}`; } };
  out.absolute = await tryEcho(`${ws}/echo?from=${extra.kind}`);
  out.relative = await tryEcho(`/echo?from=${extra.kind}-relative`);
  try { new WebSocket('nope://x'); } catch (e) { out.badUrl = `${e.name}: ${e.message}`; }
  out.stack = new Error('where').stack.split('\n').slice(0, 2).join(' | ');
  return out;
};
