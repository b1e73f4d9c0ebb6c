import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { accessible, type BrowserRun, startBrowser } from './browser.js';
import { buildWorld, signIn } from './world.js';

/**
 * Every main page in Chromium: axe-core finds no serious or critical violation, and the
 * screenshots of the README. The shop is made through the API (world.ts), with the bio page, a
 * paid payout and the brand's owner as the operator. KUMPPANI_SCREENSHOTS=1 writes the
 * screenshots into docs/screenshots/ (npm run screenshots).
 */
const SHOTS = process.env.KUMPPANI_SCREENSHOTS
  ? path.resolve('docs/screenshots')
  : mkdtempSync(path.join(os.tmpdir(), 'kumppani-shots-'));

describe.skipIf(dialect !== 'sqlite')('the main pages in Chromium', () => {
  let t: TestApp;
  let run: BrowserRun;
  let base: string;
  let brandPage: Page;
  let creatorPage: Page;
  let slug = '';
  let programId = '';

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const world = await buildWorld(t, base, { bio: true, paid: true, operator: true });
    slug = world.slug;
    programId = world.programId;
    run = await startBrowser(base);
    brandPage = await run.open({ width: 1280, height: 800 });
    creatorPage = await run.open({ width: 390, height: 844 });
    await signIn(brandPage, base, world.brand.token);
    await signIn(creatorPage, base, world.creator.token);
  });
  afterAll(async () => {
    await run?.close();
    await t?.close();
  });
  // Each test's pages logged no script errors.
  afterEach(() => {
    expect(run.problems.splice(0)).toEqual([]);
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
});
