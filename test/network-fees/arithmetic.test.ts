import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOf, reversalFor } from '../../src/commissions/arithmetic.js';
import { feeGivenBack, feeOf } from '../../src/network-fees/arithmetic.js';

describe('network fee arithmetic', () => {
  it.each([
    [3_330, 500, 166], // 166.5 → 166
    [3_350, 500, 168], // 167.5 → 168
    [10_000, 300, 300],
    [1, 4_999, 0],
    [1, 5_000, 0], // 0.5 → 0
    [3, 5_000, 2], // 1.5 → 2
  ])('%i at %i bp is %i', (amount, bps, fee) => {
    expect(feeOf(amount, bps)).toBe(fee);
  });

  it('gives back the whole fee once the whole sale is refunded, however the refunds fall', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { maxLength: 6 }),
        (base, bps, refunds) => {
          const fee = feeOf(base, bps);
          let refunded = 0;
          let given = 0;
          for (const r of [...refunds, base]) {
            refunded = Math.min(base, refunded + r);
            const due = feeGivenBack(fee, base, refunded, given);
            expect(due).toBeGreaterThanOrEqual(0);
            given += due;
          }
          expect(given).toBe(fee);
        },
      ),
    );
  });

  it('rounds as the commissions do', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1e12 }),
        (amount, bps, refunded) => {
          const fee = feeOf(amount, bps);
          expect(fee).toBe(percentOf(amount, bps));
          expect(feeGivenBack(fee, amount, refunded, 0)).toBe(reversalFor(fee, amount, refunded, 0));
        },
      ),
    );
  });
});
