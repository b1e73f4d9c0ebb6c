import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signupCreator, startTestApp, type TestApp } from '../helpers/app.js';
import { approveAll, freshIban, ibans, payoutWorld, runPayouts, sale, sepaProfile } from './world.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const put = (token: string, payload: object) =>
  call(t.app, token, { method: 'PUT', url: '/api/v1/creators/me/payout-profile', payload });

describe('a payout profile', () => {
  it('shows a SEPA account masked', async () => {
    const c = await signupCreator(t.app);
    const res = await put(c.token, {
      method: 'sepa',
      iban: 'fi21 1234 5600 0007 85',
      bic: 'ndeafihh',
      accountName: 'Aino',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toEqual({ iban: 'FI21 •••• 0785', bic: 'NDEAFIHH', accountName: 'Aino' });
    const read = await call(t.app, c.token, { method: 'GET', url: '/api/v1/creators/me/payout-profile' });
    expect(read.json().details.iban).toBe('FI21 •••• 0785');
  });

  it('keeps the bank details encrypted at rest', async () => {
    const c = await signupCreator(t.app);
    const iban = freshIban();
    await sepaProfile(t, c, iban);
    const row = await t.database.handle.db
      .selectFrom('payout_profiles')
      .selectAll()
      .where('creator_id', '=', c.creatorId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(iban);
    expect(JSON.stringify(row)).not.toContain(iban.slice(4));
    expect(row.details_sealed).toMatch(/^v1\./);
  });

  it('refuses an IBAN whose check digits are wrong, naming the field', async () => {
    const c = await signupCreator(t.app);
    const res = await put(c.token, { method: 'sepa', iban: 'FI2112345600000786', accountName: 'Aino' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      res
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .join(),
    ).toMatch(/iban/);
  });

  it('refuses a BIC that is not 8 or 11 characters', async () => {
    const c = await signupCreator(t.app);
    const res = await put(c.token, { method: 'sepa', iban: ibans.fi, bic: 'NDEAFI', accountName: 'Aino' });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .join(),
    ).toMatch(/bic/);
  });

  it('refuses a PayPal email that is not an email', async () => {
    const c = await signupCreator(t.app);
    const res = await put(c.token, { method: 'paypal', paypalEmail: 'aino at example.com' });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .join(),
    ).toMatch(/paypalEmail/);
  });

  it('refuses a method it does not know', async () => {
    const c = await signupCreator(t.app);
    const res = await put(c.token, { method: 'cheque', payee: 'Aino' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps the tax and invoicing details when only the method changes', async () => {
    const c = await signupCreator(t.app);
    await put(c.token, {
      method: 'paypal',
      paypalEmail: 'aino@example.com',
      legalName: 'Aino Virtanen',
      address: { line1: 'Mannerheimintie 1', postalCode: '00100', city: 'Helsinki', country: 'fi' },
      vatNumber: 'FI 1234 5678',
      vatRegistered: true,
      taxForm: 'w8ben',
      taxFormReceivedAt: '2026-11-01T00:00:00Z',
    });
    const res = await put(c.token, { method: 'stripe', stripeAccountId: 'acct_1Nv0FGQ9RKHgCVdK' });
    expect(res.json()).toMatchObject({
      method: 'stripe',
      details: { stripeAccountId: 'acct_•••CVdK' },
      legalName: 'Aino Virtanen',
      country: 'FI',
      vatNumber: 'FI12345678',
      vatRegistered: true,
      taxForm: 'w8ben',
      taxFormReceivedAt: '2026-11-01T00:00:00.000Z',
      invoicingComplete: true,
    });
  });

  it('answers 404 before a creator has set one', async () => {
    const c = await signupCreator(t.app);
    const res = await call(t.app, c.token, { method: 'GET', url: '/api/v1/creators/me/payout-profile' });
    expect(res.statusCode).toBe(404);
  });
});

describe('shared payout details', () => {
  it('flag two creators giving the same account, and neither is paid before a review', async () => {
    const w = await payoutWorld(t, { creators: 3 });
    const [a, b, c] = w.creators;
    const shared = freshIban();
    await sepaProfile(t, a!, shared);
    await sepaProfile(t, b!, `${shared.slice(0, 4)} ${shared.slice(4, 12)} ${shared.slice(12)}`.toLowerCase());
    await sepaProfile(t, c!, freshIban());
    for (const x of w.creators) await sale(t, w, x, 60_000);
    await approveAll(t);
    const dry = (await runPayouts(t, w, { dryRun: true })).json();
    expect(dry.data.map((p: { creatorId: string }) => p.creatorId)).toEqual([c!.creatorId]);
    expect(dry.blocked.map((h: { creatorId: string; reason: string }) => [h.creatorId, h.reason]).sort()).toEqual(
      [
        [a!.creatorId, 'payout_details_under_review'],
        [b!.creatorId, 'payout_details_under_review'],
      ].sort(),
    );
    expect((await runPayouts(t, w)).json().data).toHaveLength(1);
    expect((await runPayouts(t, w)).json().data).toEqual([]);
  });

  it('flag two creators giving the same PayPal email', async () => {
    const w = await payoutWorld(t, { creators: 2 });
    await put(w.creators[0]!.token, { method: 'paypal', paypalEmail: 'Shared@Example.com' });
    await put(w.creators[1]!.token, { method: 'paypal', paypalEmail: 'shared@example.com' });
    const flags = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/programs/${w.programId}/payout-flags`,
    });
    expect(flags.json().data).toEqual([
      expect.objectContaining({
        creatorId: w.creators[1]!.creatorId,
        otherCreatorId: w.creators[0]!.creatorId,
        destinationKind: 'email',
        status: 'open',
      }),
    ]);
  });

  it('let both creators be paid once a manager clears the flag', async () => {
    const w = await payoutWorld(t, { creators: 2 });
    const shared = freshIban();
    await sepaProfile(t, w.creators[0]!, shared);
    await sepaProfile(t, w.creators[1]!, shared);
    for (const x of w.creators) await sale(t, w, x, 60_000);
    await approveAll(t);
    const flags = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/programs/${w.programId}/payout-flags`,
    });
    const cleared = await call(t.app, w.brand.token, {
      method: 'POST',
      url: `/api/v1/payout-flags/${flags.json().data[0].id}/resolve`,
      payload: { resolution: 'cleared', note: 'a married couple sharing one account' },
    });
    expect(cleared.statusCode).toBe(200);
    expect((await runPayouts(t, w)).json().data).toHaveLength(2);
  });
});

describe('program requirements', () => {
  it('block a creator without a tax form when the program needs one, and pay it once the form is received', async () => {
    const w = await payoutWorld(t, { creators: 1 });
    const c = w.creators[0]!;
    const iban = freshIban();
    await sepaProfile(t, c, iban);
    await call(t.app, w.brand.token, {
      method: 'PUT',
      url: `/api/v1/programs/${w.programId}/payout-settings`,
      payload: { requireTaxForm: true },
    });
    await sale(t, w, c, 60_000);
    await approveAll(t);
    const blocked = (await runPayouts(t, w, { dryRun: true })).json();
    expect(blocked.blocked).toEqual([expect.objectContaining({ creatorId: c.creatorId, reason: 'tax_form_missing' })]);
    await sepaProfile(t, c, iban, { taxForm: 'w9', taxFormReceivedAt: '2026-12-01T10:00:00Z' });
    expect((await runPayouts(t, w)).json().data).toEqual([expect.objectContaining({ creatorId: c.creatorId })]);
  });

  it('block a creator without invoicing details when the program needs them', async () => {
    const w = await payoutWorld(t, { creators: 1 });
    await sepaProfile(t, w.creators[0]!, freshIban());
    await call(t.app, w.brand.token, {
      method: 'PUT',
      url: `/api/v1/programs/${w.programId}/payout-settings`,
      payload: { requireInvoicingDetails: true },
    });
    await sale(t, w, w.creators[0]!, 60_000);
    await approveAll(t);
    const res = (await runPayouts(t, w)).json();
    expect(res.data).toEqual([]);
    expect(res.blocked).toEqual([expect.objectContaining({ reason: 'invoicing_details_missing' })]);
  });

  it('block a creator whose method the program does not pay by', async () => {
    const w = await payoutWorld(t, { creators: 1 });
    await put(w.creators[0]!.token, { method: 'paypal', paypalEmail: 'only-paypal@example.com' });
    await call(t.app, w.brand.token, {
      method: 'PUT',
      url: `/api/v1/programs/${w.programId}/payout-settings`,
      payload: { allowedMethods: ['sepa', 'manual'] },
    });
    await sale(t, w, w.creators[0]!, 60_000);
    await approveAll(t);
    const res = (await runPayouts(t, w)).json();
    expect(res.blocked).toEqual([expect.objectContaining({ reason: 'method_not_allowed' })]);
  });
});
