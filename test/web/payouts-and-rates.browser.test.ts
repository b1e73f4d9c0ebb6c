import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createProduct, startTestApp, type TestApp } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  runPayouts,
  sale,
  sepaProfile,
} from '../payouts/world.js';
import { accessible, type BrowserRun, startBrowser } from './browser.js';

/**
 * A brand marks one payout of a run failed, with what happened and why, and changes a product's
 * own commission rate on the program page; the world around them is made through the API.
 */
describe.skipIf(dialect !== 'sqlite')("a payout marked failed and a product's rate, in Chromium", () => {
  let t: TestApp;
  let run: BrowserRun;
  let base = '';
  let w: PayoutWorld;
  let page: Page;
  let runId = '';
  let payoutId = '';

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    w = await payoutWorld(t, { creators: 1 });
    const creator = w.creators[0]!;
    await sepaProfile(t, creator, freshIban());
    await sale(t, w, creator, 80_000);
    await approveAll(t);
    const res = await runPayouts(t, w);
    expect(res.statusCode).toBe(201);
    runId = res.json().run.id;
    payoutId = res.json().data[0].id;
    run = await startBrowser(base);
    page = await run.open({ width: 1280, height: 800 });
    await page.goto(`${base}/app/login`);
    await page.evaluate(`localStorage.setItem('kumppani.token', ${JSON.stringify(w.brand.token)})`);
  });
  afterAll(async () => {
    await run?.close();
    await t?.close();
  });
  // Each test's pages logged no script errors.
  afterEach(() => {
    expect(run.problems.splice(0)).toEqual([]);
  });

  it('marks one payout failed with a reason, which returns its commissions to the balance', async () => {
    await page.goto(`${base}/app/payouts/runs/${runId}`);
    const row = page.locator('tr.payout');
    await expect.poll(() => row.locator('.badge').textContent()).toBe('to send');
    await row.getByRole('button', { name: 'Mark failed' }).click();
    await row.getByLabel('What happened').selectOption('bank_return');
    // No reason: the server's refusal stands next to the field.
    await row.getByRole('button', { name: 'Mark this payout failed' }).click();
    await expect.poll(() => row.locator('.field.has-error').count()).toBe(1);
    await accessible(page, 'payout run, marking failed');
    await row.getByLabel('Reason').fill('The account is closed');
    await row.getByRole('button', { name: 'Mark this payout failed' }).click();
    await expect.poll(() => row.locator('.badge').textContent()).toBe('failed');
    expect(await row.textContent()).toContain('The account is closed');
    const payout = await call(t.app, w.brand.token, { method: 'GET', url: `/api/v1/payouts/${payoutId}` });
    expect(payout.json()).toMatchObject({ status: 'failed', failure: { code: 'bank_return' } });
    const balance = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/creators/${w.creators[0]!.creatorId}/balance?programId=${w.programId}`,
    });
    expect(balance.json()).toMatchObject({ approved: 8000, paid: 0 });
    // The run offers to pay the failed one again.
    expect(await page.getByRole('heading', { name: 'Failed payouts' }).count()).toBe(1);
  });

  it("changes a product's own rate on the program page, refusing what is not a rate", async () => {
    await createProduct(t.app, w.brand.token, w.programId, {
      externalId: 'mat-1',
      name: 'Yoga mat',
      rate: { type: 'percent', bps: 1000 },
    });
    await page.goto(`${base}/app/programs/${w.programId}`);
    const row = page.locator('.product-rates li', { hasText: 'Yoga mat' });
    await expect.poll(() => row.locator('.rate').textContent()).toBe('10%');
    await row.getByRole('button', { name: 'Change rate of Yoga mat' }).click();
    await row.getByLabel('Rate of Yoga mat (%)').fill('250');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('.field.has-error').count()).toBe(1);
    await accessible(page, 'program, product rate');
    await row.getByLabel('Rate of Yoga mat (%)').fill('12,5');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('.rate').textContent()).toBe('12.5%');
    const products = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/programs/${w.programId}/products`,
    });
    expect(products.json().data.find((p: { externalId: string }) => p.externalId === 'mat-1').rate).toEqual({
      type: 'percent',
      bps: 1250,
    });
    // Emptied, the product earns the program's default again.
    await row.getByRole('button', { name: 'Change rate of Yoga mat' }).click();
    await row.getByLabel('Rate of Yoga mat (%)').fill('');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('.rate').textContent()).toBe('program rules');
  });

  it("keeps a product's fixed amount per unit when its rate is edited, and takes a new one", async () => {
    const made = await createProduct(t.app, w.brand.token, w.programId, {
      externalId: 'strap-1',
      name: 'Yoga strap',
      rate: { type: 'flat', amount: 250 },
    });
    await page.goto(`${base}/app/programs/${w.programId}`);
    const row = page.locator('.product-rates li', { hasText: 'Yoga strap' });
    await expect.poll(() => row.locator('.rate').textContent()).toBe('€2.50 per unit');
    await row.getByRole('button', { name: 'Change rate of Yoga strap' }).click();
    // The form opens on the rate as it is: a fixed amount, not a percentage.
    expect(await row.getByLabel('Rate', { exact: true }).inputValue()).toBe('flat');
    const amount = row.getByLabel('Amount per unit sold (EUR)');
    expect(await amount.inputValue()).toBe('2.50');
    await amount.fill('3,10');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('.rate').textContent()).toBe('€3.10 per unit');
    const product = await call(t.app, w.brand.token, { method: 'GET', url: `/api/v1/products/${made.id}` });
    expect(product.json().rate).toEqual({ type: 'flat', amount: 310 });
  });
});
