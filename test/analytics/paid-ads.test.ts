import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPaidAds } from '../../src/calculators/paid-ads.js';
import { type Brand, call, signupBrand, startTestApp, type TestApp } from '../helpers/app.js';

describe('the paid-ads formula', () => {
  it('follows impressions = budget / cpm × 1000 and the rest by hand', () => {
    // 1,000.00 USD at a CPM of 12.50: 80,000 impressions; 1.5 % CTR: 1,200 clicks; 2 %: 24 sales;
    // at 60.00: 1,440.00 revenue; 15 % commission 216.00; roas 1.44; 55 % margin: 792.00 − 216.00 − 1,000.00.
    expect(
      planPaidAds({
        budget: 100_000,
        cpm: 1250,
        ctrBps: 150,
        conversionRateBps: 200,
        averageOrderValue: 6000,
        commissionBps: 1500,
        marginBps: 5500,
      }),
    ).toEqual({
      impressions: 80_000,
      clicks: 1200,
      sales: 24,
      revenue: 144_000,
      commission: 21_600,
      roas: 1.44,
      profit: 79_200 - 21_600 - 100_000,
    });
  });

  it('keeps fractional counts and rounds money once, half to even', () => {
    const plan = planPaidAds({
      budget: 50_000,
      cpm: 3000,
      ctrBps: 100,
      conversionRateBps: 300,
      averageOrderValue: 2500,
      commissionBps: 1000,
      marginBps: 5000,
    });
    // 16,666.67 impressions, 166.67 clicks, 5 sales: 12,500 revenue exactly.
    expect(plan).toMatchObject({ impressions: 16_666.67, clicks: 166.67, sales: 5, revenue: 12_500, commission: 1250 });
  });
});

let t: TestApp;
let brand: Brand;
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Planner');
  await t.database.handle.db
    .insertInto('exchange_rates')
    .values({ from_currency: 'EUR', to_currency: 'USD', rate: '1.08', updated_at: new Date().toISOString() })
    .execute();
});
afterAll(async () => {
  await t?.close();
});

const plan = (query: string) =>
  call(t.app, brand.token, { method: 'GET', url: `/api/v1/calculators/paid-ads?${query}` });
const base = 'ctrBps=150&conversionRateBps=200&averageOrderValue=6000&commissionBps=1500&marginBps=5500';

describe('GET /api/v1/calculators/paid-ads', () => {
  it('answers the plan of the formula', async () => {
    const res = await plan(`budget=100000&cpm=1250&currency=USD&${base}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ impressions: 80_000, clicks: 1200, sales: 24, revenue: 144_000, roas: 1.44 });
  });

  it('refuses a CPM under 10 USD with 422 and the reason', async () => {
    const res = await plan(`budget=100000&cpm=999&currency=USD&${base}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('BELOW_PLATFORM_MINIMUM');
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['querystring.cpm']);
  });

  it('refuses a budget under 500 USD with 422 and the reason', async () => {
    const res = await plan(`budget=49999&cpm=1000&currency=USD&${base}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['querystring.budget']);
  });

  it("converts euros with the operator's rate: 463 € is under 500 USD, 463.00 € × 1.08 = 500.04 USD is not", async () => {
    expect((await plan(`budget=46200&cpm=1000&currency=EUR&${base}`)).statusCode).toBe(422);
    expect((await plan(`budget=46300&cpm=1000&currency=EUR&${base}`)).statusCode).toBe(200);
  });

  it('answers 422 when there is no rate to check the floors in another currency', async () => {
    const res = await plan(`budget=100000&cpm=1000&currency=SEK&${base}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('EXCHANGE_RATE_MISSING');
  });
});
