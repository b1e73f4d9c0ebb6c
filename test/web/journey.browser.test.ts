import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, PASSWORD, startTestApp, type TestApp, uniqueEmail } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { type BrowserRun, startBrowser } from './browser.js';
import { buildBrand, buildCreator, buildLink, buildProgram, buildWorld, signIn, TIKTOK_IPHONE } from './world.js';

/**
 * The web app in a real Chromium, end to end through the real server, as a brand and a creator
 * first use it: a brand signs up, makes a program and invites a creator; the creator (on a 390 px
 * phone) accepts, makes a link and a bio page; the link is clicked; a sale comes in through the
 * track API; the creator sees the pending commission and its explanation; the brand approves it,
 * runs a payout and downloads the SEPA file. The app is the one the build made (dist/web); the
 * server reads the database like any other, so SQLite is enough here. Each step starts from a
 * new server and database with the shop as the steps before it would have left it, made through
 * the API (world.ts), and from new pages; each checks that its pages logged no script errors.
 */
describe.skipIf(dialect !== 'sqlite')('the journey of a brand and a creator in Chromium', () => {
  let t: TestApp;
  let run: BrowserRun;
  let base: string;
  let brandPage: Page;
  let creatorPage: Page;

  beforeAll(async () => {
    run = await startBrowser('');
  });
  afterAll(async () => {
    await run?.close();
  });
  beforeEach(async () => {
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    brandPage = await run.open({ width: 1280, height: 800 });
    creatorPage = await run.open({ width: 390, height: 844 });
  });
  afterEach(async () => {
    await brandPage?.context().close();
    await creatorPage?.context().close();
    await t?.close();
    expect(run.problems.splice(0)).toEqual([]);
  });

  /** The brand's program form with its name typed in. */
  async function programForm() {
    await signIn(brandPage, base, (await buildBrand(t)).token);
    await brandPage.goto(`${base}/app/programs/new`);
    await brandPage.getByLabel('Name', { exact: true }).fill('Revontuli Creators');
  }

  it('lets a brand sign up and land on its overview', async () => {
    const brandEmail = uniqueEmail('aino');
    await brandPage.goto(`${base}/app/signup`);
    await brandPage.getByLabel('Your name').fill('Aino Virtanen');
    await brandPage.getByLabel('Brand name').fill('Revontuli Sport');
    await brandPage.getByLabel('Email').fill(brandEmail);
    await brandPage.getByLabel('Password').fill(PASSWORD);
    await brandPage.getByRole('button', { name: 'Create account' }).click();
    await brandPage.waitForURL('**/app/overview');
    await expect.poll(() => brandPage.getByRole('heading', { name: 'To do' }).isVisible()).toBe(true);
  });

  it('shows the API field error next to the field', async () => {
    await programForm();
    await brandPage.getByLabel('Allowed domains').fill('not a domain!');
    await brandPage.getByRole('button', { name: 'Create program' }).click();
    await expect.poll(() => brandPage.locator('.field.has-error').count()).toBeGreaterThan(0);
  });

  it('lets the brand create a program with its settings', async () => {
    await programForm();
    await brandPage.getByLabel('Allowed domains').fill('shop.example.com');
    await brandPage.getByLabel('Commission rate (%)').fill('15');
    await brandPage.getByLabel('Minimum payout').fill('10');
    await brandPage.getByLabel('IBAN', { exact: true }).fill('FI14 1009 3000 1234 58');
    await brandPage.getByLabel('BIC', { exact: true }).fill('NDEAFIHH');
    await brandPage.getByLabel('Account holder').fill('Revontuli Sport Oy');
    await brandPage.getByRole('button', { name: 'Create program' }).click();
    await brandPage.waitForURL(/\/app\/programs\/prg_/);
    const programId = brandPage.url().split('/').pop() ?? '';
    expect(programId).toMatch(/^prg_/);
  });

  it('lets the brand add a performance tier, each setting explained beside it', async () => {
    const { brand, programId } = await buildProgram(t);
    await signIn(brandPage, base, brand.token);
    await brandPage.goto(`${base}/app/programs/${programId}`);
    await brandPage.getByRole('button', { name: 'Add a tier' }).click();
    await brandPage.getByLabel('Tier 1: monthly sales from').fill('1000');
    await brandPage.getByLabel('Tier 1: rate (%)').fill('200');
    const tiers = brandPage.locator('.card', { has: brandPage.getByRole('heading', { name: 'Performance tiers' }) });
    await tiers.getByRole('button', { name: 'Save' }).click();
    // 200 % is refused by the API, and the refusal stands next to the rate.
    await expect.poll(() => tiers.locator('.field.has-error').count()).toBe(1);
    await brandPage.getByLabel('Tier 1: rate (%)').fill('20');
    await tiers.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => tiers.locator('.field.has-error').count()).toBe(0);
    const token = await brandPage.evaluate(`localStorage.getItem('kumppani.token')`);
    const res = await fetch(`${base}/api/v1/programs/${programId}`, { headers: { authorization: `Bearer ${token}` } });
    const program = (await res.json()) as { tiers: unknown };
    expect(program.tiers).toEqual([{ thresholdAmount: 100000, rate: { type: 'percent', bps: 2000 } }]);
    expect(await brandPage.getByText('More clicks than this from one visitor').count()).toBe(1);
  });

  it('lets the brand invite a creator by email', async () => {
    const { brand } = await buildProgram(t);
    await signIn(brandPage, base, brand.token);
    const creatorEmail = uniqueEmail('krista');
    await brandPage.goto(`${base}/app/creators`);
    await brandPage.getByLabel('Email addresses').fill(creatorEmail);
    await brandPage.getByRole('button', { name: 'Send invitations' }).click();
    await expect.poll(() => brandPage.getByRole('status').textContent()).toBe('1 invitation sent');
    await expect.poll(() => brandPage.locator('.table').textContent()).toContain('invited');
  });

  it('lets the invited creator sign up on a phone and accept', async () => {
    const { brand, programId } = await buildProgram(t);
    const creatorEmail = uniqueEmail('krista');
    const invite = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${programId}/enrollments`,
      payload: { creatorEmail },
    });
    expect(invite.statusCode).toBe(201);
    await creatorPage.goto(`${base}/app/signup`);
    await creatorPage.getByText('a creator', { exact: true }).click();
    await creatorPage.getByLabel('Your name').fill('Krista Koskinen');
    await creatorPage.getByLabel('Email').fill(creatorEmail);
    await creatorPage.getByLabel('Password').fill(PASSWORD);
    await creatorPage.getByRole('button', { name: 'Create account' }).click();
    await creatorPage.waitForURL('**/app/me/programs');
    await creatorPage.getByRole('button', { name: 'Accept invitation' }).click();
    await expect.poll(() => creatorPage.locator('.badge').first().textContent()).toBe('approved');
    await expect.poll(() => creatorPage.locator('.terms').first().textContent()).toContain('15%');
  });

  it('lets the creator make a link in two taps after typing the product page', async () => {
    const { creator } = await buildCreator(t);
    await signIn(creatorPage, base, creator.token);
    await creatorPage.goto(`${base}/app/me/links`);
    await creatorPage.getByLabel('Product page').fill('https://shop.example.com/leggings');
    await creatorPage.getByText('caption', { exact: true }).click();
    await creatorPage.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => creatorPage.locator('.link-url code').count()).toBe(1);
    const slug = ((await creatorPage.locator('.link-url code').textContent()) ?? '').split('/').pop() ?? '';
    expect(slug).toMatch(/^[a-z0-9]{7}$/);
  });

  it('lets the creator build a bio page with a live preview', async () => {
    const { creator, slug } = await buildLink(t);
    await signIn(creatorPage, base, creator.token);
    await creatorPage.goto(`${base}/app/me/bio`);
    await creatorPage.getByLabel('Handle').fill('krista.runs');
    await creatorPage.getByLabel('Title').fill('Krista — trail running');
    await creatorPage.getByLabel('Add a link').selectOption({ index: 1 });
    await expect.poll(() => creatorPage.locator('.bio-title').textContent()).toBe('Krista — trail running');
    await creatorPage.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => creatorPage.getByRole('status').textContent()).toBe('Saved');
    const res = await fetch(`${base}/@krista.runs`);
    expect(await res.text()).toContain(`href="/${slug}?via=bio"`);
  });

  it('shows the creator the pending commission of a tracked sale, with its explanation', async () => {
    const { brand, creator, programId, slug } = await buildLink(t);
    await signIn(creatorPage, base, creator.token);
    const click = await fetch(`${base}/${slug}?via=bio`, {
      redirect: 'manual',
      headers: { 'user-agent': TIKTOK_IPHONE },
    });
    const clickId = new URL(click.headers.get('location') ?? '').searchParams.get('kclid');
    const token = brand.token;
    const sale = await fetch(`${base}/api/v1/track/sale`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        programId,
        orderId: 'R-1001',
        clickId,
        currency: 'EUR',
        lines: [{ productId: 'leggings', amount: 6900, quantity: 1 }],
      }),
    });
    expect(sale.status).toBe(201);
    await creatorPage.goto(`${base}/app/me/earnings`);
    await expect.poll(() => creatorPage.locator('.commission-item').count()).toBe(1);
    expect(await creatorPage.locator('.commission-item .amount').textContent()).toBe('€10.35');
    expect(await creatorPage.locator('.commission-item .badge').textContent()).toBe('pending');
    expect(await creatorPage.locator('.commission-item .explanation').textContent()).toContain('15 %');
  });

  it('shows the brand the sale, how it was attributed and the commission explained', async () => {
    const { brand } = await buildWorld(t, base);
    await signIn(brandPage, base, brand.token);
    await brandPage.goto(`${base}/app/sales`);
    await expect.poll(() => brandPage.locator('.sale').count()).toBe(1);
    expect(await brandPage.locator('.sale').textContent()).toContain('click on a link');
  });

  it('lets the creator give payout details, showing a wrong IBAN next to its field', async () => {
    const { creator } = await buildWorld(t, base);
    await signIn(creatorPage, base, creator.token);
    // The labels below are the English ones, whatever the browser's language.
    await creatorPage.evaluate(`localStorage.setItem('kumppani.locale', 'en')`);
    await creatorPage.goto(`${base}/app/me/payouts`);
    await creatorPage.getByLabel('Account number (IBAN)').fill('FI21 1234 5600 0007 86');
    await creatorPage.getByLabel('Account holder').fill('Krista Koskinen');
    await creatorPage.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => creatorPage.locator('.field.has-error').textContent()).toContain('must be a valid IBAN');
    await creatorPage.getByLabel('Account number (IBAN)').fill('FI21 1234 5600 0007 85');
    await creatorPage.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => creatorPage.getByRole('status').textContent()).toBe('Saved');
    expect(await creatorPage.locator('.current-profile').textContent()).toContain('Bank transfer (SEPA)');
    await creatorPage.getByRole('button', { name: 'I agree to self-billing' }).click();
    await expect.poll(() => creatorPage.getByText(/^Agreed on/).count()).toBe(1);
  });

  it('lets the brand approve the commission, run a payout and download the SEPA file', async () => {
    const { brand, creator } = await buildWorld(t, base, { profile: true });
    await signIn(brandPage, base, brand.token);
    await signIn(creatorPage, base, creator.token);
    await brandPage.goto(`${base}/app/sales`);
    await brandPage.getByRole('button', { name: 'Approve now' }).click();
    await expect.poll(() => brandPage.locator('.commission .badge').first().textContent()).toBe('approved');
    await brandPage.goto(`${base}/app/payouts`);
    await brandPage.getByRole('button', { name: 'Preview payout run' }).click();
    await expect.poll(() => brandPage.locator('.preview .big').textContent()).toBe('1 payout, €10.35 in total');
    expect(await brandPage.locator('.preview tbody').textContent()).toContain('Krista Koskinen');
    await brandPage.getByRole('button', { name: 'Confirm 1 payout' }).click();
    await brandPage.waitForURL(/\/app\/payouts\/runs\/prun_/);
    const [file] = await Promise.all([
      brandPage.waitForEvent('download'),
      brandPage.getByRole('button', { name: 'SEPA credit transfer (XML)' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/sepa-pain\.001\.001\.09\.xml$/);
    const xml = readFileSync(await file.path(), 'utf8');
    // The group header and the payment block both count one transfer of 10.35 €.
    expect(xml.match(/<NbOfTxs>1<\/NbOfTxs>/g)).toHaveLength(2);
    expect(xml.match(/<CtrlSum>10\.35<\/CtrlSum>/g)).toHaveLength(2);
    expect(xml).toContain('<IBAN>FI2112345600000785</IBAN>');
    expect(xml).toContain('<IBAN>FI1410093000123458</IBAN>');
    await brandPage.getByRole('button', { name: 'Mark as sent to the bank' }).click();
    await expect.poll(() => brandPage.getByRole('status').textContent()).toContain('1 waiting for the bank');
    await brandPage.getByRole('button', { name: 'Mark all paid' }).click();
    await expect.poll(() => brandPage.locator('.payout .badge').first().textContent()).toBe('paid');
    await creatorPage.goto(`${base}/app/me/payouts`);
    await expect.poll(() => creatorPage.locator('.my-payout .badge').first().textContent()).toBe('paid');
    expect(await creatorPage.locator('.my-payout .amount').first().textContent()).toBe('€10.35');
    await expect.poll(() => creatorPage.locator('.invoice strong').first().textContent()).toBe('Invoice 1');
  });
});
