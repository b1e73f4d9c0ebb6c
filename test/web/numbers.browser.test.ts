import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { type BrowserRun, startBrowser } from './browser.js';
import { buildWorld, signIn } from './world.js';

/**
 * The numbers in Chromium: the brand's overview (charts beside the previous period, boards and
 * breakdowns, all from /api/v1/analytics), the creator's results per link on a phone, and money in
 * Finnish. The shop is made through the API (world.ts): one click from TikTok, one sale of 69.00 €.
 * Each test opens new pages (the language chosen in one stays there) and checks that they logged
 * no script errors.
 */
describe.skipIf(dialect !== 'sqlite')('the overview and the results in Chromium', () => {
  let t: TestApp;
  let run: BrowserRun;
  let base: string;
  let brandPage: Page;
  let creatorPage: Page;
  let slug = '';
  let world: Awaited<ReturnType<typeof buildWorld>>;

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    world = await buildWorld(t, base);
    slug = world.slug;
    run = await startBrowser(base);
  });
  afterAll(async () => {
    await run?.close();
    await t?.close();
  });
  beforeEach(async () => {
    brandPage = await run.open({ width: 1280, height: 800 });
    creatorPage = await run.open({ width: 390, height: 844 });
    await signIn(brandPage, base, world.brand.token);
    await signIn(creatorPage, base, world.creator.token);
  });
  afterEach(async () => {
    await brandPage?.context().close();
    await creatorPage?.context().close();
    expect(run.problems.splice(0)).toEqual([]);
  });

  it('shows the brand its numbers: charts beside the previous period, boards and breakdowns', async () => {
    await brandPage.goto(`${base}/app/overview`);
    const kpi = (name: string) =>
      brandPage.locator('.card', { has: brandPage.getByRole('heading', { name, exact: true }) }).locator('.kpi .big');
    await expect.poll(() => kpi('Sales').textContent()).toBe('1');
    expect(await kpi('Net sales (GMV)').textContent()).toBe('€69.00');
    expect(await kpi('Commissions').textContent()).toBe('€10.35');
    expect(await kpi('Clicks').textContent()).toBe('1');
    // Drawn on a canvas, and the same numbers in a table, the previous period beside them.
    expect(await brandPage.locator('.chart-canvas canvas').count()).toBe(4);
    const salesCard = brandPage.locator('.card', {
      has: brandPage.getByRole('heading', { name: 'Sales', exact: true }),
    });
    expect(await salesCard.locator('.chart-table tbody tr').count()).toBe(30);
    expect(await salesCard.locator('.chart-table thead').textContent()).toContain('Previous period');
    const board = brandPage.locator('.card', { has: brandPage.getByRole('heading', { name: 'Top creators' }) });
    await expect.poll(() => board.locator('tbody').textContent()).toContain('Krista Koskinen');
    expect(await board.locator('tbody td.num').first().textContent()).toBe('€69.00');
    const devices = brandPage.locator('.card', { has: brandPage.getByRole('heading', { name: 'Devices' }) });
    await expect.poll(() => devices.locator('tbody').textContent()).toContain('Phone');
  });

  it('shows the creator its results per link and code on the phone', async () => {
    await creatorPage.goto(`${base}/app/me/results`);
    const byLink = creatorPage.locator('.card', { has: creatorPage.getByRole('heading', { name: 'By link' }) });
    await expect.poll(() => byLink.locator('tbody tr').count()).toBe(1);
    expect(await byLink.locator('tbody th').textContent()).toContain(slug);
    const cells = await byLink.locator('tbody td').allTextContents();
    // Clicks, sales, commissions, and EPC: €10.35 earned on one click is €1,035 per 100 clicks.
    expect(cells).toEqual(['1', '1', '€10.35', '€1,035.00']);
  });

  it('formats money in Finnish when the app speaks Finnish', async () => {
    await creatorPage.goto(`${base}/app/me/earnings`);
    await creatorPage.locator('.topbar select').selectOption('fi');
    await expect.poll(() => creatorPage.locator('.commission-item .amount').textContent()).toBe('10,35\u00a0€');
    expect(await creatorPage.locator('.commission-item .badge').textContent()).toBe('odottaa');
  });
});
