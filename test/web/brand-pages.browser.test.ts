import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { type BrowserRun, startBrowser } from './browser.js';
import { buildWorld, signIn } from './world.js';

/**
 * The brand's other pages in Chromium — a session that ends, invoices, a creator's own rate, the
 * shop integration, the operator's settings, the to-do card — and the creator applying to an open
 * program. The shop is made through the API (world.ts), its first commission already paid out.
 */
describe.skipIf(dialect !== 'sqlite')("the brand's pages in Chromium", () => {
  let t: TestApp;
  let run: BrowserRun;
  let base: string;
  let brandPage: Page;
  let creatorPage: Page;
  let brandEmail = '';
  let programId = '';

  beforeAll(async () => {
    run = await startBrowser('');
  });
  afterAll(async () => {
    await run?.close();
  });
  // Each test has a server and database of its own with the shop made through the API, its first
  // commission paid out, and new pages; each checks that its pages logged no script errors.
  beforeEach(async () => {
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const world = await buildWorld(t, base, { paid: true });
    brandEmail = world.brand.email;
    programId = world.programId;
    brandPage = await run.open({ width: 1280, height: 800 });
    creatorPage = await run.open({ width: 390, height: 844 });
    await signIn(brandPage, base, world.brand.token);
    await signIn(creatorPage, base, world.creator.token);
  });
  afterEach(async () => {
    await brandPage?.context().close();
    await creatorPage?.context().close();
    await t?.close();
    expect(run.problems.splice(0)).toEqual([]);
  });

  /** A second program of the brand, open to applications, made through the API. */
  async function openProgram() {
    const token = await brandPage.evaluate(`localStorage.getItem('kumppani.token')`);
    const created = await fetch(`${base}/api/v1/programs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Revontuli Trail Team',
        currency: 'EUR',
        allowedDomains: ['shop.example.com'],
        defaultRate: { type: 'percent', bps: 1000 },
        visibility: 'open',
      }),
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as { id: string }).id;
  }

  it('returns to the login page when the session ends, keeping what was typed', async () => {
    await brandPage.goto(`${base}/app/programs/new`);
    await brandPage.getByLabel('Name', { exact: true }).fill('Typed before the session ended');
    const token = await brandPage.evaluate(`localStorage.getItem('kumppani.token')`);
    await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await brandPage.getByLabel('Allowed domains').fill('shop.example.com');
    await brandPage.getByRole('button', { name: 'Create program' }).click();
    await brandPage.waitForURL(/\/app\/login\?expired=1/);
    expect(await brandPage.getByRole('status').textContent()).toContain('what you typed is kept');
    await brandPage.getByLabel('Email').fill(brandEmail);
    await brandPage.getByLabel('Password').fill(PASSWORD);
    await brandPage.getByRole('button', { name: 'Log in' }).click();
    await brandPage.waitForURL('**/app/programs/new');
    await expect
      .poll(() => brandPage.getByLabel('Name', { exact: true }).inputValue())
      .toBe('Typed before the session ended');
  });

  it("lists the payout's self-billing invoice for the brand, as a PDF, and takes the brand's invoicing details", async () => {
    await brandPage.goto(`${base}/app/invoices`);
    await expect.poll(() => brandPage.locator('.invoice strong').first().textContent()).toBe('Invoice 1');
    expect(await brandPage.locator('.invoice .amount').first().textContent()).toBe('€10.35');
    const [pdf] = await Promise.all([
      brandPage.waitForEvent('download'),
      brandPage.locator('.invoice').getByRole('button', { name: 'PDF' }).click(),
    ]);
    expect(
      readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await brandPage.getByLabel('Legal name').fill('Revontuli Sport Oy');
    await brandPage.getByLabel('Street address').fill('Mannerheimintie 1');
    await brandPage.getByLabel('Postal code').fill('00100');
    await brandPage.getByLabel('City').fill('Helsinki');
    await brandPage.getByLabel('Country').fill('FI');
    await brandPage.getByLabel('VAT number').fill('12');
    await brandPage.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => brandPage.locator('.field.has-error').textContent()).toContain('VAT number');
    await brandPage.getByLabel('VAT number').fill('FI12345678');
    await brandPage.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => brandPage.getByRole('status').textContent()).toBe('Saved');
  });

  it("lets the brand set a creator's own rate and see each creator's results", async () => {
    await brandPage.goto(`${base}/app/creators`);
    const row = brandPage.locator('tbody tr', { hasText: 'Krista Koskinen' });
    await expect.poll(() => row.textContent()).toContain('1 click · 1 sale · €10.35');
    await row.getByRole('button', { name: /program rules/ }).click();
    await row.getByLabel('Own rate (%)').fill('12.5');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.getByRole('button', { name: /12\.5%/ }).count()).toBe(1);
  });

  it('lets the brand connect its shop, send a test event and see it in the delivery log', async () => {
    await brandPage.goto(`${base}/app/integrations`);
    const card = brandPage.locator('.card', { has: brandPage.getByRole('heading', { name: 'WooCommerce' }) });
    await card.getByLabel('Signing secret').fill('short');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.locator('.field.has-error').textContent()).toContain('at least 8 characters');
    await card.getByLabel('Signing secret').fill('woo-secret-for-the-test');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.locator('.card-head .badge').textContent()).toContain('Connected');
    await card.getByRole('button', { name: 'Send a test event' }).click();
    await expect.poll(() => card.locator('.deliveries li').count()).toBe(1);
    expect(await card.locator('.deliveries .badge').first().textContent()).toBe('verified');
  });

  it("lets the instance operator set an exchange rate and a brand's network fees", async () => {
    await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('email', '=', brandEmail).execute();
    await brandPage.goto(`${base}/app/operator`);
    await brandPage.getByLabel('Rate', { exact: true }).fill('0.9214');
    await brandPage.getByRole('button', { name: 'Save' }).first().click();
    await expect.poll(() => brandPage.locator('.rates').textContent()).toContain('1 USD = 0.9214 EUR');
    const plan = brandPage.locator('.fee-plan', { hasText: 'Revontuli Sport' });
    await plan.getByLabel('Share of each sale (%)').fill('101');
    await plan.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => plan.locator('.field.has-error').count()).toBe(1);
    await plan.getByLabel('Share of each sale (%)').fill('5');
    await plan.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => plan.locator('p.muted').textContent()).toContain('5% of each sale');
  });

  it('shows the creator the programs open to applications, and applies in one tap', async () => {
    await openProgram();
    await creatorPage.goto(`${base}/app/me/programs`);
    const card = creatorPage.locator('.card', {
      has: creatorPage.getByRole('heading', { name: 'Revontuli Trail Team' }),
    });
    await expect.poll(() => card.locator('.terms').textContent()).toContain('10%');
    await card.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => creatorPage.locator('.card', { hasText: 'Revontuli Trail Team' }).locator('.badge').textContent())
      .toBe('applied');
  });

  it("shows the brand's to-do counted by the server: the application and a failing webhook", async () => {
    // The creator applies to the brand's open program, and the brand connects its WooCommerce shop.
    const open = await openProgram();
    const applied = await fetch(`${base}/api/v1/programs/${open}/enrollments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await creatorPage.evaluate(`localStorage.getItem('kumppani.token')`)}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(applied.status).toBe(201);
    const connected = await fetch(`${base}/api/v1/programs/${programId}/integrations/woocommerce`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await brandPage.evaluate(`localStorage.getItem('kumppani.token')`)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ webhookSecret: 'woo-secret-for-the-test' }),
    });
    expect(connected.status).toBe(200);
    // The shop's next delivery carries a wrong signature: the integration is failing.
    const refused = await fetch(`${base}/api/v1/integrations/woocommerce/${programId}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-topic': 'order.updated',
        'x-wc-webhook-signature': 'bad',
      },
      body: JSON.stringify({ id: 1 }),
    });
    expect(refused.status).toBe(401);
    await brandPage.goto(`${base}/app/overview`);
    const todo = brandPage.locator('.card', { has: brandPage.getByRole('heading', { name: 'To do' }) });
    await expect
      .poll(() => todo.locator('li.due').allTextContents())
      .toEqual([
        '1 creator waiting for approval',
        expect.stringContaining('The WooCommerce webhook of Revontuli Creators is failing'),
      ]);
    expect(await todo.textContent()).toContain('No code-leak alerts');
    expect(await todo.textContent()).toContain('No payouts to confirm');
    expect(await todo.textContent()).toContain('No commissions held for review');
  });
});
