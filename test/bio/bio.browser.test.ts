import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type CreatorAccount,
  call,
  createCode,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { xssPayloads } from './xss-corpus.js';

/**
 * The bio page in a real Chromium: its one script runs under its own policy (the hash is right),
 * the copy button copies and is counted, the page works without script, and none of the XSS
 * corpus runs. The page reads the database like any other, so SQLite is enough here. Each test
 * starts from the same page (the XSS test changes it), so that they pass in any order.
 */
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(dialect !== 'sqlite')('the bio page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let creator: CreatorAccount;
  let linkIds: string[] = [];
  let codeId: string;
  const cspViolations: string[] = [];
  let saved = false;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) execFileSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' });
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing and could not be installed`);
    t = await startTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const brand = await signupBrand(t.app, 'Aino');
    const programId = (await createProgram(t.app, brand.token, validProgram)).id;
    creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
    linkIds = [];
    for (let i = 0; i < 2; i++) {
      linkIds.push(
        (await createLink(t.app, creator.token, { programId, destinationUrl: `https://shop.example.com/p${i}` })).id,
      );
    }
    codeId = (
      await createCode(t.app, brand.token, programId, {
        creatorId: creator.creatorId,
        code: 'KRISTA20',
        discount: { type: 'percent', bps: 2000 },
      })
    ).id;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function save(title: string, bio: string | null, label: string) {
    const res = await call(t.app, creator.token, {
      method: 'PUT',
      url: '/api/v1/creators/me/bio',
      payload: {
        handle: 'krista',
        title: title.slice(0, 80),
        bio,
        links: linkIds.map((linkId) => ({ linkId, label: label.slice(0, 80) })),
      },
    });
    // The first save makes the page; every later one replaces it.
    expect(res.statusCode, res.body).toBe(saved ? 200 : 201);
    saved = true;
  }

  beforeEach(async () => {
    await save('Krista', 'Runner', 'My leggings');
  });

  const copies = async () =>
    (await call(t.app, creator.token, { method: 'GET', url: '/api/v1/creators/me/bio' })).json().codeCopies;

  async function open(path: string, options: { javaScriptEnabled?: boolean } = {}) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('dialog', (d) => {
      cspViolations.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${base}${path}`);
    return { page, context };
  }

  it('runs its own script under its policy: the copy buttons appear', async () => {
    const { page, context } = await open('/@krista');
    await expect.poll(() => page.locator('button[data-copy]').first().isVisible()).toBe(true);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('copies the code with one tap and counts the copy', async () => {
    const before = ((await copies()) as { copies: number }[])[0]?.copies ?? 0;
    const { page, context } = await open('/@krista');
    await page.locator('button[data-copy]').first().click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe('KRISTA20');
    await expect.poll(() => page.locator('button[data-copy]').first().textContent()).toBe('Copied');
    await expect.poll(copies).toEqual([{ codeId, code: 'KRISTA20', copies: before + 1 }]);
    await context.close();
  });

  it('works without script: links and codes are there, copy buttons stay hidden', async () => {
    const { page, context } = await open('/@krista', { javaScriptEnabled: false });
    expect(await page.locator('a.l').count()).toBe(2);
    expect(await page.locator('.c b').first().textContent()).toBe('KRISTA20');
    expect(await page.locator('button[data-copy]').first().isVisible()).toBe(false);
    await context.close();
  });

  it('runs none of the XSS corpus put in the title, bio and labels', async () => {
    const { page, context } = await open('/@krista');
    for (const payload of xssPayloads) {
      await save(payload, payload, payload);
      await page.goto(`${base}/@krista`);
      await page.locator('a.l').first().hover();
      expect(await page.evaluate('window.__xss'), payload).toBeUndefined();
      expect(await page.locator('h1').textContent()).toBe(payload.slice(0, 80).trim());
    }
    await context.close();
  });
});
