/**
 * The panel at the sizes DevTools really gives it — docked to the right
 * (520 × 900), docked at the bottom (1400 × 360), undocked (1280 × 800) — in
 * light and dark, as a user reads it: the payload readable in the list (40
 * characters or more, measured on screen), Data the widest column, the list
 * and the details side by side or stacked without overlapping, every toolbar
 * action on screen or in the » menu, and the keyboard still moving through
 * the grid, the tabs, the splits and the column edges. Screenshots of each.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../fixtures/server';
import { launch, newestTabId, openPanel, scenarioDone, until, type Browser } from './harness';
import { inside, lookAtGrid, overlaps } from './layout-checks';
import { layoutPage, TICKS } from './layout-page';
import { shotPath } from './shots';

let server: TestServer;
let browser: Browser;
let tabId: number;

/** Every toolbar action: its control in the bar, and its item in the » menu. */
const ACTIONS = [
  { role: 'button', name: 'Clear', menu: 'menuitem', item: 'Clear' },
  { role: 'checkbox', name: 'Connection list', menu: 'menuitemcheckbox', item: 'Connection list' },
  { role: 'checkbox', name: 'Preserve log', menu: 'menuitemcheckbox', item: 'Preserve log' },
  { role: 'checkbox', name: 'Lightweight', menu: 'menuitemcheckbox', item: 'Lightweight' },
  { role: 'button', name: 'Export HAR', menu: 'menuitem', item: 'Export HAR' },
  { role: 'button', name: 'Export NDJSON', menu: 'menuitem', item: 'Export NDJSON' },
  { role: 'button', name: /^Redaction (on|off)/, menu: 'menuitemcheckbox', item: 'Redact secrets in exports' },
  { role: 'button', name: 'Import…', menu: 'menuitem', item: 'Import…' },
] as const;

const SIZES = [
  { width: 520, height: 900, what: 'docked right', stacked: true },
  { width: 1400, height: 360, what: 'docked at the bottom', stacked: false },
  { width: 1280, height: 800, what: 'undocked', stacked: false },
] as const;

const frames = (p: Page) => p.getByRole('grid', { name: 'Frames' });
const tickerRow = (p: Page) => p.getByRole('grid', { name: 'Connections' }).getByRole('row').filter({ hasText: '/echo?ticker' });

beforeAll(async () => {
  server = await startTestServer();
  const url = server.page('/layout', layoutPage(server.wsOrigin));
  browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(url);
  await scenarioDone(page);
  tabId = await newestTabId(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A panel at this size and theme, the ticker connection and one of its frames selected. */
async function panelAt(width: number, height: number, theme: 'light' | 'dark'): Promise<Page> {
  const panel = await openPanel(browser, tabId, `&theme=${theme}`);
  await panel.setViewportSize({ width, height });
  await until(async () => (await tickerRow(panel).count()) === 1, 'the ticker connection');
  await tickerRow(panel).click();
  await until(async () => (await frames(panel).getByRole('row').count()) > Math.min(TICKS, 6), 'ticker frames');
  // the newest ticks are in view (the list follows the newest frame)
  await frames(panel).getByRole('row').filter({ hasText: `"seq":${TICKS - 1},` }).first().click();
  return panel;
}

/** Each toolbar action: on screen in the toolbar, or an item of the » menu with the same name. */
async function reachable(panel: Page, viewportWidth: number): Promise<{ inBar: string[]; inMenu: string[]; missing: string[] }> {
  const bar = panel.getByRole('toolbar', { name: 'WebSocket Inspector toolbar' });
  const out = { inBar: [] as string[], inMenu: [] as string[], missing: [] as string[] };
  const more = bar.getByRole('button', { name: 'More tools' });
  for (const a of ACTIONS) {
    const control = bar.getByRole(a.role, { name: a.name, exact: typeof a.name === 'string' });
    const b = (await control.count()) === 1 && (await control.isVisible()) ? await control.boundingBox() : null;
    if (b && b.x >= 0 && b.x + b.width <= viewportWidth) { out.inBar.push(a.item); continue; }
    if ((await more.count()) === 0) { out.missing.push(a.item); continue; }
    await more.click();
    const menu = panel.getByRole('menu', { name: 'More tools' });
    const item = menu.getByRole(a.menu, { name: a.item, exact: true });
    if ((await item.count()) === 1 && (await item.isVisible())) out.inMenu.push(a.item); else out.missing.push(a.item);
    await panel.keyboard.press('Escape');
    await until(async () => (await menu.count()) === 0, 'the menu closed');
  }
  return out;
}

describe('the panel at the sizes DevTools gives it', () => {
  for (const size of SIZES) {
    for (const theme of ['light', 'dark'] as const) {
      it(`${size.what} (${size.width} × ${size.height}, ${theme}): payload readable, Data widest, nothing overlaps or is cut off`, async () => {
        const panel = await panelAt(size.width, size.height, theme);
        const look = await panel.evaluate(lookAtGrid);
        const data = look.columns.find((c) => c.name === 'Data')!;
        expect(look.payload).toContain('"symbol":"BTC-USD"');
        expect(look.visibleChars, `visible characters of ${look.payload} in ${JSON.stringify(look.columns)}`).toBeGreaterThanOrEqual(40);
        for (const c of look.columns) if (c !== data) expect(data.width, `Data (${data.width}) vs ${c.name}`).toBeGreaterThan(c.width);
        expect(look.side).not.toBeNull();
        expect(overlaps(look.grid, look.side!), `${JSON.stringify(look.grid)} vs ${JSON.stringify(look.side)}`).toBe(false);
        expect(inside(look.grid, look.viewport) && inside(look.side!, look.viewport)).toBe(true);
        // stacked when narrow (details under the list), side by side when wide
        expect(look.side!.top >= look.grid.bottom - 1).toBe(size.stacked);
        // the frame's detail is in view: its heading says what the frame is, JS type included
        await expect.poll(() => panel.getByRole('region', { name: 'Frame detail' }).getByRole('heading', { level: 2 }).textContent()).toContain('text · string');

        const r = await reachable(panel, size.width);
        expect(r.missing).toEqual([]);
        if (size.width < 700) expect(r.inMenu.length).toBeGreaterThan(0);
        // the README shows each size once: docked right and undocked light, docked at the bottom dark
        const inReadme = (theme === 'dark') === (size.height === 360);
        await panel.screenshot({ path: shotPath(`layout-${size.width}x${size.height}-${theme}.png`, { readme: inReadme }) });
        await panel.close();
      });
    }
  }

  it('docked right: the » menu acts (redaction, import), the connection list hides and comes back', async () => {
    const panel = await panelAt(520, 900, 'light');
    const more = panel.getByRole('button', { name: 'More tools' });
    const menu = panel.getByRole('menu', { name: 'More tools' });
    await more.click();
    const item = menu.getByRole('menuitemcheckbox', { name: 'Redact secrets in exports' });
    expect(await item.getAttribute('aria-checked')).toBe('true');
    await item.press('Enter');
    await more.click();
    expect(await item.getAttribute('aria-checked')).toBe('false');
    await menu.getByRole('menuitem', { name: 'Redaction options…' }).click();
    const redaction = panel.getByRole('dialog', { name: 'Redaction' });
    const toggle = redaction.getByRole('switch', { name: 'Redact secrets in exports' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await redaction.getByRole('button', { name: 'Done' }).click();
    expect(await redaction.count()).toBe(0);

    // Import… from the menu opens the file chooser; a broken file is said so in the status bar
    await more.click();
    const [chooser] = await Promise.all([panel.waitForEvent('filechooser'), menu.getByRole('menuitem', { name: 'Import…' }).click()]);
    await chooser.setFiles({ name: 'broken.har', mimeType: 'application/json', buffer: Buffer.from('{"log": [') });
    await until(async () => ((await panel.getByRole('alert', { name: 'Import or export problem' }).textContent()) ?? '').includes('broken.har'), 'the import error');

    // the connection list: hidden, the frames get its room, the connection still picked in the filter bar
    const listed = panel.getByRole('toolbar', { name: 'WebSocket Inspector toolbar' }).getByRole('checkbox', { name: 'Connection list' });
    const gridTop = async () => (await frames(panel).boundingBox())!.y;
    const top0 = await gridTop();
    await listed.uncheck();
    await until(async () => (await panel.getByRole('grid', { name: 'Connections' }).count()) === 0, 'the connection list hidden');
    expect(await gridTop()).toBeLessThan(top0);
    expect(await panel.getByRole('combobox', { name: 'Connection' }).inputValue()).not.toBe('-1');
    await listed.check();
    await until(async () => (await panel.getByRole('grid', { name: 'Connections' }).count()) === 1, 'the connection list back');
    await panel.close();
  });

  it('keyboard: the grid, the tabs, the split and a column edge', async () => {
    for (const size of [SIZES[0], SIZES[2]]) {
      const panel = await panelAt(size.width, size.height, 'light');
      const selected = () => frames(panel).locator('[role=row][aria-selected=true]').textContent();
      const before = await selected();
      await frames(panel).focus();
      await panel.keyboard.press('ArrowDown');
      expect(await selected()).not.toBe(before);

      // tabs: one tab stop, ←/→ move and select, the panel follows
      const tabs = panel.getByRole('tablist', { name: 'Details' });
      await tabs.getByRole('tab', { name: 'Frame' }).focus();
      await panel.keyboard.press('ArrowRight');
      expect(await tabs.getByRole('tab', { name: 'Connection' }).getAttribute('aria-selected')).toBe('true');
      expect(await panel.getByRole('tabpanel', { name: 'Connection' }).getByRole('combobox', { name: 'Decoder' }).isVisible()).toBe(true);
      await panel.keyboard.press('ArrowRight');
      expect(await panel.getByRole('tabpanel', { name: 'Compose' }).getByRole('textbox', { name: 'Message' }).isVisible()).toBe(true);
      await panel.keyboard.press('Home');
      expect(await tabs.getByRole('tab', { name: 'Frame' }).getAttribute('aria-selected')).toBe('true');

      // the split between the list and the details
      const split = panel.getByRole('separator', { name: 'Resize frames and details' });
      const at = Number(await split.getAttribute('aria-valuenow'));
      await split.focus();
      await panel.keyboard.press(size.width < 700 ? 'ArrowDown' : 'ArrowRight');
      expect(Number(await split.getAttribute('aria-valuenow'))).toBeGreaterThan(at);

      // a column's right edge: wider with →, back with Delete
      const edge = panel.getByRole('separator', { name: 'Resize Type column' });
      const time = frames(panel).getByRole('columnheader', { name: /^Type/ });
      const w0 = (await time.boundingBox())!.width;
      await edge.focus();
      await panel.keyboard.press('ArrowRight');
      await until(async () => (await time.boundingBox())!.width >= w0 + 7, 'a wider Type column');
      await panel.keyboard.press('Delete');
      await until(async () => Math.abs((await time.boundingBox())!.width - w0) < 1, 'the Type column back to its width');
      await panel.close();
    }
  });

  it('columns: drag a header edge to resize (kept in storage.local), the payload keeps its room', async () => {
    const panel = await panelAt(1280, 800, 'light');
    const time = frames(panel).getByRole('columnheader', { name: /^Time/ });
    const edge = panel.getByRole('separator', { name: 'Resize Time column' });
    const w0 = (await time.boundingBox())!.width;
    const e = (await edge.boundingBox())!;
    await panel.mouse.move(e.x + e.width / 2, e.y + e.height / 2);
    await panel.mouse.down();
    await panel.mouse.move(e.x + 60, e.y + e.height / 2, { steps: 5 });
    await panel.mouse.move(e.x + 2000, e.y + e.height / 2, { steps: 3 });
    await panel.mouse.up();
    const look = await panel.evaluate(lookAtGrid);
    const w1 = look.columns.find((c) => c.name.startsWith('Time'))!.width;
    expect(w1).toBeGreaterThan(w0 + 50);
    // dragging far right stops where the payload would drop under its minimum
    expect(look.visibleChars).toBeGreaterThanOrEqual(40);
    const stored = await until(async () => {
      const v = await panel.evaluate(() => chrome.storage.local.get('panel:columnWidths'));
      return (v['panel:columnWidths'] as Record<string, number> | undefined)?.time;
    }, 'the width kept');
    expect(stored).toBe(Math.round(w1));
    await panel.close();

    const again = await panelAt(1280, 800, 'light');
    await until(async () => Math.abs((await frames(again).getByRole('columnheader', { name: /^Time/ }).boundingBox())!.width - w1) < 1, 'the width back');
    await again.getByRole('separator', { name: 'Resize Time column' }).dblclick();
    await until(async () => Math.abs((await frames(again).getByRole('columnheader', { name: /^Time/ }).boundingBox())!.width - w0) < 1, 'the width reset');
    await again.close();
  });
});
