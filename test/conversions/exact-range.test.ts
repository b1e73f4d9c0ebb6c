import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type CreatorAccount,
  call,
  createKey,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

// Amounts whose sums leave the range a JavaScript number holds exactly (2^53 − 1), and refunds
// naming lines the sale does not have.
const MAX = Number.MAX_SAFE_INTEGER;
let t: TestApp;
let key: string;
let programId: string;
let dana: CreatorAccount;
let edge: string;

beforeAll(async () => {
  t = await startTestApp();
  const brand = await signupBrand(t.app);
  key = await createKey(t.app, brand.token, 'manager');
  programId = (await createProgram(t.app, key, { ...validProgram, defaultRate: { type: 'percent', bps: 5000 } })).id;
  dana = await approvedCreator(t.app, key, programId, 'Dana Vaughan');
  // A second program at 50 %, whose balance only one test takes to the edge of the range.
  edge = (await createProgram(t.app, key, { ...validProgram, defaultRate: { type: 'percent', bps: 5000 } })).id;
  const eve = await approvedCreator(t.app, key, edge, 'Eve Edge');
  const eveCode = await call(t.app, key, {
    method: 'POST',
    url: `/api/v1/programs/${edge}/codes`,
    payload: { creatorId: eve.creatorId, code: 'EVE', discount: { type: 'percent', bps: 1000 } },
  });
  expect(eveCode.statusCode).toBe(201);
  const code = await call(t.app, key, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId: dana.creatorId, code: 'DANA', discount: { type: 'percent', bps: 1000 } },
  });
  expect(code.statusCode).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

const sale = (orderId: string, lines: object[], program = programId) =>
  call(t.app, key, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: { programId: program, orderId, currency: 'EUR', couponCode: program === edge ? 'EVE' : 'DANA', lines },
  });
const stored = async (orderId: string) =>
  (await t.database.handle.db.selectFrom('conversions').select('id').where('external_id', '=', orderId).execute())
    .length;

describe('sales beyond the exact range', () => {
  it('refuses two lines whose sum leaves the exact range with 400 AMOUNT_OUT_OF_RANGE', async () => {
    const res = await sale('BIG-1', [
      { lineId: 'a', amount: MAX, quantity: 1 },
      { lineId: 'b', amount: MAX, quantity: 1 },
    ]);
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'AMOUNT_OUT_OF_RANGE']);
  });

  it('stores nothing of a refused sale', async () => {
    await sale('BIG-2', [
      { lineId: 'a', amount: MAX, quantity: 1 },
      { lineId: 'b', amount: 1, quantity: 1 },
    ]);
    expect(await stored('BIG-2')).toBe(0);
  });

  it("refuses a sale that would take the creator's balance out of the exact range, and the balance still answers", async () => {
    const half = Math.floor(MAX / 2) - 10;
    // 50 % of each: four of these earn about 2^53 in all.
    const answers: number[] = [];
    for (let i = 0; i < 5; i++)
      answers.push((await sale(`BAL-${i}`, [{ lineId: 'a', amount: half, quantity: 1 }])).statusCode);
    expect(answers).toEqual([201, 201, 201, 201, 400]);
    const balance = await call(t.app, dana.token, {
      method: 'GET',
      url: `/api/v1/creators/${dana.creatorId}/balance?programId=${programId}`,
    });
    expect(balance.statusCode).toBe(200);
  });

  it('keeps nothing of a sale refused for the balance, and counts on from what was kept', async () => {
    const half = Math.floor(MAX / 2) - 10;
    const answers: number[] = [];
    for (let i = 0; i < 5; i++)
      answers.push((await sale(`EDGE-${i}`, [{ lineId: 'a', amount: half, quantity: 1 }], edge)).statusCode);
    expect(answers).toEqual([201, 201, 201, 201, 400]);
    expect(await stored('EDGE-4')).toBe(0);
    // Earned so far: 4 × ⌊half / 2⌋ = MAX − 22; 10 more fit only if the refused sale left nothing.
    expect((await sale('EDGE-5', [{ lineId: 'a', amount: 20, quantity: 1 }], edge)).statusCode).toBe(201);
    expect((await sale('EDGE-6', [{ lineId: 'a', amount: 100, quantity: 1 }], edge)).statusCode).toBe(400);
  });
});

describe('refunds naming lines', () => {
  // A program of its own: the balance above is at the edge of the range.
  let other: string;
  beforeAll(async () => {
    other = (await createProgram(t.app, key)).id;
  });

  it('answers 422 UNKNOWN_LINE, naming the line, to a refund of a line the sale does not have', async () => {
    expect((await sale('L-1', [{ lineId: 'l1', amount: 5000, quantity: 1 }], other)).statusCode).toBe(201);
    const res = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/refund',
      payload: { programId: other, orderId: 'L-1', refundId: 're_unknown', lines: [{ lineId: 'l9', amount: 1000 }] },
    });
    expect([res.statusCode, res.json().error.code, res.json().error.message]).toEqual([
      422,
      'UNKNOWN_LINE',
      expect.stringContaining('l9'),
    ]);
  });

  it('keeps nothing of a refund refused for an unknown line', async () => {
    await sale('L-2', [{ lineId: 'l1', amount: 5000, quantity: 1 }], other);
    await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/refund',
      payload: {
        programId: other,
        orderId: 'L-2',
        refundId: 're_unknown_2',
        lines: [{ lineId: 'nope', amount: 1000 }],
      },
    });
    const refunds = await t.database.handle.db
      .selectFrom('refunds')
      .select('id')
      .where('external_id', '=', 're_unknown_2')
      .execute();
    expect(refunds).toHaveLength(0);
  });
});
