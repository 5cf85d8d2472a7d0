/**
 * The back/forward cache: a page that used WebSockets is restored from the cache exactly as without the
 * extension (Chrome reports why a page could not be — an extension port held open would show as
 * EmbedderExtensionMessaging), and a panel that stays open across the trip keeps receiving what the
 * page does after it came back, with nothing lost.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { automationIn, launch, newestTabId, openPanel, until, type Browser } from './harness';

let server: TestServer;

const PAGE = `<!doctype html><title>bfcache</title><script>
  window.shows = [];
  addEventListener('pageshow', (e) => shows.push(e.persisted));
  window.echo = (text) => new Promise((resolve) => {
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/echo');
    ws.onopen = () => ws.send(text);
    ws.onmessage = () => { ws.close(); };
    ws.onclose = () => resolve();
  });
  window.ready = echo('before leaving');
</script>`;

beforeAll(async () => {
  server = await startTestServer();
  // no-store (the test server's default) would keep any page out of the cache
  const cacheable = { 'cache-control': 'no-cache' };
  server.file('/bf/a', PAGE, 'text/html; charset=utf-8', cacheable);
  server.file('/bf/b', '<!doctype html><title>elsewhere</title>', 'text/html; charset=utf-8', cacheable);
});
afterAll(async () => { await server?.close(); });

/** Load the page, leave it for another site, come back; what Chrome said about the cache, and whether it was used. */
async function roundTrip(b: Browser, beforeLeaving?: () => Promise<void>) {
  const page = await b.context.newPage();
  const cdp = await b.context.newCDPSession(page);
  await cdp.send('Page.enable');
  const notRestored: unknown[] = [];
  cdp.on('Page.backForwardCacheNotUsed', (e) => notRestored.push(e.notRestoredExplanations));
  await page.goto(`${server.origin}/bf/a`);
  await page.evaluate('window.ready');
  await beforeLeaving?.();
  // another site (localhost instead of 127.0.0.1): a cross-site navigation, the common case
  await page.goto(`${server.origin.replace('127.0.0.1', 'localhost')}/bf/b`);
  await page.goBack({ waitUntil: 'commit' });
  // shown from the cache: a second pageshow, persisted; loaded afresh: a new document's first one
  const shows = await until(() => page.evaluate('document.title === "bfcache" && window.shows && window.shows.length > 0 && window.shows'), 'the page shown again') as boolean[];
  return { page, notRestored, restoredFromCache: shows.length === 2 && shows[1] === true };
}

it('restores a page that used WebSockets from the back/forward cache as without the extension', async () => {
  const plain = await launch({ extension: false, backForwardCache: true });
  const without = await roundTrip(plain).finally(() => plain.close());
  const ours = await launch({ backForwardCache: true });
  const withUs = await roundTrip(ours).finally(() => ours.close());
  expect(without.restoredFromCache).toBe(true);
  expect(withUs.notRestored).toEqual(without.notRestored);
  expect(withUs.restoredFromCache).toBe(true);
});

it('keeps an open panel receiving after the page comes back from the cache, nothing lost', async () => {
  const b = await launch({ backForwardCache: true });
  try {
    let panel: Awaited<ReturnType<typeof openPanel>> | undefined;
    const { page, restoredFromCache } = await roundTrip(b, async () => {
      panel = await openPanel(b, await newestTabId(b));
      await until(async () => (await automationIn(panel!).connections()).length === 1, 'the first socket in the panel');
    });
    expect(restoredFromCache).toBe(true);
    await page.evaluate('echo("after coming back")');
    const automation = automationIn(panel!);
    const conns = await until(async () => {
      const cs = await automation.connections();
      return cs.length === 2 && cs.every((c) => c.state === 3) ? cs : null;
    }, 'the socket made after the page came back, closed, in the panel');
    const texts = await Promise.all(conns.map(async (c) => (await automation.frames(c.key)).map((f) => `${f.dir}:${f.text}`)));
    expect(texts).toEqual([
      ['out:before leaving', 'in:before leaving'],
      ['out:after coming back', 'in:after coming back'],
    ]);
    expect(conns.map((c) => c.dropped)).toEqual([0, 0]);
  } finally {
    await b.close();
  }
});
