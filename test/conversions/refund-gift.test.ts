import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefundInput, SaleInput } from '../../src/conversions/contract.js';
import { conversionsService } from '../../src/conversions/service.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import {
  approvedCreator,
  type Brand,
  call,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * An order of a 50 € line at the program's 10 % and a 0 € gift whose product earns a flat 2 €:
 * 5 € + 2 € pending. Refunded in full, by amount or by naming both lines, the order nets to zero,
 * the gift's 2 € included.
 */
let t: TestApp;
let brand: Brand;
let programId: string;
let service: ReturnType<typeof conversionsService>;
let creatorId: string;

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Gift Brand');
  programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: 1000 } })
  ).id;
  creatorId = (await approvedCreator(t.app, brand.token, programId, 'Gift Creator')).creatorId;
  const code = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId, code: 'GIFT10', discount: { type: 'percent', bps: 1000 } },
  });
  expect(code.statusCode).toBe(201);
  const gift = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/products`,
    payload: { externalId: 'gift', name: 'Free gift', rate: { type: 'flat', amount: 200 } },
  });
  expect(gift.statusCode).toBe(201);
  service = conversionsService({
    db: t.database.handle.db,
    clock: systemClock,
    secret: 'x'.repeat(32),
    dialect: t.database.handle.dialect,
  });
});
afterAll(async () => {
  await t?.close();
});

const sale = (orderId: string): SaleInput => ({
  programId,
  orderId,
  source: 'track',
  currency: 'EUR',
  couponCodes: ['GIFT10'],
  lines: [
    { lineId: 'paid', productId: null, amount: 5000, quantity: 1 },
    { lineId: 'gift', productId: 'gift', amount: 0, quantity: 1 },
  ],
});

async function ledgerOf(conversionId: string) {
  const res = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/conversions/${conversionId}` });
  expect(res.statusCode).toBe(200);
  return res.json().commissions as { kind: string; status: string; amount: number; lineNo: number }[];
}

async function refundedInFull(orderId: string, refund: Pick<RefundInput, 'lines' | 'amount'>) {
  const scope = trustedScope(brand.workspaceId);
  const recorded = await service.recordSale(scope, sale(orderId));
  expect(recorded.commissionIds).toHaveLength(2);
  const before = await ledgerOf(recorded.conversionId as string);
  expect(before.map((e) => e.amount)).toEqual([500, 200]);
  await service.recordRefund(scope, { programId, orderId, refundId: `${orderId}-r`, source: 'track', ...refund });
  return ledgerOf(recorded.conversionId as string);
}

describe('a full refund of an order with a free gift earning a flat rate', () => {
  it('nets the order to zero when refunded by amount', async () => {
    const entries = await refundedInFull('gift-by-amount', { amount: 5000 });
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
  });

  it('reverses the gift line whole when refunded by amount', async () => {
    const entries = await refundedInFull('gift-by-amount-2', { amount: 5000 });
    const gift = entries.filter((e) => e.lineNo === 2);
    expect(gift.map((e) => [e.kind, e.status, e.amount])).toEqual([
      ['sale', 'reversed', 200],
      ['reversal', 'reversed', -200],
    ]);
  });

  it('nets the order to zero when refunded by naming both lines', async () => {
    const entries = await refundedInFull('gift-by-lines', {
      lines: [
        { lineId: 'paid', amount: 5000 },
        { lineId: 'gift', amount: 0 },
      ],
    });
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
  });

  it('leaves the gift pending while the order is only partly refunded', async () => {
    const entries = await refundedInFull('gift-partly', { amount: 2500 });
    const gift = entries.filter((e) => e.lineNo === 2);
    expect(gift.map((e) => [e.kind, e.status, e.amount])).toEqual([['sale', 'pending', 200]]);
  });
});
