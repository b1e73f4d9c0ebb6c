import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/server/web-app.js';
import { PASSWORD, startTestApp, type TestApp, uniqueEmail } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';

/**
 * The web app in a real Chromium, end to end through the real server: a brand signs up, makes a
 * program and invites a creator; the creator (on a 390 px phone) accepts, makes a link and a bio
 * page; the link is clicked; a sale comes in through the track API; the creator sees the pending
 * commission and its explanation. axe-core checks every main page. The app is the one the build
 * made (dist/web); the server reads the database like any other, so SQLite is enough here.
 * KUMPPANI_SCREENSHOTS=1 writes the screenshots into docs/screenshots/ (npm run screenshots).
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.KUMPPANI_SCREENSHOTS
  ? path.resolve('docs/screenshots')
  : mkdtempSync(path.join(os.tmpdir(), 'kumppani-shots-'));

describe.skipIf(dialect !== 'sqlite')('the web app in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let brandPage: Page;
  let creatorPage: Page;
  const contexts: BrowserContext[] = [];
  const creatorEmail = uniqueEmail('krista');
  const brandEmail = uniqueEmail('aino');
  let slug = '';
  let programId = '';
  const problems: string[] = [];

  async function open(viewport: { width: number; height: number }, locale = 'en-GB') {
    // The policy stays on for the app; only axe's injected script needs it lifted.
    const context = await browser.newContext({ viewport, locale, bypassCSP: true, deviceScaleFactor: 1 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/401|404|Failed to load resource/.test(m.text())) problems.push(m.text());
    });
    return page;
  }

  /** axe-core on the page as it is: no serious or critical violation. */
  async function accessible(page: Page, name: string) {
    await page.addScriptTag({ content: axe.source });
    const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as axe.AxeResults;
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);
  }

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  beforeAll(async () => {
    if (!existsSync(`${WEB_ROOT}index.html`)) throw new Error('dist/web is missing: npm run build builds the web app');
    if (!existsSync(CHROMIUM)) execFileSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    brandPage = await open({ width: 1280, height: 800 });
    creatorPage = await open({ width: 390, height: 844 });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await t?.close();
  });

  it('lets a brand sign up and land on its overview', async () => {
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
    await brandPage.goto(`${base}/app/programs/new`);
    await brandPage.getByLabel('Name', { exact: true }).fill('Revontuli Creators');
    await brandPage.getByLabel('Allowed domains').fill('not a domain!');
    await brandPage.getByRole('button', { name: 'Create program' }).click();
    await expect.poll(() => brandPage.locator('.field.has-error').count()).toBeGreaterThan(0);
  });

  it('lets the brand create a program with its settings', async () => {
    await brandPage.getByLabel('Allowed domains').fill('shop.example.com');
    await brandPage.getByLabel('Commission rate (%)').fill('15');
    await brandPage.getByLabel('Minimum payout').fill('10');
    await brandPage.getByLabel('IBAN', { exact: true }).fill('FI14 1009 3000 1234 58');
    await brandPage.getByLabel('BIC', { exact: true }).fill('NDEAFIHH');
    await brandPage.getByLabel('Account holder').fill('Revontuli Sport Oy');
    await brandPage.getByRole('button', { name: 'Create program' }).click();
    await brandPage.waitForURL(/\/app\/programs\/prg_/);
    programId = brandPage.url().split('/').pop() ?? '';
    expect(programId).toMatch(/^prg_/);
  });

  it('lets the brand add a performance tier, each setting explained beside it', async () => {
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
    await brandPage.goto(`${base}/app/creators`);
    await brandPage.getByLabel('Email addresses').fill(creatorEmail);
    await brandPage.getByRole('button', { name: 'Send invitations' }).click();
    await expect.poll(() => brandPage.getByRole('status').textContent()).toBe('1 invitation sent');
    await expect.poll(() => brandPage.locator('.table').textContent()).toContain('invited');
  });

  it('lets the invited creator sign up on a phone and accept', async () => {
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
    await creatorPage.goto(`${base}/app/me/links`);
    await creatorPage.getByLabel('Product page').fill('https://shop.example.com/leggings');
    await creatorPage.getByText('caption', { exact: true }).click();
    await creatorPage.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => creatorPage.locator('.link-url code').count()).toBe(1);
    slug = ((await creatorPage.locator('.link-url code').textContent()) ?? '').split('/').pop() ?? '';
    expect(slug).toMatch(/^[a-z0-9]{7}$/);
  });

  it('lets the creator build a bio page with a live preview', async () => {
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
    const click = await fetch(`${base}/${slug}?via=bio`, {
      redirect: 'manual',
      headers: {
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_34.1.0',
      },
    });
    const clickId = new URL(click.headers.get('location') ?? '').searchParams.get('kclid');
    const token = await brandPage.evaluate(`localStorage.getItem('kumppani.token')`);
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
    await brandPage.goto(`${base}/app/sales`);
    await expect.poll(() => brandPage.locator('.sale').count()).toBe(1);
    expect(await brandPage.locator('.sale').textContent()).toContain('click on a link');
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

  it('lets the creator give payout details, showing a wrong IBAN next to its field', async () => {
    // The creator switched to Finnish above; back to English for the labels here.
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

  it('has no serious or critical accessibility violation on the main pages', async () => {
    for (const [page, paths] of [
      [
        brandPage,
        [
          '/app/overview',
          '/app/programs',
          `/app/programs/${programId}`,
          '/app/creators',
          '/app/sales',
          '/app/review',
          '/app/payouts',
          '/app/invoices',
          '/app/statements',
          '/app/integrations',
          '/app/operator',
          '/app/settings',
        ],
      ],
      [
        creatorPage,
        ['/app/me/programs', '/app/me/links', '/app/me/results', '/app/me/earnings', '/app/me/payouts', '/app/me/bio'],
      ],
    ] as const) {
      for (const p of paths) {
        await page.goto(`${base}${p}`);
        await page.waitForLoadState('networkidle');
        await accessible(page, p);
      }
    }
  }, 120_000);

  it('takes screenshots of the main pages, two of them in both languages', async () => {
    // A few more sales, so that the pages show a working program.
    const token = await brandPage.evaluate(`localStorage.getItem('kumppani.token')`);
    for (const [orderId, amount] of [
      ['R-1002', 12900],
      ['R-1003', 4590],
      ['R-1004', 8900],
    ] as const) {
      const click = await fetch(`${base}/${slug}`, {
        redirect: 'manual',
        headers: {
          'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Instagram 334.0',
        },
      });
      const clickId = new URL(click.headers.get('location') ?? '').searchParams.get('kclid');
      await fetch(`${base}/api/v1/track/sale`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ programId, orderId, clickId, currency: 'EUR', lines: [{ amount, quantity: 1 }] }),
      });
    }
    for (const [page, name, p] of [
      [brandPage, 'brand-overview', '/app/overview'],
      [brandPage, 'brand-programs', '/app/programs'],
      [brandPage, 'brand-creators', '/app/creators'],
      [brandPage, 'brand-sales', '/app/sales'],
      [brandPage, 'brand-payouts', `/app/payouts?program=${programId}`],
      [creatorPage, 'creator-links', '/app/me/links'],
      [creatorPage, 'creator-results', '/app/me/results'],
      [creatorPage, 'creator-earnings', '/app/me/earnings'],
      [creatorPage, 'creator-bio', '/app/me/bio'],
    ] as const) {
      for (const lang of name === 'brand-overview' || name === 'creator-earnings' ? ['en', 'fi'] : ['en']) {
        await page.evaluate(`localStorage.setItem('kumppani.locale', '${lang}')`);
        await page.goto(`${base}${p}`);
        await page.waitForLoadState('networkidle');
        await shot(page, `${name}-${lang}`);
      }
    }
    await creatorPage.goto(`${base}/@krista.runs`);
    await shot(creatorPage, 'bio-page');
    await brandPage.goto(`${base}/app/login`);
    await brandPage.evaluate(`localStorage.removeItem('kumppani.token')`);
    await brandPage.goto(`${base}/app/signup`);
    await shot(brandPage, 'signup-en');
  });

  it('logged no script errors', () => {
    expect(problems).toEqual([]);
  });
});
