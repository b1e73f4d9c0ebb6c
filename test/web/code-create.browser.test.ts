import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  call,
  createCode,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
} from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { accessible, type BrowserRun, startBrowser } from './browser.js';

/**
 * A brand makes a creator's coupon code on the creators page, and settles a leak alert there.
 * Each test has a brand and program of its own, made through the API (the alert through the
 * database, as no API opens one).
 */
describe.skipIf(dialect !== 'sqlite')('making codes and settling their alerts, in Chromium', () => {
  let t: TestApp;
  let run: BrowserRun;
  let base = '';

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    run = await startBrowser(base);
  });
  afterAll(async () => {
    await run?.close();
    await t?.close();
  });
  // Each test's pages logged no script errors.
  afterEach(() => {
    expect(run.problems.splice(0)).toEqual([]);
  });

  async function brandWithCreator(name: string) {
    const brand = await signupBrand(t.app, name);
    const program = await createProgram(t.app, brand.token);
    const creator = await approvedCreator(t.app, brand.token, program.id, 'Krista Koskinen');
    const page: Page = await run.open({ width: 1280, height: 900 });
    await page.goto(`${base}/app/login`);
    await page.evaluate(`localStorage.setItem('kumppani.token', ${JSON.stringify(brand.token)})`);
    return { brand, program, creator, page };
  }

  it('makes a vanity code with a percentage off, showing a refused discount next to its field', async () => {
    const { brand, creator, page } = await brandWithCreator('Revontuli');
    await page.goto(`${base}/app/creators`);
    const form = page.getByRole('form', { name: 'New coupon code' });
    await form.getByLabel('Code', { exact: true }).fill('KRISTA15');
    await form.getByLabel('Discount (%)').fill('150');
    await form.getByRole('button', { name: 'Create code' }).click();
    await expect.poll(() => form.locator('.field.has-error').count()).toBe(1);
    await accessible(page, 'creators, new code');
    await form.getByLabel('Discount (%)').fill('15');
    await form.getByRole('button', { name: 'Create code' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('KRISTA15 is ready. Give it to the creator.');
    await expect.poll(() => page.locator('tr.code-row', { hasText: 'KRISTA15' }).count()).toBe(1);
    const codes = (await call(t.app, brand.token, { method: 'GET', url: '/api/v1/codes' })).json().data;
    expect(codes).toEqual([
      expect.objectContaining({
        code: 'KRISTA15',
        creatorId: creator.creatorId,
        discount: { type: 'percent', bps: 1500 },
      }),
    ]);
  });

  it('makes a code from the creator’s name with an amount off the order', async () => {
    const { brand, page } = await brandWithCreator('Aurora');
    await page.goto(`${base}/app/creators`);
    const form = page.getByRole('form', { name: 'New coupon code' });
    await form.getByLabel('Discount', { exact: true }).selectOption('flat');
    await form.getByLabel('Amount off (EUR)').fill('5,50');
    await form.getByRole('button', { name: 'Create code' }).click();
    await expect.poll(() => form.getByRole('status').count()).toBe(1);
    const codes = (await call(t.app, brand.token, { method: 'GET', url: '/api/v1/codes' })).json().data;
    expect(codes).toHaveLength(1);
    expect(codes[0].discount).toEqual({ type: 'flat', amount: 550 });
    expect(await form.getByRole('status').textContent()).toBe(`${codes[0].code} is ready. Give it to the creator.`);
  });

  it('settles an open leak alert as not leaked, with a note, and shows it in the history', async () => {
    const { brand, program, creator, page } = await brandWithCreator('Kaamos');
    const code = await createCode(t.app, brand.token, program.id, {
      creatorId: creator.creatorId,
      code: 'KRISTA20',
      discount: { type: 'percent', bps: 2000 },
    });
    await t.database.handle.db
      .insertInto('code_alerts')
      .values({
        id: 'cal_03settle',
        workspace_id: brand.workspaceId,
        program_id: program.id,
        code_id: code.id,
        reason: 'spike',
        detail: '41 uses yesterday, 90% without a click',
        status: 'open',
        resolution: null,
        note: null,
        opened_at: new Date(Date.now() - 86_400_000).toISOString(),
        resolved_at: null,
        resolved_by: null,
      })
      .execute();
    await page.goto(`${base}/app/creators`);
    const row = page.locator('tr.code-row', { hasText: 'KRISTA20' });
    await expect.poll(() => row.locator('.badge').textContent()).toBe('leak alert');
    await row.getByRole('button', { name: 'Health of KRISTA20, last 30 days' }).click();
    const panel = page.getByRole('region', { name: 'Health of KRISTA20, last 30 days' });
    await panel.getByLabel('Note (why)').fill('A live stream of our own');
    await panel.getByRole('button', { name: 'Not leaked: release the held commissions' }).click();
    await expect.poll(() => panel.locator('.alert-history li .badge').first().textContent()).toBe('not leaked');
    expect(await panel.locator('.alert-history li').first().textContent()).toContain('A live stream of our own');
    await expect.poll(() => row.locator('.badge').textContent()).toBe('active');
    const alerts = await call(t.app, brand.token, {
      method: 'GET',
      url: `/api/v1/programs/${program.id}/code-alerts?status=all`,
    });
    expect(alerts.json().data).toEqual([
      expect.objectContaining({ id: 'cal_03settle', status: 'resolved', resolution: 'not_leaked' }),
    ]);
  });
});
