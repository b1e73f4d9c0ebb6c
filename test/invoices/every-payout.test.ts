import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../helpers/app.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  runPayouts,
  sale,
  sepaProfile,
} from '../payouts/world.js';
import { consent, invoicing } from './world.js';

/**
 * Every payout has a self-billing invoice (SPEC, "Payouts"), also in a program that leaves
 * requireSelfBilling off: that setting asks only for full invoicing details of both parties.
 */
let t: TestApp;
type Creator = PayoutWorld['creators'][number];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const invoiceOf = (token: string, payoutId: string) =>
  call(t.app, token, { method: 'GET', url: `/api/v1/payouts/${payoutId}/invoice?format=json` });

/**
 * Three creators with 60.00 € approved each in a program that leaves requireSelfBilling off: `bare`
 * has agreed to self-billing but given no invoicing details, `later` has not agreed yet, and
 * `detailed` has agreed and given its details.
 */
async function unpaidWorld() {
  const w = await payoutWorld(t, { creators: 3, selfBillingConsent: false });
  const [bare, later, detailed] = w.creators as [Creator, Creator, Creator];
  await sepaProfile(t, bare, freshIban());
  await sepaProfile(t, later, freshIban());
  await sepaProfile(t, detailed, freshIban(), invoicing('FI', false));
  for (const c of [bare, detailed]) expect((await consent(t, c)).statusCode).toBe(201);
  for (const c of w.creators) await sale(t, w, c, 60_000);
  await approveAll(t);
  return { w, bare, later, detailed };
}

/** The world above after a run: `bare` and `detailed` paid with invoice 1, `later` blocked. */
async function firstRunWorld() {
  const world = await unpaidWorld();
  const run = await runPayouts(t, world.w, {});
  expect(run.statusCode).toBe(201);
  expect(run.json().data).toHaveLength(2);
  return world;
}

/** The world above after `later` agreed and was paid by a second run: every creator paid once. */
async function everyonePaidWorld() {
  const world = await firstRunWorld();
  expect((await consent(t, world.later)).statusCode).toBe(201);
  const run = await runPayouts(t, world.w, {});
  expect(run.statusCode).toBe(201);
  expect(run.json().data).toHaveLength(1);
  return world;
}

describe('every payout has a self-billing invoice', () => {
  it('in a program that does not require full invoicing details, each payout of the run comes with its invoice', async () => {
    const { w, bare, detailed } = await unpaidWorld();
    const settings = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/programs/${w.programId}/payout-settings`,
    });
    expect(settings.json()).toMatchObject({ requireSelfBilling: false, requireInvoicingDetails: false });
    const dry = await runPayouts(t, w, { dryRun: true });
    const res = await runPayouts(t, w, {});
    expect(res.statusCode).toBe(201);
    expect(res.json().data.map((p: { creatorId: string }) => p.creatorId)).toEqual(
      dry.json().data.map((p: { creatorId: string }) => p.creatorId),
    );
    const paid = res.json().data as { id: string; creatorId: string; amount: number }[];
    expect(paid.map((p) => p.creatorId).sort()).toEqual([bare.creatorId, detailed.creatorId].sort());
    for (const p of paid) {
      const invoice = await invoiceOf(w.brand.token, p.id);
      expect(invoice.statusCode).toBe(200);
      expect(invoice.json()).toMatchObject({ number: 1, totalAmount: p.amount, vatTreatment: 'not_vat_registered' });
    }
    // Without invoicing details the invoice names the creator and the brand as the accounts know them.
    const bareInvoice = await invoiceOf(bare.token, paid.find((p) => p.creatorId === bare.creatorId)?.id ?? '');
    expect(bareInvoice.json().seller).toMatchObject({ name: expect.stringContaining('Creator 0'), address: null });
    expect(bareInvoice.json().buyer.name).toContain('Payout Brand');
  });

  it('so a creator who has not agreed to self-billing is blocked with the reason, and paid with an invoice once it agrees', async () => {
    const { w, later } = await firstRunWorld();
    const held = await runPayouts(t, w, {});
    expect(held.json().data).toEqual([]);
    expect(held.json().blocked).toEqual([
      expect.objectContaining({
        creatorId: later.creatorId,
        reason: 'self_billing_consent_missing',
        message: expect.stringContaining('self-billing'),
      }),
    ]);
    expect((await consent(t, later)).statusCode).toBe(201);
    const res = await runPayouts(t, w, {});
    expect(res.json().data).toHaveLength(1);
    const invoice = await invoiceOf(later.token, res.json().data[0].id);
    expect(invoice.statusCode).toBe(200);
    expect(invoice.json()).toMatchObject({ number: 1, creatorId: later.creatorId });
  });

  it('with requireSelfBilling the creator’s full invoicing details are needed too', async () => {
    const { w, bare, detailed } = await everyonePaidWorld();
    await call(t.app, w.brand.token, {
      method: 'PUT',
      url: `/api/v1/programs/${w.programId}/payout-settings`,
      payload: { requireSelfBilling: true },
    });
    await call(t.app, w.brand.token, {
      method: 'PUT',
      url: '/api/v1/workspace/billing',
      payload: { legalName: 'Payout Brand Oy', address: invoicing('FI', false).address },
    });
    for (const c of [bare, detailed]) await sale(t, w, c, 60_000);
    await approveAll(t);
    const res = await runPayouts(t, w, {});
    expect(res.json().data.map((p: { creatorId: string }) => p.creatorId)).toEqual([detailed.creatorId]);
    expect(res.json().blocked.map((b: { creatorId: string; reason: string }) => [b.creatorId, b.reason])).toEqual([
      [bare.creatorId, 'invoicing_details_missing'],
    ]);
    expect((await invoiceOf(detailed.token, res.json().data[0].id)).json().number).toBe(2);
  });
});
