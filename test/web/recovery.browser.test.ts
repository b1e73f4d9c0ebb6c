import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { PASSWORD, startTestApp, type TestApp, uniqueEmail } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { accessible, type BrowserRun, fitsWidth, freePort, startBrowser } from './browser.js';

/**
 * The pages the account emails link to, on an instance the world can reach (its public URL is not a
 * loopback address, so signup is confirmed by email): the email arrives at a real SMTP server, and
 * Chromium, on a 390 px phone, follows the link in it as it is written. The instance's host name
 * is mapped to this machine inside Chromium.
 */
const HOST = 'kumppani.test';
const phone = { width: 390, height: 844 };
const to = (address: string) => (m: { envelopeTo: string[] }) => m.envelopeTo.includes(address);

describe.skipIf(dialect !== 'sqlite')('confirming an address and setting a new password in Chromium', () => {
  const clock = fixedClock(new Date());
  let smtp: TestSmtp;
  let t: TestApp;
  let run: BrowserRun;
  let base = '';

  /** The link to `path` in the nth email to an address that holds one, as its reader would click it. */
  async function linkIn(address: string, path: string, nth = 1) {
    const pattern = new RegExp(`https?://\\S+/app/${path}\\?token=[\\w-]+`);
    const links = () => smtp.received.filter(to(address)).flatMap((m) => pattern.exec(m.parsed.text ?? '')?.[0] ?? []);
    await expect.poll(() => links().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(nth);
    const link = links()[nth - 1] ?? '';
    expect(link.startsWith(`${base}/app/${path}?token=kpt_`)).toBe(true);
    return link;
  }

  /** A creator who signed up and confirmed the address through the API: its email and the used link. */
  async function confirmedCreator(name: string) {
    const address = uniqueEmail(name.toLowerCase());
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: address, password: PASSWORD, name, kind: 'creator' },
    });
    expect(signup.statusCode).toBe(202);
    const link = await linkIn(address, 'verify-email');
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token: new URL(link).searchParams.get('token') },
    });
    expect(confirmed.statusCode).toBe(200);
    return { email: address, confirmLink: link };
  }

  async function check(page: Page, name: string) {
    await page.waitForLoadState('networkidle');
    await fitsWidth(page);
    await accessible(page, name);
  }

  beforeAll(async () => {
    smtp = await startSmtp();
    const port = await freePort();
    base = `http://${HOST}:${port}`;
    t = await startTestApp({
      clock,
      config: { publicUrl: base, mail: { smtpUrl: smtp.url, from: 'Kumppani <no-reply@kumppani.test>' } },
    });
    await t.app.listen({ host: '127.0.0.1', port });
    // The instance's name points here; its origin counts as secure, as a public instance's https one would.
    run = await startBrowser(base, [
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      `--unsafely-treat-insecure-origin-as-secure=${base}`,
      '--disable-features=HttpsUpgrades',
    ]);
  });
  afterAll(async () => {
    await run?.close();
    await t?.close();
    await smtp?.close();
  });
  // Each test's pages logged no script errors.
  afterEach(() => {
    expect(run.problems.splice(0)).toEqual([]);
  });

  it('lets a creator sign up on a phone, follow the emailed link and log in', async () => {
    const email = uniqueEmail('veera');
    const page = await run.open(phone);
    await page.goto(`${base}/app/signup`);
    await page.getByText('a creator', { exact: true }).click();
    await page.getByLabel('Your name').fill('Veera Niemi');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Check your email' }).count()).toBe(1);
    // Without a confirmed address the account cannot log in yet.
    const confirmLink = await linkIn(email, 'verify-email');
    await page.goto(confirmLink);
    await expect.poll(() => page.getByRole('heading', { name: 'Your address is confirmed' }).count()).toBe(1);
    await check(page, 'verify-email');
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.waitForURL('**/app/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/app/me/programs');
  });

  it('answers a used link clearly, and sends a new link to an account still waiting for confirmation', async () => {
    const { confirmLink } = await confirmedCreator('Veikko');
    const page = await run.open(phone);
    await page.goto(confirmLink);
    await expect.poll(() => page.getByRole('heading', { name: 'This link no longer works' }).count()).toBe(1);
    expect(await page.getByRole('alert').textContent()).toContain('expired or has already been used');
    await check(page, 'verify-email, used');

    // Someone else signed up and let the link expire: two days later they ask for a new one.
    const waiting = uniqueEmail('waiting');
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: waiting, password: PASSWORD, name: 'Waiting', kind: 'brand', workspaceName: 'Odotus Oy' },
    });
    expect(signup.statusCode).toBe(202);
    const expired = await linkIn(waiting, 'verify-email');
    clock.advance(49 * 3_600_000);
    await page.goto(expired);
    await expect.poll(() => page.getByRole('heading', { name: 'This link no longer works' }).count()).toBe(1);
    await page.getByLabel('Email').fill(waiting);
    await page.getByRole('button', { name: 'Send a new link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`If ${waiting} has an account`);
    const fresh = await linkIn(waiting, 'verify-email', 2);
    expect(fresh).not.toBe(expired);
    await page.goto(fresh);
    await expect.poll(() => page.getByRole('heading', { name: 'Your address is confirmed' }).count()).toBe(1);
  });

  it('lets a person who forgot the password set a new one, in Finnish, telling nobody which addresses have accounts', async () => {
    const { email } = await confirmedCreator('Venla');
    const page = await run.open(phone, 'fi-FI');
    await page.goto(`${base}/app/login`);
    await expect.poll(() => page.getByRole('heading', { name: 'Kirjaudu sisään' }).count()).toBe(1);
    await page.getByLabel('Sähköposti').fill(email);
    await page.getByRole('link', { name: 'Unohditko salasanasi?' }).click();
    await page.waitForURL('**/app/reset-password');
    // The address typed on the login page comes along.
    expect(await page.getByLabel('Sähköposti').inputValue()).toBe(email);
    await check(page, 'reset-password, asking');
    await page.getByRole('button', { name: 'Lähetä linkki' }).click();
    const known = (await page.getByRole('status').textContent()) ?? '';
    expect(known).toContain(email);

    const nobody = uniqueEmail('nobody');
    await page.goto(`${base}/app/reset-password`);
    await page.getByLabel('Sähköposti').fill(nobody);
    await page.getByRole('button', { name: 'Lähetä linkki' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(nobody);
    const unknown = (await page.getByRole('status').textContent()) ?? '';
    expect(unknown.replace(nobody, '…')).toBe(known.replace(email, '…'));

    const link = await linkIn(email, 'reset-password');
    expect(smtp.received.some(to(nobody))).toBe(false);
    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { name: 'Aseta uusi salasana' }).count()).toBe(1);
    await page.getByLabel('Uusi salasana').fill('aaaaaaaaaaaa');
    await page.getByRole('button', { name: 'Tallenna uusi salasana' }).click();
    // The server's refusal stands next to the field.
    await expect.poll(() => page.locator('.field.has-error').textContent()).toContain('different characters');
    await check(page, 'reset-password, new password');
    await page.getByLabel('Uusi salasana').fill('new-trail-passphrase-2026');
    await page.getByRole('button', { name: 'Tallenna uusi salasana' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Salasanasi on vaihdettu' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Kirjaudu' }).click();
    await page.getByLabel('Sähköposti').fill(email);
    await page.getByLabel('Salasana').fill('new-trail-passphrase-2026');
    await page.getByRole('button', { name: 'Kirjaudu' }).click();
    await page.waitForURL('**/app/me/programs');
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(old.statusCode).toBe(401);

    // The link works once.
    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { name: 'Aseta uusi salasana' }).count()).toBe(1);
    await page.getByLabel('Uusi salasana').fill('another-trail-passphrase');
    await page.getByRole('button', { name: 'Tallenna uusi salasana' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Tämä linkki ei enää toimi' }).count()).toBe(1);
  });
});
