import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { approvedCreator, call, PASSWORD, signUp, type TestApp, uniqueEmail } from '../helpers/app.js';

/**
 * The shop of the browser tests, made through the API as the journey makes it in the browser
 * (journey.browser.test.ts): Revontuli Sport's program at 15 %, Krista Koskinen's link clicked
 * from TikTok on an iPhone and a sale of 69.00 € through it (a pending commission of 10.35 €);
 * optionally her bio page, the commission paid out, and the brand's owner as the operator.
 */
export interface World {
  brand: { token: string; email: string; workspaceId: string };
  creator: { token: string; email: string; creatorId: string };
  programId: string;
  slug: string;
  commissionId: string;
}

export const TIKTOK_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_34.1.0';

async function ok(res: { statusCode: number; body: string; json(): unknown }, status: number | number[], what: string) {
  if (![status].flat().includes(res.statusCode)) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, unknown> & { id: string };
}

const as = (t: TestApp, token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  call(t.app, token, { method, url, ...(payload ? { payload } : {}) });

/** Aino Virtanen's brand Revontuli Sport, signed up with no program yet. */
export async function buildBrand(t: TestApp): Promise<World['brand']> {
  const email = uniqueEmail('aino');
  const signed = await signUp(t.app, {
    email,
    password: PASSWORD,
    name: 'Aino Virtanen',
    kind: 'brand',
    workspaceName: 'Revontuli Sport',
  });
  return { token: signed.token as string, email, workspaceId: signed.workspace.id as string };
}

/** The brand above with its program at 15 %, before any creator joins. */
export async function buildProgram(t: TestApp): Promise<Pick<World, 'brand' | 'programId'>> {
  const brand = await buildBrand(t);
  const program = await ok(
    await as(t, brand.token, 'POST', '/api/v1/programs', {
      name: 'Revontuli Creators',
      currency: 'EUR',
      allowedDomains: ['shop.example.com'],
      defaultRate: { type: 'percent', bps: 1500 },
      minPayoutAmount: 1000,
      payoutAccount: { iban: 'FI1410093000123458', bic: 'NDEAFIHH', name: 'Revontuli Sport Oy' },
    }),
    201,
    'program',
  );
  return { brand, programId: program.id };
}

/** The program above with Krista Koskinen approved in it, before she makes a link. */
export async function buildCreator(t: TestApp): Promise<Pick<World, 'brand' | 'creator' | 'programId'>> {
  const { brand, programId } = await buildProgram(t);
  const krista = await approvedCreator(t.app, brand.token, programId, 'Krista Koskinen');
  return { brand, creator: { token: krista.token, email: krista.email, creatorId: krista.creatorId }, programId };
}

/** Krista above with her link to the leggings, before anyone clicks it. */
export async function buildLink(t: TestApp): Promise<Omit<World, 'commissionId'> & { linkId: string }> {
  const { brand, creator, programId } = await buildCreator(t);
  const link = await ok(
    await as(t, creator.token, 'POST', '/api/v1/links', {
      programId,
      destinationUrl: 'https://shop.example.com/leggings',
      placement: 'caption',
    }),
    201,
    'link',
  );
  return { brand, creator, programId, slug: link.slug as string, linkId: link.id };
}

/**
 * The shop with the link clicked and the sale made; with `profile` Krista has also given her
 * payout details and agreed to self-billing, and with `paid` her commission is paid out as well.
 */
export async function buildWorld(
  t: TestApp,
  base: string,
  options: { bio?: boolean; profile?: boolean; paid?: boolean; operator?: boolean } = {},
): Promise<World> {
  const { brand, creator, programId, slug, linkId } = await buildLink(t);
  const email = brand.email;
  const program = { id: programId };
  if (options.bio) {
    await ok(
      await as(t, creator.token, 'PUT', '/api/v1/creators/me/bio', {
        handle: 'krista.runs',
        title: 'Krista — trail running',
        links: [{ linkId, label: 'Leggings' }],
      }),
      [200, 201],
      'bio page',
    );
  }
  const click = await fetch(`${base}/${slug}?via=bio`, {
    redirect: 'manual',
    headers: { 'user-agent': TIKTOK_IPHONE },
  });
  const clickId = new URL(click.headers.get('location') ?? '').searchParams.get('kclid');
  const sale = await ok(
    await as(t, brand.token, 'POST', '/api/v1/track/sale', {
      programId: program.id,
      orderId: 'R-1001',
      clickId,
      currency: 'EUR',
      lines: [{ productId: 'leggings', amount: 6900, quantity: 1 }],
    }),
    201,
    'sale',
  );
  const commissionId = (sale.conversion as { commissions: { id: string }[] }).commissions[0]?.id ?? '';
  if (options.profile || options.paid) {
    await ok(
      await as(t, creator.token, 'PUT', '/api/v1/creators/me/payout-profile', {
        method: 'sepa',
        iban: 'FI21 1234 5600 0007 85',
        accountName: 'Krista Koskinen',
      }),
      200,
      'payout profile',
    );
    await ok(
      await as(t, creator.token, 'POST', '/api/v1/creators/me/self-billing-consent', { agree: true }),
      201,
      'consent',
    );
  }
  if (options.paid) {
    await ok(await as(t, brand.token, 'POST', `/api/v1/commissions/${commissionId}/approve`, {}), 200, 'approval');
    const run = await ok(
      await as(t, brand.token, 'POST', `/api/v1/programs/${program.id}/payouts`, {}),
      201,
      'payout run',
    );
    const runId = (run.run as { id: string }).id;
    await ok(await as(t, brand.token, 'POST', `/api/v1/payout-runs/${runId}/send`, {}), 200, 'sent');
    await ok(await as(t, brand.token, 'POST', `/api/v1/payout-runs/${runId}/mark-paid`, {}), 200, 'paid');
  }
  if (options.operator) {
    await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('email', '=', email).execute();
  }
  return { brand, creator, programId: program.id, slug, commissionId };
}

/** Opens the app signed in with a session token, as after a login. */
export async function signIn(page: Page, base: string, token: string) {
  await page.goto(`${base}/app/login`);
  await page.evaluate(`localStorage.setItem('kumppani.token', ${JSON.stringify(token)})`);
  expect(await page.evaluate(`localStorage.getItem('kumppani.token')`)).toBe(token);
}
