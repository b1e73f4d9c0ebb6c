import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createCode,
  createKey,
  createProduct,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { testRedis } from '../helpers/redis.js';

/**
 * Tracked sales keep what they read of their program (settings, products, enrollments, fraud
 * settings, rate history) between sales. Each test first makes a sale that fills the cache, then
 * changes one of those through the API, and checks that the very next sale sees the change.
 */
interface World {
  brand: Brand;
  key: string;
  programId: string;
  dana: CreatorAccount & { enrollmentId: string };
}

async function world(t: TestApp): Promise<World> {
  const brand = await signupBrand(t.app, 'Aino');
  const key = await createKey(t.app, brand.token, 'manager');
  const programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: 1000 } })
  ).id;
  const dana = await approvedCreator(t.app, brand.token, programId, 'Dana Vaughan');
  await createProduct(t.app, brand.token, programId, {
    externalId: 'leggings',
    name: 'Synergy leggings',
    rate: { type: 'percent', bps: 2000 },
  });
  await createCode(t.app, brand.token, programId, {
    creatorId: dana.creatorId,
    code: 'DANA15',
    discount: { type: 'percent', bps: 1500 },
  });
  return { brand, key, programId, dana };
}

let orders = 0;
/** A sale of one 100.00 € line of `productId` by the code DANA15, on instance `t`. */
async function sale(t: TestApp, w: World, productId: string, extra: object = {}) {
  const res = await call(t.app, w.key, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: {
      programId: w.programId,
      orderId: `cache-${++orders}`,
      currency: 'EUR',
      couponCode: 'DANA15',
      lines: [{ productId, amount: 10_000, quantity: 1 }],
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const firstCommission = (answer: { conversion: { commissions: { amount: number; rateSource: string }[] } }) =>
  answer.conversion.commissions[0];

async function edit(t: TestApp, token: string, method: 'PATCH' | 'PUT' | 'POST', url: string, payload?: object) {
  const res = await call(t.app, token, { method, url, ...(payload ? { payload } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

// On SQLite, sales may be recorded on a thread of their own, which keeps its own copy.
const modes = [
  { where: 'recorded in process', conversionsThread: false },
  ...(dialect === 'sqlite' ? [{ where: 'recorded on the conversions thread', conversionsThread: true }] : []),
];

describe.each(modes)('what sales keep of their program, on one instance, $where', ({ conversionsThread }) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ conversionsThread });
    expect(Boolean((t.app as unknown as { conversionsThread: unknown }).conversionsThread)).toBe(conversionsThread);
  });
  // Each test changes its program: each gets a program of its own, whatever order they run in.
  beforeEach(async () => {
    w = await world(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("sees a product's new rate at once", async () => {
    expect(firstCommission(await sale(t, w, 'leggings'))).toMatchObject({ amount: 2000, rateSource: 'product' });
    const list = await call(t.app, w.brand.token, { method: 'GET', url: `/api/v1/programs/${w.programId}/products` });
    const id = list.json().data.find((p: { externalId: string }) => p.externalId === 'leggings').id;
    await edit(t, w.brand.token, 'PATCH', `/api/v1/products/${id}`, { rate: { type: 'percent', bps: 3000 } });
    expect(firstCommission(await sale(t, w, 'leggings'))).toMatchObject({ amount: 3000, rateSource: 'product' });
  });

  it('sees a product that was unknown when an earlier sale named it', async () => {
    expect(firstCommission(await sale(t, w, 'socks'))).toMatchObject({ amount: 1000, rateSource: 'program' });
    await createProduct(t.app, w.brand.token, w.programId, {
      externalId: 'socks',
      name: 'Wool socks',
      rate: { type: 'percent', bps: 500 },
    });
    expect(firstCommission(await sale(t, w, 'socks'))).toMatchObject({ amount: 500, rateSource: 'product' });
  });

  it("sees the program's raised default rate at once", async () => {
    expect(firstCommission(await sale(t, w, 'hat'))).toMatchObject({ amount: 1000, rateSource: 'program' });
    await edit(t, w.brand.token, 'PATCH', `/api/v1/programs/${w.programId}`, {
      defaultRate: { type: 'percent', bps: 1200 },
    });
    expect(firstCommission(await sale(t, w, 'hat'))).toMatchObject({ amount: 1200, rateSource: 'program' });
  });

  it("sees a creator's own rate and a suspended enrollment at once", async () => {
    await edit(t, w.brand.token, 'PATCH', `/api/v1/enrollments/${w.dana.enrollmentId}`, {
      rate: { type: 'percent', bps: 1800 },
    });
    expect(firstCommission(await sale(t, w, 'cap'))).toMatchObject({ amount: 1800, rateSource: 'creator' });
    await edit(t, w.brand.token, 'PATCH', `/api/v1/enrollments/${w.dana.enrollmentId}`, {
      status: 'suspended',
      reason: 'paused for the test',
    });
    const suspended = await sale(t, w, 'cap');
    expect(suspended.conversion.creatorId).toBeNull();
    expect(suspended.conversion.commissions).toEqual([]);
    await edit(t, w.brand.token, 'PATCH', `/api/v1/enrollments/${w.dana.enrollmentId}`, { status: 'approved' });
    expect(firstCommission(await sale(t, w, 'cap'))).toMatchObject({ amount: 1800, rateSource: 'creator' });
  });

  it("sees the program's own coupon sites at once", async () => {
    const from = { referrer: 'https://koodit.example/dana' };
    expect((await sale(t, w, 'scarf', from)).conversion.commissions[0].hold).toBeNull();
    await edit(t, w.brand.token, 'PUT', `/api/v1/programs/${w.programId}/fraud-settings`, {
      couponSiteDomains: ['koodit.example'],
    });
    expect((await sale(t, w, 'scarf', from)).conversion.commissions[0].hold).toMatchObject({
      reason: 'coupon_site_referrer',
    });
  });

  it('sees a new code that an earlier sale typed, and a disabled code, at once', async () => {
    const early = await sale(t, w, 'hat', { couponCode: 'DANA20' });
    expect(early.conversion.creatorId).toBeNull();
    const made = await createCode(t.app, w.brand.token, w.programId, {
      creatorId: w.dana.creatorId,
      code: 'DANA20',
      discount: { type: 'percent', bps: 2000 },
    });
    const now = await sale(t, w, 'hat', { couponCode: 'dana20' });
    expect(now.conversion).toMatchObject({ creatorId: w.dana.creatorId, attribution: 'code', code: 'DANA20' });
    await edit(t, w.brand.token, 'PATCH', `/api/v1/codes/${made.id}`, { status: 'disabled' });
    expect((await sale(t, w, 'hat', { couponCode: 'DANA20' })).conversion.creatorId).toBeNull();
  });

  it('refuses a sale for another workspace’s program although that program is kept', async () => {
    await sale(t, w, 'leggings');
    const other = await signupBrand(t.app, 'Other');
    const otherKey = await createKey(t.app, other.token, 'manager');
    const res = await call(t.app, otherKey, {
      method: 'POST',
      url: '/api/v1/track/sale',
      payload: {
        programId: w.programId,
        orderId: 'foreign-1',
        currency: 'EUR',
        lines: [{ amount: 100, quantity: 1 }],
      },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe.each(modes)(
  'what sales keep of their program, across instances through Redis, $where',
  ({ conversionsThread }) => {
    let shared: ReturnType<typeof testRedis>;
    let a: TestApp;
    let b: TestApp;
    let w: World;
    beforeAll(async () => {
      shared = testRedis();
      a = await startTestApp({ redis: shared.redis, conversionsThread });
      expect(Boolean((a.app as unknown as { conversionsThread: unknown }).conversionsThread)).toBe(conversionsThread);
      b = await startTestApp({ redis: shared.redis, shareDatabaseWith: a });
      w = await world(b);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await shared?.close();
    });

    /** Sales on A until one satisfies `done`, for at most a second (the announcement is asynchronous). */
    async function eventually(productId: string, done: (amount: number) => boolean): Promise<number> {
      const deadline = Date.now() + 1000;
      for (;;) {
        const amount = firstCommission(await sale(a, w, productId))?.amount ?? 0;
        if (done(amount) || Date.now() > deadline) return amount;
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('an edit on one instance reaches the sales of the other', async () => {
      expect(firstCommission(await sale(a, w, 'leggings'))?.amount).toBe(2000); // now kept by A
      const list = await call(b.app, w.brand.token, { method: 'GET', url: `/api/v1/programs/${w.programId}/products` });
      const id = list.json().data.find((p: { externalId: string }) => p.externalId === 'leggings').id;
      await edit(b, w.brand.token, 'PATCH', `/api/v1/products/${id}`, { rate: { type: 'percent', bps: 2500 } });
      expect(await eventually('leggings', (amount) => amount === 2500)).toBe(2500);
      await edit(b, w.brand.token, 'PATCH', `/api/v1/enrollments/${w.dana.enrollmentId}`, {
        rate: { type: 'percent', bps: 1700 },
      });
      expect(await eventually('hat', (amount) => amount === 1700)).toBe(1700);
    });
  },
);
