import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const ask = (query: Record<string, string | number>) =>
  t.app.inject({
    method: 'GET',
    url: '/api/v1/calculators/break-even',
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
  });

const valid = {
  setupFee: 1_200_000,
  setupMonths: 12,
  monthlyFee: 50_000,
  networkFeeBps: 500,
  averageOrderValue: 6_000,
  marginBps: 5_000,
  commissionBps: 1_000,
  currency: 'eur',
};

describe('GET /api/v1/calculators/break-even', () => {
  it('answers the sales a month that cover the fees, with no token', async () => {
    const res = await ask(valid);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      salesPerMonth: 72,
      contributionPerSale: 2_100,
      feesPerMonth: 150_000,
      currency: 'EUR',
      reason: null,
    });
  });

  it('answers salesPerMonth null with a reason when a sale contributes nothing', async () => {
    const res = await ask({ ...valid, marginBps: 1_500 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ salesPerMonth: null, contributionPerSale: 0 });
    expect(res.json().reason).toMatch(/no number of sales covers the fees/);
  });

  it('takes no setup or monthly fee when they are left out', async () => {
    const { setupFee: _s, monthlyFee: _m, setupMonths: _n, ...rest } = valid;
    const res = await ask(rest);
    expect(res.json()).toMatchObject({ salesPerMonth: 0, feesPerMonth: 0 });
  });

  it.each([
    ['setupMonths', 0],
    ['setupMonths', 'x'],
    ['marginBps', 10_001],
    ['averageOrderValue', -1],
    ['averageOrderValue', '12.5'],
    ['networkFeeBps', ''],
    ['currency', 'EURO'],
  ])('refuses %s=%s with 400 naming the field', async (field, value) => {
    const res = await ask({ ...valid, [field]: value });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(`querystring.${field}`);
  });

  it('refuses a missing required input with 400 naming it', async () => {
    const { commissionBps: _c, ...rest } = valid;
    const res = await ask(rest);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain('querystring.commissionBps');
  });

  it('refuses an unknown input with 400', async () => {
    const res = await ask({ ...valid, margin: 5 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain('querystring.margin');
  });
});
