import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/db/kysely.js';
import { up } from '../../src/db/migrations/0020-creator-earnings.js';
import {
  approvedCreator,
  call,
  createKey,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

// The ledger's running sum of each creator's positive entries per program (creator_earnings):
// kept as sales and leads are written, untouched by refunds, and filled by its migration from
// the entries that already exist.
let t: TestApp;
let programId: string;

const earnings = async () =>
  (
    await sql<{ program_id: string; creator_id: string; earned: string }>`
      select program_id, creator_id, cast(earned as text) as earned from creator_earnings
      where program_id = ${programId} order by creator_id`.execute(t.database.handle.db)
  ).rows;

const positiveSums = async () =>
  (
    await sql<{ program_id: string; creator_id: string; earned: string }>`
      select program_id, creator_id, cast(sum(amount) as text) as earned from commissions
      where program_id = ${programId} and amount > 0 group by program_id, creator_id order by creator_id`.execute(
      t.database.handle.db,
    )
  ).rows;

beforeAll(async () => {
  t = await startTestApp();
  const brand = await signupBrand(t.app);
  const key = await createKey(t.app, brand.token, 'manager');
  programId = (await createProgram(t.app, key, { ...validProgram, defaultRate: { type: 'percent', bps: 1000 } })).id;
  for (const [name, code] of [
    ['Dana Vaughan', 'DANA'],
    ['Eve Edge', 'EVE'],
  ] as const) {
    const c = await approvedCreator(t.app, key, programId, name);
    const made = await call(t.app, key, {
      method: 'POST',
      url: `/api/v1/programs/${programId}/codes`,
      payload: { creatorId: c.creatorId, code, discount: { type: 'percent', bps: 1000 } },
    });
    expect(made.statusCode).toBe(201);
  }
  const sale = (orderId: string, code: string, amount: number) =>
    call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/sale',
      payload: { programId, orderId, currency: 'EUR', couponCode: code, lines: [{ lineId: 'a', amount, quantity: 1 }] },
    });
  expect((await sale('E-1', 'DANA', 10_000)).statusCode).toBe(201);
  expect((await sale('E-2', 'DANA', 4_550)).statusCode).toBe(201);
  expect((await sale('E-3', 'EVE', 2_000)).statusCode).toBe(201);
  const refund = await call(t.app, key, {
    method: 'POST',
    url: '/api/v1/track/refund',
    payload: { programId, orderId: 'E-1', refundId: 'R-1', amount: 5_000 },
  });
  expect(refund.statusCode).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

describe("creators' running earnings", () => {
  it('equal the sum of each creator’s positive entries, refunds not taken off', async () => {
    const kept = await earnings();
    // 10 % of 100.00 € and 45.50 € for Dana, of 20.00 € for Eve; Dana's refund of 50.00 € is a
    // negative entry and leaves what was earned as it was.
    expect(kept.map((r) => Number(r.earned)).sort((a, b) => a - b)).toEqual([200, 1455]);
    expect(kept).toEqual(await positiveSums());
  });

  it('are filled by the migration from the entries that exist', async () => {
    const kept = await earnings();
    await sql`drop table creator_earnings`.execute(t.database.handle.db);
    await up(t.database.handle.db as never);
    expect(await earnings()).toEqual(kept);
  });
});
