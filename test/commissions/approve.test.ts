import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * A manager approves a pending commission before its holding period ends: it becomes payable at
 * once, with the reason in its history; nothing else can be approved this way.
 */
describe('approving a commission early', () => {
  let t: TestApp;
  let brand: Brand;
  let other: Brand;
  let creator: CreatorAccount;
  let programId: string;
  let orders = 0;

  /** A sale of 100.00 € through the creator's code; answers its commission's id. */
  async function sale(): Promise<string> {
    orders++;
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: '/api/v1/track/sale',
      payload: {
        programId,
        orderId: `EARLY-${orders}`,
        couponCode: 'EARLY10',
        currency: 'EUR',
        lines: [{ amount: 10000, quantity: 1 }],
      },
    });
    expect(res.statusCode).toBe(201);
    const list = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/commissions?programId=${programId}` });
    const found = list
      .json()
      .data.find((c: { orderId?: string; conversionId: string }) => c.conversionId === res.json().id);
    return (found ?? list.json().data[0]).id;
  }

  const approve = (token: string, id: string, payload: object = {}) =>
    call(t.app, token, { method: 'POST', url: `/api/v1/commissions/${id}/approve`, payload });

  beforeAll(async () => {
    t = await startTestApp();
    brand = await signupBrand(t.app, 'Early Approver');
    other = await signupBrand(t.app, 'Another Brand');
    programId = (await createProgram(t.app, brand.token, { ...validProgram, holdingDays: 30 })).id;
    creator = await approvedCreator(t.app, brand.token, programId, 'Early Creator');
    const code = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${programId}/codes`,
      payload: { creatorId: creator.creatorId, code: 'EARLY10', discount: { type: 'percent', bps: 1000 } },
    });
    expect(code.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('makes a pending commission approved and payable at once, saying why', async () => {
    const id = await sale();
    const before = await call(t.app, brand.token, {
      method: 'GET',
      url: `/api/v1/creators/${creator.creatorId}/balance?programId=${programId}`,
    });
    expect(before.json()).toMatchObject({ approved: 0 });
    const pending = before.json().pending as number;
    expect(pending).toBeGreaterThan(0);

    const res = await approve(brand.token, id, { note: 'delivered and kept' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'approved' });
    // Payable from now: a payout run takes it at once.
    const run = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${programId}/payouts`,
      payload: { dryRun: true },
    });
    expect(run.statusCode, run.body).toBe(200);
    expect(
      run.json().run.totalAmount +
        run.json().carriedForward.reduce((s: number, h: { amount: number }) => s + h.amount, 0) +
        run.json().blocked.reduce((s: number, h: { amount: number }) => s + h.amount, 0),
    ).toBe(pending);

    const after = await call(t.app, brand.token, {
      method: 'GET',
      url: `/api/v1/creators/${creator.creatorId}/balance?programId=${programId}`,
    });
    expect(after.json()).toMatchObject({ approved: pending, pending: 0 });
    const events = await t.database.handle.db
      .selectFrom('commission_events')
      .select(['from_status', 'to_status', 'reason'])
      .where('commission_id', '=', id)
      .execute();
    expect(events).toContainEqual({
      from_status: 'pending',
      to_status: 'approved',
      reason: 'approved by a manager before the holding period ended: delivered and kept',
    });
  });

  it('refuses to approve twice, and moves nothing', async () => {
    const id = await sale();
    expect((await approve(brand.token, id)).statusCode).toBe(200);
    const again = await approve(brand.token, id);
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('COMMISSION_LOCKED');
  });

  it("answers 404 for another brand's commission and refuses a creator", async () => {
    const id = await sale();
    expect((await approve(other.token, id)).statusCode).toBe(404);
    expect([403, 404]).toContain((await approve(creator.token, id)).statusCode);
    const still = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/commissions/${id}` });
    expect(still.json().status).toBe('pending');
  });

  it('refuses an unknown field in the body', async () => {
    const id = await sale();
    const res = await approve(brand.token, id, { reason: 'x' });
    expect(res.statusCode).toBe(400);
  });
});
