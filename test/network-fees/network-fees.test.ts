import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feeGivenBack } from '../../src/network-fees/arithmetic.js';
import { networkFeesService } from '../../src/network-fees/service.js';
import { fixedClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  call,
  createCode,
  createProgram,
  PASSWORD,
  signupBrand,
  startTestApp,
  type TestApp,
} from '../helpers/app.js';

const clock = fixedClock(new Date('2026-12-07T10:00:00Z'));
let t: TestApp;
let operator: string;
let brand: Brand;
let programId: string;
let code = 0;

beforeAll(async () => {
  t = await startTestApp({ clock });
  const ops = await signupBrand(t.app, 'Ops');
  await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('id', '=', ops.userId).execute();
  operator = (
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ops.email, password: PASSWORD } })
  ).json().token;
  brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token)).id;
  await setPlan(brand.workspaceId, {
    currency: 'EUR',
    setupFeeAmount: 50_000,
    saleFeeBps: 500,
    monthlyFeeAmount: 10_000,
  });
});
afterAll(async () => {
  await t?.close();
});

function setPlan(workspaceId: string, body: object, token = operator) {
  return call(t.app, token, {
    method: 'PUT',
    url: `/api/v1/admin/workspaces/${workspaceId}/network-fees`,
    payload: body,
  });
}

/** A creator with a code of their own in the program, so that sales with it are attributed. */
async function creatorCode(owner = brand, program = programId): Promise<string> {
  code += 1;
  const creator = await approvedCreator(t.app, owner.token, program, `Creator ${code}`);
  const made = await createCode(t.app, owner.token, program, {
    creatorId: creator.creatorId,
    code: `FEE${code}`,
    discount: { type: 'percent', bps: 1000 },
  });
  return made.code;
}

async function sale(orderId: string, amount: number, couponCode?: string, owner = brand, program = programId) {
  const res = await call(t.app, owner.token, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: {
      programId: program,
      orderId,
      currency: 'EUR',
      ...(couponCode ? { couponCode } : {}),
      lines: [{ productId: 'p1', amount, quantity: 1 }],
    },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json().conversion.id as string;
}

async function refund(orderId: string, refundId: string, amount: number) {
  const res = await call(t.app, brand.token, {
    method: 'POST',
    url: '/api/v1/track/refund',
    payload: { programId, orderId, refundId, amount },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

async function feesOf(conversionId: string) {
  return t.database.handle.db
    .selectFrom('network_fees')
    .selectAll()
    .where('conversion_id', '=', conversionId)
    .orderBy('id')
    .execute();
}

describe('network fee plans', () => {
  it('keeps the plan the operator set and charges the setup fee and this month at once', async () => {
    const plan = await call(t.app, operator, {
      method: 'GET',
      url: `/api/v1/admin/workspaces/${brand.workspaceId}/network-fees`,
    });
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toMatchObject({
      currency: 'EUR',
      setupFeeAmount: 50_000,
      saleFeeBps: 500,
      monthlyFeeAmount: 10_000,
      startsOn: '2026-12-07',
    });
    const list = await call(t.app, brand.token, { method: 'GET', url: '/api/v1/network-fees' });
    const kinds = list.json().data.map((f: { kind: string; amount: number }) => [f.kind, f.amount]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['setup', 50_000],
        ['monthly', 10_000],
      ]),
    );
  });

  it('charges the setup fee once however often the plan is set again', async () => {
    await setPlan(brand.workspaceId, {
      currency: 'EUR',
      setupFeeAmount: 70_000,
      saleFeeBps: 500,
      monthlyFeeAmount: 10_000,
    });
    await setPlan(brand.workspaceId, {
      currency: 'EUR',
      setupFeeAmount: 50_000,
      saleFeeBps: 500,
      monthlyFeeAmount: 10_000,
    });
    const setups = await t.database.handle.db
      .selectFrom('network_fees')
      .select('amount')
      .where('workspace_id', '=', brand.workspaceId)
      .where('kind', '=', 'setup')
      .execute();
    expect(setups).toEqual([{ amount: 50_000 }]);
  });

  it('charges each month once, from the start to now', async () => {
    const other = await signupBrand(t.app, 'Monthly');
    await setPlan(other.workspaceId, {
      currency: 'EUR',
      setupFeeAmount: 0,
      saleFeeBps: 0,
      monthlyFeeAmount: 2_500,
      startsOn: '2026-10-15',
    });
    const periods = async () =>
      (
        await t.database.handle.db
          .selectFrom('network_fees')
          .select('period')
          .where('workspace_id', '=', other.workspaceId)
          .orderBy('period')
          .execute()
      ).map((r) => r.period);
    expect(await periods()).toEqual(['2026-10', '2026-11', '2026-12']);
    const service = networkFeesService({ db: t.database.handle.db, clock });
    await service.accrueMonthly(new Date('2027-02-01T00:00:00Z'));
    await service.accrueMonthly(new Date('2027-02-03T00:00:00Z'));
    expect(await periods()).toEqual(['2026-10', '2026-11', '2026-12', '2027-01', '2027-02']);
  });

  it.each([
    [{ currency: 'EUR', setupFeeAmount: 0, saleFeeBps: 10_001 }, 'body.saleFeeBps'],
    [{ currency: 'EUR', setupFeeAmount: -1, saleFeeBps: 100 }, 'body.setupFeeAmount'],
    [{ currency: 'EURO', setupFeeAmount: 0, saleFeeBps: 100 }, 'body.currency'],
    [{ currency: 'EUR', setupFeeAmount: 0, saleFeeBps: 100, startsOn: '2026-02-30' }, 'body.startsOn'],
    [{ currency: 'EUR', setupFeeAmount: 1.5, saleFeeBps: 100 }, 'body.setupFeeAmount'],
  ])('refuses the plan %j with 400 naming %s', async (body, field) => {
    const res = await setPlan(brand.workspaceId, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  it('answers 404 for a workspace that does not exist', async () => {
    const res = await setPlan('ws_01jzzzzzzzzzzzzzzzzzzzzzzz', { currency: 'EUR', setupFeeAmount: 0, saleFeeBps: 100 });
    expect(res.statusCode).toBe(404);
  });

  it('lets no brand set its own fees (403)', async () => {
    const res = await setPlan(brand.workspaceId, { currency: 'EUR', setupFeeAmount: 0, saleFeeBps: 0 }, brand.token);
    expect(res.statusCode).toBe(403);
  });
});

describe('fees on sales', () => {
  it('accrues the fee with an attributed sale, rounded half to even', async () => {
    const id = await sale('fee-1', 3_330, await creatorCode());
    const [fee] = await feesOf(id);
    // 5 % of 33.30 € = 1.665 € → 1.66 € (half to even)
    expect(fee).toMatchObject({ kind: 'sale', amount: 166, base_amount: 3_330, fee_bps: 500, currency: 'EUR' });
    expect(fee?.explanation).toBe('5 % network fee on sale fee-1 of 33.30 EUR: 1.66 EUR');
  });

  it('charges nothing on a sale no creator won', async () => {
    const id = await sale('fee-unattributed', 10_000);
    expect(await feesOf(id)).toEqual([]);
  });

  it('charges a sale delivered twice once', async () => {
    const c = await creatorCode();
    const id = await sale('fee-twice', 10_000, c);
    await sale('fee-twice', 10_000, c);
    expect((await feesOf(id)).map((f) => f.amount)).toEqual([500]);
  });

  it('charges nothing to a workspace with no plan', async () => {
    const other = await signupBrand(t.app, 'NoPlan');
    const program = (await createProgram(t.app, other.token)).id;
    const id = await sale('fee-no-plan', 10_000, await creatorCode(other, program), other, program);
    expect(await feesOf(id)).toEqual([]);
  });

  it('reverses the fee with refunds, exactly the whole fee once everything is refunded', async () => {
    const id = await sale('fee-refund', 3_330, await creatorCode());
    await refund('fee-refund', 'r1', 1_110);
    await refund('fee-refund', 'r2', 2_220);
    const fees = await feesOf(id);
    expect(fees.map((f) => f.amount)).toEqual([166, -55, -111]);
    expect(fees.reduce((s, f) => s + f.amount, 0)).toBe(0);
  });

  it('reverses the fee of a refund that arrived before its sale', async () => {
    const c = await creatorCode();
    await refund('fee-early', 'early-1', 10_000);
    const id = await sale('fee-early', 10_000, c);
    expect((await feesOf(id)).map((f) => f.amount)).toEqual([500, -500]);
  });

  it('never gives back more than the fee, whatever the refunds', async () => {
    const c = await creatorCode();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50_000 }),
        fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: 5 }),
        async (amount, refunds) => {
          n += 1;
          const order = `fee-prop-${n}`;
          const id = await sale(order, amount, c);
          let refunded = 0;
          for (const [i, r] of refunds.entries()) {
            await refund(order, `${order}-r${i}`, r);
            refunded = Math.min(amount, refunded + r);
          }
          const fees = await feesOf(id);
          const fee = fees.find((f) => f.kind === 'sale')?.amount ?? 0;
          const back = fees.filter((f) => f.kind === 'reversal').reduce((s, f) => s - f.amount, 0);
          expect(back).toBeLessThanOrEqual(fee);
          // What is given back is the fee's share of what was refunded, rounded half to even
          // (so a partial refund may give back a one-cent fee whole); a full refund gives it all.
          expect(back).toBe(feeGivenBack(fee, amount, refunded, 0));
          if (refunded === amount) expect(back).toBe(fee);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the operator’s report', () => {
  /** A brand of its own with a plan and two sales in December: each test that reads it makes it. */
  async function reportedBrand(name: string) {
    const other = await signupBrand(t.app, name);
    await setPlan(other.workspaceId, { currency: 'EUR', setupFeeAmount: 20_000, saleFeeBps: 1_000 });
    const program = (await createProgram(t.app, other.token)).id;
    const c = await creatorCode(other, program);
    await sale(`${name}-1`, 10_000, c, other, program);
    await sale(`${name}-2`, 5_000, c, other, program);
    return other;
  }

  it('sums each workspace’s fees of the range by kind', async () => {
    const other = await reportedBrand('Report');
    const res = await call(t.app, operator, {
      method: 'GET',
      url: '/api/v1/admin/network-fees/report?from=2026-12-01&to=2026-12-31',
    });
    expect(res.statusCode).toBe(200);
    const row = res.json().data.find((r: { workspaceId: string }) => r.workspaceId === other.workspaceId);
    expect(row).toEqual({
      workspaceId: other.workspaceId,
      workspaceName: 'Report Oy',
      currency: 'EUR',
      sales: 2,
      salesAmount: 15_000,
      saleFees: 1_500,
      reversedFees: 0,
      setupFees: 20_000,
      monthlyFees: 0,
      total: 21_500,
    });
  });

  it('gives the same report as CSV', async () => {
    const other = await reportedBrand('Csv');
    const res = await call(t.app, operator, {
      method: 'GET',
      url: '/api/v1/admin/network-fees/report?from=2026-12-01&to=2026-12-31&format=csv',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'workspace_id,workspace_name,currency,sales,sales_amount,sale_fees,reversed_fees,setup_fees,monthly_fees,total',
    );
    expect(lines.filter((l) => l.startsWith(`${other.workspaceId},`))).toEqual([
      `${other.workspaceId},Csv Oy,EUR,2,150.00,15.00,0.00,200.00,0.00,215.00`,
    ]);
  });

  it('leaves out fees outside the range', async () => {
    const other = await reportedBrand('Outside');
    const res = await call(t.app, operator, {
      method: 'GET',
      url: '/api/v1/admin/network-fees/report?from=2026-11-01&to=2026-11-30',
    });
    const rows = res.json().data as { workspaceId: string; monthlyFees: number; total: number }[];
    // The brand's sales and setup fee are of December: November shows none of them.
    expect(rows.filter((r) => r.workspaceId === other.workspaceId)).toEqual([]);
    expect(rows.every((r) => r.total === r.monthlyFees)).toBe(true);
  });

  it('refuses a range that ends before it starts (400)', async () => {
    const res = await call(t.app, operator, {
      method: 'GET',
      url: '/api/v1/admin/network-fees/report?from=2026-12-10&to=2026-12-01',
    });
    expect(res.statusCode).toBe(400);
  });
});
