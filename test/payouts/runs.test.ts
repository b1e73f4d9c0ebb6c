import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../helpers/app.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  refund,
  runPayouts,
  sale,
  sepaProfile,
  validateSepa,
} from './world.js';

/**
 * Payout runs end to end over HTTP: a creator with a SEPA profile and approved commissions above
 * the minimum is paid, the SEPA file has the right count and sum and validates, a second run
 * pays nothing, a failed payout puts the money back and says why.
 */
let t: TestApp;

beforeAll(async () => {
  execFileSync('bash', ['scripts/ensure-xmllint.sh'], { stdio: 'inherit' });
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function commissionStatus(id: string) {
  const row = await t.database.handle.db
    .selectFrom('commissions')
    .select(['status', 'payout_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row;
}

interface PaidRun {
  w: PayoutWorld;
  paidCommission: string;
  payoutId: string;
  runId: string;
  paidIban: string;
}

/** Three creators: one paid (65.05 €), one below the 50.00 € minimum, one without a profile. */
async function paidRun(): Promise<PaidRun> {
  const w = await payoutWorld(t, { creators: 3 });
  const [paid, small, noProfile] = w.creators;
  const paidIban = freshIban();
  await sepaProfile(t, paid!, paidIban);
  await sepaProfile(t, small!, freshIban());
  const paidCommission = (await sale(t, w, paid!, 40_000)).commissionId; // 40.00 €
  await sale(t, w, paid!, 25_050); // 25.05 €
  await sale(t, w, small!, 10_000); // 10.00 €, below the 50.00 € minimum
  await sale(t, w, noProfile!, 90_000); // 90.00 €, no profile
  await approveAll(t);
  const res = await runPayouts(t, w);
  expect(res.statusCode).toBe(201);
  const body = res.json();
  return { w, paidCommission, paidIban, runId: body.run.id, payoutId: body.data[0]?.id };
}

describe('a payout run', () => {
  let w: PayoutWorld;
  let paidCommission: string;
  let payoutId: string;
  let runId: string;
  let paidIban: string;

  beforeAll(async () => {
    ({ w, paidCommission, payoutId, runId, paidIban } = await paidRun());
  });

  it('pays the creator whose approved balance reaches the minimum, listing its entries', async () => {
    const run = await call(t.app, w.brand.token, { method: 'GET', url: `/api/v1/payouts/${payoutId}` });
    expect(run.statusCode).toBe(200);
    const payout = run.json();
    expect(payout).toMatchObject({
      creatorId: w.creators[0]!.creatorId,
      amount: 6505,
      currency: 'EUR',
      method: 'sepa',
      status: 'pending',
      entryCount: 2,
    });
    expect(payout.commissionIds).toContain(paidCommission);
    expect(payout.commissionIds).toHaveLength(2);
  });

  it('carries a balance below the minimum forward and blocks a creator without a profile, each with its reason', async () => {
    const res = await call(t.app, w.brand.token, { method: 'GET', url: `/api/v1/payout-runs/${runId}` });
    expect(res.statusCode).toBe(200);
    const run = res.json();
    expect(run.carriedForward).toEqual([
      expect.objectContaining({ creatorId: w.creators[1]!.creatorId, amount: 1000, reason: 'below_minimum' }),
    ]);
    expect(run.blocked).toEqual([
      expect.objectContaining({ creatorId: w.creators[2]!.creatorId, amount: 9000, reason: 'no_payout_profile' }),
    ]);
  });

  it('ties the entries to the payout while they stay approved until it is paid', async () => {
    expect(await commissionStatus(paidCommission)).toEqual({ status: 'approved', payout_id: payoutId });
  });

  it('pays nothing in a second run', async () => {
    const again = await runPayouts(t, w);
    expect(again.statusCode).toBe(201);
    expect(again.json().data).toEqual([]);
  });

  it('writes a pain.001.001.09 file with the right count and sum that the EPC schema accepts', async () => {
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${runId}/export?format=sepa-xml`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/xml/);
    const xml = res.body;
    validateSepa(xml, '09');
    expect(xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    expect(xml.match(/<NbOfTxs>1<\/NbOfTxs>/g)).toHaveLength(2);
    expect(xml.match(/<CtrlSum>65.05<\/CtrlSum>/g)).toHaveLength(2);
    expect(xml).toContain('<InstdAmt Ccy="EUR">65.05</InstdAmt>');
    expect(xml).toContain(`<IBAN>${paidIban}</IBAN>`);
    expect(xml).toContain('<Dbtr><Nm>Revontuli Active Oy</Nm></Dbtr>');
  });

  it('writes the creditor name in the SEPA character set', async () => {
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${payoutId}/export?format=sepa-xml`,
    });
    expect(res.body).toContain('<Cdtr><Nm>Jyrki Aanekoski-Strom + Co</Nm></Cdtr>');
  });

  it('writes pain.001.001.03 on request, valid against the ISO schema', async () => {
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payout-runs/${runId}/export?format=sepa-xml&version=03`,
    });
    expect(res.statusCode).toBe(200);
    validateSepa(res.body, '03');
    expect(res.body).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    expect(res.body).toContain('<BIC>OKOYFIHH</BIC>');
  });
});

describe('a payout marked paid', () => {
  let w: PayoutWorld;
  let paidCommission: string;
  let payoutId: string;
  let runId: string;
  let marked: Awaited<ReturnType<typeof call>>;

  beforeAll(async () => {
    ({ w, paidCommission, payoutId, runId } = await paidRun());
    marked = await call(t.app, w.brand.token, {
      method: 'POST',
      url: `/api/v1/payouts/${payoutId}/mark-paid`,
      payload: { reference: 'BANK-2026-12-07' },
    });
  });

  it('answers the payout paid, with its reference', () => {
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toMatchObject({ status: 'paid', reference: 'BANK-2026-12-07' });
  });

  it('marks its entries paid in the ledger and moves them to the paid balance', async () => {
    expect(await commissionStatus(paidCommission)).toEqual({ status: 'paid', payout_id: payoutId });
    const balance = await call(t.app, w.creators[0]!.token, {
      method: 'GET',
      url: `/api/v1/creators/${w.creators[0]!.creatorId}/balance?programId=${w.programId}`,
    });
    expect(balance.json()).toMatchObject({ approved: 0, paid: 6505 });
  });

  it('leaves a paid payout out of a file made again', async () => {
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${runId}/export?format=sepa-xml`,
    });
    expect(res.statusCode).toBe(409);
  });
});

/** A creator's 80.00 € payout, returned by the bank. */
async function failedPayout() {
  const w = await payoutWorld(t, { creators: 1 });
  await sepaProfile(t, w.creators[0]!, freshIban());
  const commissionId = (await sale(t, w, w.creators[0]!, 80_000)).commissionId;
  await approveAll(t);
  const payoutId: string = (await runPayouts(t, w)).json().data[0].id;
  const failed = await call(t.app, w.brand.token, {
    method: 'POST',
    url: `/api/v1/payouts/${payoutId}/fail`,
    payload: { code: 'bank_return', reason: 'AC04 account closed' },
  });
  expect(failed.statusCode).toBe(200);
  return { w, payoutId, commissionId };
}

describe('a failed payout', () => {
  let w: PayoutWorld;
  let payoutId: string;
  let commissionId: string;

  beforeAll(async () => {
    ({ w, payoutId, commissionId } = await failedPayout());
  });

  it('returns its entries to the approved balance', async () => {
    expect(await commissionStatus(commissionId)).toEqual({ status: 'approved', payout_id: null });
    const balance = await call(t.app, w.creators[0]!.token, {
      method: 'GET',
      url: `/api/v1/creators/${w.creators[0]!.creatorId}/balance?programId=${w.programId}`,
    });
    expect(balance.json()).toMatchObject({ approved: 8000, paid: 0 });
  });

  it('tells the creator why, in a sentence', async () => {
    const res = await call(t.app, w.creators[0]!.token, { method: 'GET', url: `/api/v1/payouts/${payoutId}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('failed');
    expect(res.json().failure).toEqual({
      code: 'bank_return',
      reason: 'the bank returned the transfer: AC04 account closed',
    });
    expect(res.json().statusMessage).toMatch(/could not be paid: the bank returned the transfer: AC04 account closed/);
    expect(res.json().statusMessage).toMatch(/back in your approved balance/);
  });
});

describe('a failed payout, run again', () => {
  it('is paid again by the next run', async () => {
    const { w, commissionId } = await failedPayout();
    const res = await runPayouts(t, w);
    expect(res.json().data).toEqual([expect.objectContaining({ amount: 8000, commissionIds: [commissionId] })]);
  });
});

describe('netting', () => {
  it('deducts a refund of a paid commission from the next payout', async () => {
    const w = await payoutWorld(t, { creators: 1, minPayoutAmount: 1000 });
    const c = w.creators[0]!;
    await sepaProfile(t, c, freshIban());
    const first = await sale(t, w, c, 50_000); // 50.00 €
    await approveAll(t);
    const paid = (await runPayouts(t, w)).json().data[0].id;
    await call(t.app, w.brand.token, { method: 'POST', url: `/api/v1/payouts/${paid}/mark-paid`, payload: {} });
    await refund(t, w, first.orderId, 20_000); // takes 20.00 € back: -2.00 €
    await sale(t, w, c, 30_000); // 30.00 €
    await approveAll(t);
    const next = (await runPayouts(t, w)).json();
    expect(next.data).toEqual([expect.objectContaining({ amount: 1000, entryCount: 2 })]);
  });

  it('nets a partial refund of an approved, unpaid commission into its own entry', async () => {
    const w = await payoutWorld(t, { creators: 1, minPayoutAmount: 1000 });
    const c = w.creators[0]!;
    await sepaProfile(t, c, freshIban());
    const s = await sale(t, w, c, 50_000);
    await approveAll(t);
    await refund(t, w, s.orderId, 10_000);
    const run = (await runPayouts(t, w)).json();
    expect(run.data).toEqual([expect.objectContaining({ amount: 4000, commissionIds: [s.commissionId] })]);
  });
});
