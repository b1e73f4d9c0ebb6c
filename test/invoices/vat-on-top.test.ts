import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { call, startTestApp, type TestApp } from '../helpers/app.js';
import { fakeStripe } from '../payouts/fake-stripe.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  runPayouts,
  sale,
  sepaProfile,
  validateSepa,
} from '../payouts/world.js';
import { invoicing, setBrandBilling } from './world.js';

/**
 * VAT added on top by a creator's self-billing invoice is paid with the commissions: every file,
 * transfer and answer pays the invoice's total, while the ledger keeps the commissions alone.
 * Each creator earns 7,334 (10 % of 73,340); a Finnish VAT-registered creator billing a Finnish
 * brand adds 25.5 % VAT, 1,870, and is paid 9,204.
 */
const clock = fixedClock(new Date('2026-11-10T09:00:00Z'));
let t: TestApp;
let stripe: Awaited<ReturnType<typeof fakeStripe>>;
type Creator = PayoutWorld['creators'][number];

async function profile(c: Creator, payload: object) {
  const res = await call(t.app, c.token, { method: 'PUT', url: '/api/v1/creators/me/payout-profile', payload });
  if (res.statusCode !== 200) throw new Error(`profile failed: ${res.statusCode} ${res.body}`);
}

beforeAll(async () => {
  stripe = await fakeStripe();
  t = await startTestApp({ clock, stripeApi: stripe.api });
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

let worlds = 0;

/**
 * Six creators with 73.34 € approved each: four VAT-registered in Finland, paid by SEPA, PayPal,
 * Wise and Stripe; one VAT-registered in Germany and one not registered, both paid by SEPA. The
 * PayPal address and the Stripe account are the world's own: one shared by creators of two
 * worlds would hold their payouts for review.
 */
async function vatWorld() {
  const n = ++worlds;
  const paypalEmail = `paypal-vat-${n}@example.com`;
  const w = await payoutWorld(t, { creators: 6 });
  const [sepaVat, paypalVat, wiseVat, stripeVat, abroad, unregistered] = w.creators as [
    Creator,
    Creator,
    Creator,
    Creator,
    Creator,
    Creator,
  ];
  await setBrandBilling(t, w.brand);
  await call(t.app, w.brand.token, {
    method: 'PUT',
    url: `/api/v1/programs/${w.programId}/payout-settings`,
    payload: { stripeSecretKey: 'sk_test_51KumppaniLocalOnly' },
  });
  await sepaProfile(t, sepaVat, freshIban(), invoicing('FI', true));
  await profile(paypalVat, { method: 'paypal', paypalEmail, ...invoicing('FI', true) });
  await profile(wiseVat, {
    method: 'wise',
    iban: freshIban(),
    accountName: 'Wise Vat',
    currency: 'EUR',
    ...invoicing('FI', true),
  });
  await profile(stripeVat, { method: 'stripe', stripeAccountId: `acct_1KumppaniVat0${n}`, ...invoicing('FI', true) });
  await sepaProfile(t, abroad, freshIban(), invoicing('DE', true));
  await sepaProfile(t, unregistered, freshIban(), invoicing('FI', false));
  for (const c of w.creators) await sale(t, w, c, 73_340);
  await approveAll(t);
  return { w, paypalEmail, sepaVat, paypalVat, wiseVat, stripeVat, abroad, unregistered };
}

interface PayoutJson {
  id: string | null;
  creatorId: string;
  amount: number;
  commissionAmount: number;
  vatAmount: number;
  method: string;
}

const figures = (data: PayoutJson[]) =>
  Object.fromEntries(data.map((p) => [p.creatorId, [p.amount, p.commissionAmount, p.vatAmount]]));

/** The world above paid by a run: the run's id and each creator's payout. */
async function vatRun() {
  const world = await vatWorld();
  const res = await runPayouts(t, world.w, {});
  expect(res.statusCode).toBe(201);
  const payoutOf = new Map<string, string>();
  for (const p of res.json().data as PayoutJson[]) payoutOf.set(p.creatorId, p.id ?? '');
  return { ...world, runId: res.json().run.id as string, payoutOf };
}

describe('VAT added on top by the creator’s invoice', () => {
  it('is in the amount paid, shown apart from the commissions, the same in the dry run and the run', async () => {
    const { w, sepaVat, paypalVat, wiseVat, stripeVat, abroad, unregistered } = await vatWorld();
    const dry = await runPayouts(t, w, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    const expected = {
      [sepaVat.creatorId]: [9204, 7334, 1870],
      [paypalVat.creatorId]: [9204, 7334, 1870],
      [wiseVat.creatorId]: [9204, 7334, 1870],
      [stripeVat.creatorId]: [9204, 7334, 1870],
      [abroad.creatorId]: [7334, 7334, 0],
      [unregistered.creatorId]: [7334, 7334, 0],
    };
    expect(figures(dry.json().data)).toEqual(expected);
    expect(dry.json().run.totalAmount).toBe(4 * 9204 + 2 * 7334);

    const res = await runPayouts(t, w, {});
    expect(res.statusCode).toBe(201);
    expect(figures(res.json().data)).toEqual(expected);
    expect(res.json().run.totalAmount).toBe(dry.json().run.totalAmount);

    for (const p of res.json().data as PayoutJson[]) {
      const invoice = await call(t.app, w.brand.token, {
        method: 'GET',
        url: `/api/v1/payouts/${p.id}/invoice?format=json`,
      });
      expect(invoice.json()).toMatchObject({ netAmount: p.commissionAmount, vatAmount: p.vatAmount });
      expect(invoice.json().totalAmount).toBe(p.amount);
      const detail = await call(t.app, w.brand.token, { method: 'GET', url: `/api/v1/payouts/${p.id}` });
      expect([detail.json().amount, detail.json().commissionAmount, detail.json().vatAmount]).toEqual(
        expected[p.creatorId],
      );
    }
  });

  it('is in the SEPA file: each InstdAmt and the CtrlSum pay the invoices’ totals, and the file validates', async () => {
    const { w, runId, payoutOf, sepaVat, abroad, unregistered } = await vatRun();
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${runId}/export?format=sepa-xml`,
    });
    expect(res.statusCode).toBe(200);
    const xml = res.body;
    validateSepa(xml, '09');
    expect(res.headers['x-kumppani-payout-sum']).toBe(String(9204 + 7334 + 7334));
    expect(xml.match(/<CtrlSum>([^<]+)<\/CtrlSum>/g)).toEqual([
      '<CtrlSum>238.72</CtrlSum>',
      '<CtrlSum>238.72</CtrlSum>',
    ]);
    const amountOf = (creator: Creator) => {
      const id = payoutOf.get(creator.creatorId) ?? '';
      const tx = xml.split('<CdtTrfTxInf>').find((s) => s.includes(`<EndToEndId>${id.replace(/_/g, '-')}`));
      return tx?.match(/<InstdAmt Ccy="EUR">([^<]+)<\/InstdAmt>/)?.[1];
    };
    expect(amountOf(sepaVat)).toBe('92.04');
    expect(amountOf(abroad)).toBe('73.34');
    expect(amountOf(unregistered)).toBe('73.34');
  });

  it('is in the PayPal and Wise batch rows', async () => {
    const { w, runId, paypalEmail } = await vatRun();
    const paypal = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${runId}/export?format=paypal-csv`,
    });
    expect(paypal.statusCode).toBe(200);
    expect(paypal.body).toContain(`${paypalEmail},92.04,EUR,`);
    const wise = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${runId}/export?format=wise-csv`,
    });
    expect(wise.statusCode).toBe(200);
    expect(wise.body).toContain(',target,92.04,EUR,EUR,IBAN,');
  });

  it('is in the Stripe transfer, and the creator’s notice and statement show the VAT apart', async () => {
    const { w, payoutOf, stripeVat } = await vatRun();
    const id = payoutOf.get(stripeVat.creatorId) ?? '';
    const sent = await call(t.app, w.brand.token, { method: 'POST', url: `/api/v1/payouts/${id}/send` });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ status: 'paid', amount: 9204, vatAmount: 1870 });
    const transfer = stripe.transfers.find((f) => f.get('metadata[payoutId]') === id);
    expect(transfer?.get('amount')).toBe('9204');

    const statement = await call(t.app, stripeVat.token, {
      method: 'GET',
      url: `/api/v1/statements/creator?programId=${w.programId}&month=2026-11&format=json`,
    });
    expect(statement.statusCode).toBe(200);
    expect(statement.json().payouts).toEqual([
      expect.objectContaining({ id, amount: 9204, commissionAmount: 7334, vatAmount: 1870 }),
    ]);
    const html = await call(t.app, stripeVat.token, {
      method: 'GET',
      url: `/api/v1/statements/creator?programId=${w.programId}&month=2026-11&format=html&lang=fi`,
    });
    expect(html.body).toContain('ALV');
    expect(html.body).toContain('18,70');
    expect(html.body).toContain('92,04');
  });

  it('leaves the ledger’s commissions as they are: the creator’s paid balance is the commissions, not the VAT', async () => {
    const { w, payoutOf, sepaVat } = await vatRun();
    const id = payoutOf.get(sepaVat.creatorId) ?? '';
    const paid = await call(t.app, w.brand.token, {
      method: 'POST',
      url: `/api/v1/payouts/${id}/mark-paid`,
      payload: { reference: 'BANK-VAT-1' },
    });
    expect(paid.json()).toMatchObject({ status: 'paid', amount: 9204, commissionAmount: 7334 });
    const balance = await call(t.app, sepaVat.token, {
      method: 'GET',
      url: `/api/v1/creators/${sepaVat.creatorId}/balance?programId=${w.programId}`,
    });
    expect(balance.json()).toMatchObject({ paid: 7334, approved: 0 });
    const commissions = await call(t.app, sepaVat.token, { method: 'GET', url: '/api/v1/commissions' });
    expect(commissions.json().data.map((c: { amount: number }) => c.amount)).toEqual([7334]);
  });
});
