import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BreakEvenInput, breakEven } from './break-even.js';

const base: BreakEvenInput = {
  setupFee: 0,
  setupMonths: 12,
  monthlyFee: 0,
  networkFeeBps: 0,
  averageOrderValue: 0,
  marginBps: 0,
  commissionBps: 0,
  currency: 'EUR',
};

/**
 * The formula computed another way: the smallest whole number of sales whose contribution covers
 * the month's fees, found by comparing cross-multiplied integers (no division at all).
 *   n × AOV × (m − c − f) / 10000 ≥ monthlyFee + setupFee / setupMonths
 *   ⇔ n × AOV × (m − c − f) × setupMonths ≥ (monthlyFee × setupMonths + setupFee) × 10000
 */
function smallestCovering(i: BreakEvenInput): number | null {
  const perSale = BigInt(i.averageOrderValue) * BigInt(i.marginBps - i.commissionBps - i.networkFeeBps);
  if (perSale <= 0n) return null;
  const need = (BigInt(i.monthlyFee) * BigInt(i.setupMonths) + BigInt(i.setupFee)) * 10_000n;
  const step = perSale * BigInt(i.setupMonths);
  // Binary search over n: covers(n) is monotone.
  let lo = 0n;
  let hi = 1n;
  while (hi * step < need) hi *= 2n;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (mid * step >= need) hi = mid;
    else lo = mid + 1n;
  }
  return Number(lo);
}

describe('break-even sales per month', () => {
  it.each([
    // setupFee, months, monthly, netBps, aov, margin, commission, expected sales, contribution, fees/month
    // 12 000.00 € setup over 12 months + 500.00 € a month = 1 500.00 € a month; a 60.00 € order at
    // 50 % margin − 10 % commission − 5 % network fee leaves 21.00 € → 1500/21 = 71.43 → 72 sales.
    [1_200_000, 12, 50_000, 500, 6_000, 5_000, 1_000, 72, 2_100, 150_000],
    // exactly covered: 1 000.00 € a month, 10.00 € a sale → 100 sales, not 101
    [0, 12, 100_000, 0, 10_000, 1_000, 0, 100, 1_000, 100_000],
    // the setup fee alone, spread over 3 months: 100.00/3 = 33.333… € a month; 1.00 € a sale → 34
    [10_000, 3, 0, 0, 1_000, 1_000, 0, 34, 100, 3_333],
    // no fees at all: no sale is needed
    [0, 12, 0, 300, 5_000, 4_000, 1_000, 0, 1_350, 0],
    // a contribution below one minor unit still counts: 0.5 cents a sale, 1.00 € a month → 200 sales
    [0, 1, 100, 0, 50, 100, 0, 200, 0, 100],
    // JPY has no minor unit; the formula does not care
    [120_000, 12, 5_000, 200, 3_000, 3_000, 800, 25, 600, 15_000],
  ])(
    'setup %i over %i months, monthly %i, network %i bp, order %i, margin %i bp, commission %i bp → %s sales',
    (setupFee, setupMonths, monthlyFee, networkFeeBps, averageOrderValue, marginBps, commissionBps, sales, contribution, fees) => {
      const input = {
        ...base,
        setupFee,
        setupMonths,
        monthlyFee,
        networkFeeBps,
        averageOrderValue,
        marginBps,
        commissionBps,
      };
      const answer = breakEven(input);
      expect(answer).toMatchObject({
        salesPerMonth: sales,
        contributionPerSale: contribution,
        feesPerMonth: fees,
        reason: null,
      });
      expect(answer.salesPerMonth).toBe(smallestCovering(input));
    },
  );

  it.each([
    ['margin equal to commission plus fee', { marginBps: 1_500, commissionBps: 1_000, networkFeeBps: 500 }],
    ['margin below commission plus fee', { marginBps: 1_000, commissionBps: 1_000, networkFeeBps: 500 }],
    ['an average order of zero', { marginBps: 5_000, commissionBps: 1_000, averageOrderValue: 0 }],
  ])('answers null with a reason when a sale contributes nothing: %s', (_title, over) => {
    const answer = breakEven({ ...base, averageOrderValue: 5_000, monthlyFee: 10_000, ...over });
    expect(answer.salesPerMonth).toBeNull();
    expect(answer.reason).toMatch(/contributes nothing/);
  });

  it('names the bases in the reason when commission and network fee eat the margin', () => {
    const answer = breakEven({
      ...base,
      averageOrderValue: 5_000,
      marginBps: 1_200,
      commissionBps: 1_000,
      networkFeeBps: 300,
    });
    expect(answer.reason).toContain('1200 bp');
    expect(answer.contributionPerSale).toBe(-50);
  });

  it('agrees with the smallest covering number of sales for any input', () => {
    fc.assert(
      fc.property(
        fc.record({
          setupFee: fc.integer({ min: 0, max: 10_000_000_000 }),
          setupMonths: fc.integer({ min: 1, max: 120 }),
          monthlyFee: fc.integer({ min: 0, max: 100_000_000 }),
          networkFeeBps: fc.integer({ min: 0, max: 10_000 }),
          averageOrderValue: fc.integer({ min: 0, max: 10_000_000 }),
          marginBps: fc.integer({ min: 0, max: 10_000 }),
          commissionBps: fc.integer({ min: 0, max: 10_000 }),
        }),
        (over) => {
          const input = { ...base, ...over };
          const answer = breakEven(input);
          expect(answer.salesPerMonth).toBe(smallestCovering(input));
          expect(answer.reason === null).toBe(answer.salesPerMonth !== null);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
