import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
 * The creators page's coupon codes in Chromium: a code with an open leak alert is marked, its
 * health shows the history of its alerts, and the brand rotates it. The code and its alerts are
 * made through the API and the database.
 */
describe.skipIf(dialect !== 'sqlite')('coupon codes on the creators page, in Chromium', () => {
  let t: TestApp;
  let run: BrowserRun;
  let base = '';
  let page: Page;
  let token = '';
  let codeId = '';

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    run = await startBrowser(base);
  });
  afterAll(async () => {
    await run?.close();
    await t?.close();
  });
  // Each test has a brand of its own with Krista's code KRISTA20 and its two alerts, and a new
  // page; each checks that its page logged no script errors.
  beforeEach(async () => {
    ({ token, codeId } = await codeWithAlerts());
    page = await run.open({ width: 1280, height: 900 });
    await page.goto(`${base}/app/login`);
    await page.evaluate(`localStorage.setItem('kumppani.token', ${JSON.stringify(token)})`);
  });
  afterEach(async () => {
    await page?.context().close();
    expect(run.problems.splice(0)).toEqual([]);
  });

  /** A brand whose creator's code has a resolved alert from 20 days ago and an open one from yesterday. */
  let worlds = 0;
  async function codeWithAlerts() {
    worlds += 1;
    const brand = await signupBrand(t.app, 'Revontuli');
    const token = brand.token;
    const program = await createProgram(t.app, token);
    const creator = await approvedCreator(t.app, token, program.id, 'Krista Koskinen');
    const codeId = (
      await createCode(t.app, token, program.id, {
        creatorId: creator.creatorId,
        code: 'KRISTA20',
        discount: { type: 'percent', bps: 2000 },
      })
    ).id;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    await t.database.handle.db
      .insertInto('code_alerts')
      .values([
        {
          id: `cal_01old${worlds}`,
          workspace_id: brand.workspaceId,
          program_id: program.id,
          code_id: codeId,
          reason: 'coupon_site',
          detail: 'Used from dealsite.example',
          status: 'resolved',
          resolution: 'not_leaked',
          note: 'A giveaway of our own',
          opened_at: at(20),
          resolved_at: at(19),
          resolved_by: brand.userId,
        },
        {
          id: `cal_02new${worlds}`,
          workspace_id: brand.workspaceId,
          program_id: program.id,
          code_id: codeId,
          reason: 'spike',
          detail: '41 uses yesterday, 90% without a click',
          status: 'open',
          resolution: null,
          note: null,
          opened_at: at(1),
          resolved_at: null,
          resolved_by: null,
        },
      ])
      .execute();
    return { token, codeId };
  }

  it('marks a code with an open leak alert and shows its health with the history of its alerts', async () => {
    await page.goto(`${base}/app/creators`);
    const row = page.locator('tr.code-row', { hasText: 'KRISTA20' });
    await expect.poll(() => row.locator('.badge').textContent()).toBe('leak alert');
    expect(await row.textContent()).toContain('Krista Koskinen');
    await row.getByRole('button', { name: 'Health of KRISTA20, last 30 days' }).click();
    const panel = page.getByRole('region', { name: 'Health of KRISTA20, last 30 days' });
    await expect.poll(() => panel.locator('.alert-history li').count()).toBe(2);
    const [newest, oldest] = await panel.locator('.alert-history li').allTextContents();
    expect(newest).toContain('open');
    expect(newest).toContain('Sudden rise in uses without clicks');
    expect(newest).toContain('41 uses yesterday');
    expect(oldest).toContain('not leaked');
    expect(oldest).toContain('A giveaway of our own');
    await accessible(page, 'creators, code health');
  });

  it('rotates the code, showing a refused new code next to its field', async () => {
    await page.goto(`${base}/app/creators`);
    const row = page.locator('tr.code-row', { hasText: 'KRISTA20' });
    await row.getByRole('button', { name: 'Rotate KRISTA20' }).click();
    const panel = page.getByRole('region', { name: 'Rotate KRISTA20' });
    await panel.getByLabel('New code').fill('not a code!');
    await panel.getByRole('button', { name: 'Rotate now' }).click();
    await expect.poll(() => panel.locator('.field.has-error').count()).toBe(1);
    await panel.getByLabel('New code').fill('KRISTA21');
    await panel.getByRole('button', { name: 'Rotate now' }).click();
    await expect
      .poll(() => panel.getByRole('status').textContent())
      .toBe('KRISTA20 is replaced by KRISTA21. Tell the creator their new code.');
    await expect
      .poll(() => page.locator('tr.code-row', { hasText: 'KRISTA21' }).locator('.badge').textContent())
      .toBe('active');
    expect(await row.locator('.badge').textContent()).toBe('replaced');
    const codes = (await call(t.app, token, { method: 'GET', url: '/api/v1/codes' })).json().data as {
      id: string;
      code: string;
      replacedBy: string | null;
    }[];
    const fresh = codes.find((c) => c.code === 'KRISTA21');
    expect(codes.find((c) => c.id === codeId)?.replacedBy).toBe(fresh?.id);
  });
});
