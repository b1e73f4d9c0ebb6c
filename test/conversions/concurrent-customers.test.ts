import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createKey,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * Orders of one new customer recorded at the same moment: each is recorded, and the customer is
 * kept once. On PostgreSQL the deliveries run in transactions of their own at once, so the second
 * must wait for the first to keep the customer and then find it, instead of keeping it again.
 */
let t: TestApp;
let key: string;
let programId: string;

beforeAll(async () => {
  t = await startTestApp();
  const brand = await signupBrand(t.app, 'Aino');
  key = await createKey(t.app, brand.token, 'manager');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
});
afterAll(async () => {
  await t?.close();
});

function sale(orderId: string, customer: { customerId?: string; customerEmail?: string }) {
  return call(t.app, key, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: { programId, orderId, currency: 'EUR', ...customer, lines: [{ amount: 5000, quantity: 1 }] },
  });
}

async function customersOf() {
  return t.database.handle.db.selectFrom('customers').select('id').where('program_id', '=', programId).execute();
}

describe('orders of one new customer recorded at once', () => {
  it('are each recorded, and the customer named by the shop’s id is kept once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sale(`SAME-ID-${i}`, { customerId: 'shop-customer-1' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    const conversions = await t.database.handle.db
      .selectFrom('conversions')
      .select(['external_id', 'customer_id'])
      .where('program_id', '=', programId)
      .where('external_id', 'like', 'SAME-ID-%')
      .execute();
    expect(conversions).toHaveLength(8);
    expect(new Set(conversions.map((c) => c.customer_id)).size).toBe(1);
  });

  it('are each recorded, and the customer named by email only is kept once', async () => {
    const before = (await customersOf()).length;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sale(`SAME-EMAIL-${i}`, { customerEmail: 'Shopper@Example.com' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    expect((await customersOf()).length).toBe(before + 1);
  });
});
