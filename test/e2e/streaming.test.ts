/**
 * Live streaming: frames appear while they flow; a service worker stopped
 * mid-stream loses and duplicates nothing; frames evicted by the page's
 * history cap are counted and shown as dropped.
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, serviceWorker, stopServiceWorker, until, type Browser } from './harness';
import { streamPage } from './pages';

declare const wsInspector: import('../../src/store/automation').Automation;

let server: TestServer;
let browser: Browser;

beforeEach(async () => {
  server = await startTestServer();
  browser = await launch();
});
afterEach(async () => {
  await browser?.close();
  await server?.close();
});

const inFrames = (panel: Page) => panel.evaluate(() => {
  const c = wsInspector.connections()[0];
  return c ? wsInspector.frames(c.key).filter((f) => f.dir === 'in') : [];
});

describe('live streaming', () => {
  it('keeps every frame exactly once when the service worker is stopped mid-stream', async () => {
    const n = 400;
    const page = await browser.context.newPage();
    await page.goto(server.page('/stream', streamPage(server.wsOrigin, n, 10)));
    const panel = await openPanel(browser, await newestTabId(browser));

    // frames arrive while the page is still receiving: live, not only history
    const early = await until(async () => {
      const got = (await inFrames(panel)).length;
      const pageCount = await page.evaluate(() => (window as unknown as { count: number }).count);
      return got >= 50 && pageCount < n ? got : 0;
    }, 'live frames in the panel');
    expect(early).toBeLessThan(n);

    // every text the connection status shows from now on (the reconnect can be faster than any polling)
    const status = panel.getByRole('status', { name: 'Connection status' });
    await status.evaluate((el) => {
      const shown = ((window as unknown as { statusShown: string[] }).statusShown = [el.textContent ?? '']);
      new MutationObserver(() => shown.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await stopServiceWorker(browser, page);

    await until(() => page.evaluate(() => (window as unknown as { done?: boolean }).done), 'page received all');
    const frames = await until(async () => {
      const f = await inFrames(panel);
      return f.length >= n ? f : null;
    }, `all ${n} frames in the panel`);

    expect(frames.length).toBe(n);
    const bodies = frames.map((f) => (JSON.parse(f.text!) as { i: number }).i);
    expect(bodies).toEqual(Array.from({ length: n }, (_, i) => i));
    const seqs = frames.map((f) => f.seq);
    expect(new Set(seqs).size).toBe(n);
    const conn = (await panel.evaluate(() => wsInspector.connections()))[0]!;
    expect(conn.dropped).toBe(0);
    // the panel said it was reconnecting, then connected again
    const shown = await panel.evaluate(() => (window as unknown as { statusShown: string[] }).statusShown);
    expect(shown[0]).toBe('Connected');
    expect(shown).toContain('Reconnecting…');
    expect(shown.at(-1)).toBe('Connected');
    // a new worker instance took over
    expect((await serviceWorker(browser)).url()).toContain(browser.extensionId!);
  });

  it('counts and shows frames the page history had to drop before the panel opened', async () => {
    const sw = await serviceWorker(browser);
    await sw.evaluate(() => chrome.storage.local.set({ historyCaps: { maxFrames: 25 } }));
    const page = await browser.context.newPage();
    await page.goto(server.page('/burst', streamPage(server.wsOrigin, 100, 0)));
    await until(() => page.evaluate(() => (window as unknown as { done?: boolean }).done), 'page received all');

    const panel = await openPanel(browser, await newestTabId(browser));
    const conn = await until(async () => (await panel.evaluate(() => wsInspector.connections()))[0], 'connection');
    expect(conn.framesIn).toBe(25);
    expect(conn.dropped).toBe(75);
    // the newest frames are the ones kept
    expect((await inFrames(panel)).map((f) => (JSON.parse(f.text!) as { i: number }).i)[0]).toBe(75);

    // and the user is told, in the list and for the connection
    await until(async () => (await panel.getByRole('group', { name: 'Totals' }).textContent())?.includes('75 dropped'),
      'dropped total in the toolbar');
    await panel.getByRole('grid', { name: 'Connections' }).getByRole('row').nth(1).click();
    expect(await panel.getByText(/75 frames dropped/).isVisible()).toBe(true);
  });

  it('clips an oversized URL instead of losing the batch it travels in', async () => {
    const page = await browser.context.newPage();
    const ws = server.wsOrigin;
    await page.goto(server.page('/long', `<!doctype html><script>
      new WebSocket('${ws}/echo?' + 'x'.repeat(70000)); // over the protocol's 64 KiB string limit
      const s = new WebSocket('${ws}/echo');
      s.onopen = () => { for (let i = 0; i < 5; i++) s.send('m' + i); };
      let n = 0; s.onmessage = () => { if (++n === 5) window.done = true; };
    </script>`));
    await until(() => page.evaluate(() => (window as unknown as { done?: boolean }).done), 'echoes');
    const panel = await openPanel(browser, await newestTabId(browser));
    const conns = await until(async () => {
      const list = await panel.evaluate(() => wsInspector.connections());
      return list.length === 2 && list[1]!.framesIn === 5 ? list : null;
    }, 'both connections and every frame');
    expect(conns[0]!.url.length).toBeLessThan(65 * 1024);
    expect(conns[0]!.url.endsWith('…')).toBe(true);
    expect(conns.every((c) => c.dropped === 0)).toBe(true);
  });

  it('follows a stream at its newest frame, lets go on a scroll up, and draws what it scrolls to at once', async () => {
    const page = await browser.context.newPage();
    // ~1,000 messages a second for ~20 s: more new rows per redraw than the grid's margin holds
    await page.goto(server.page('/flood', streamPage(server.wsOrigin, 20_000, 1)));
    const panel = await openPanel(browser, await newestTabId(browser));
    await panel.setViewportSize({ width: 1280, height: 800 });
    const grid = panel.getByRole('grid', { name: 'Frames' });
    const scroller = grid.locator('.scroller');
    const matched = () => panel.evaluate(() => wsInspector.view()?.matched ?? 0);
    const more = async (n: number) => { const from = await matched(); await until(async () => (await matched()) >= from + n, `${n} more frames`); };
    /** what one render drew: the scroller at its bottom, the newest row drawn, the first row fully in view */
    const drawn = () => scroller.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const rows = [...el.querySelectorAll('[role=row]')].map((r) => ({ r, i: Number(r.getAttribute('aria-rowindex')), b: r.getBoundingClientRect() }));
      const inView = rows.filter((r) => r.b.top >= box.top - 0.5 && r.b.bottom <= box.bottom + 0.5).sort((a, b) => a.b.top - b.b.top);
      // the server's messages are {"i":N,…}: the rows' own texts, top to bottom
      const sent = inView.map((r) => /"i":(\d+)/.exec(r.r.textContent ?? '')?.[1]).filter((x) => x !== undefined).map(Number);
      const marked = inView.filter((r) => (r.r as unknown as { seen?: boolean }).seen).length;
      for (const r of rows) (r.r as unknown as { seen?: boolean }).seen = true;
      return {
        /** rows in view that are elements an earlier call saw (rewritten in place, not replaced) */
        marked,
        /** each row in view shows its own message: one after another, none stale */
        texts: sent.length > 10 && sent.every((v, k) => k === 0 || v === sent[k - 1]! + 1),
        atBottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 10,
        newest: Math.max(...rows.map((r) => r.i)) === Number(el.closest('[role=grid]')!.getAttribute('aria-rowcount')),
        firstInView: inView[0]?.i ?? -1,
        /** rows in view one after another, no row missing between them */
        contiguous: inView.length > 10 && inView.every((r, k) => k === 0 || r.i === inView[k - 1]!.i + 1),
      };
    });
    const afterFrames = () => panel.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

    await until(async () => (await matched()) >= 300, 'frames streaming in');
    for (let k = 0; k < 3; k++) {
      await more(100);
      const d = await drawn();
      expect(d.atBottom).toBe(true);
      expect(d.newest).toBe(true);
      expect(d.contiguous).toBe(true);
      expect(d.texts).toBe(true);
      // following a flood, every row is new at each redraw: the grid rewrites its row elements, not new ones
      if (k > 0) expect(d.marked).toBeGreaterThan(10);
    }
    // redraws are paced, not one per batch
    const { redraws, batches } = await panel.evaluate(() => ({ redraws: wsInspector.view()!.redraws, batches: wsInspector.stats().batches }));
    expect(redraws).toBeGreaterThan(0);
    expect(redraws).toBeLessThan(batches);

    // to the top as a scrollbar drag does it (scroll events only): drawn at once, not at the next redraw for traffic
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    await afterFrames();
    const top = await drawn();
    expect(top.firstInView).toBe(2); // the first frame (row 1 is the header)
    expect(top.contiguous).toBe(true);
    expect(top.texts).toBe(true);
    await more(200);
    expect((await drawn()).firstInView).toBe(2);

    // back to the bottom: it follows the newest frame again
    const follows = async () => {
      await more(200);
      await afterFrames();
      const d = await drawn();
      expect(d.atBottom).toBe(true);
      expect(d.newest).toBe(true);
      expect(d.contiguous).toBe(true);
      expect(d.texts).toBe(true);
    };
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await follows();

    // a wheel up lets go: the rows scrolled to are drawn, and stay while frames keep coming
    await grid.hover();
    await panel.mouse.wheel(0, -400);
    await until(async () => !(await drawn()).atBottom, 'the grid scrolled up');
    await afterFrames();
    const held = await drawn();
    expect(held.contiguous).toBe(true);
    expect(held.texts).toBe(true);
    await more(200);
    const later = await drawn();
    expect(later.atBottom).toBe(false);
    expect(later.firstInView).toBe(held.firstInView);

    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await follows();
  });
});
