import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  convert,
  decimalToMinor,
  divideHalfEven,
  lineCommission,
  parseDecimal,
  percentOf,
  reversalFor,
  spread,
} from './arithmetic.js';

describe('rounding half to even', () => {
  it.each([
    [5n, 2n, 2n], // 2.5 → 2
    [7n, 2n, 4n], // 3.5 → 4
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [25n, 10n, 2n],
    [35n, 10n, 4n],
    [26n, 10n, 3n],
    [0n, 7n, 0n],
  ])('%i / %i → %i', (n, d, q) => {
    expect(divideHalfEven(n, d)).toBe(q);
  });

  it('never moves more than half a unit, and is symmetric around zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (n, d) => {
          const q = divideHalfEven(n, d);
          const error = q * d - n;
          expect(2n * (error < 0n ? -error : error) <= d).toBe(true);
          expect(divideHalfEven(-n, d)).toBe(-q);
        },
      ),
    );
  });
});

describe('line commissions', () => {
  it.each([
    // amount in minor units, bps, commission: ties go to the even cent
    [6000, 2000, 1200], // 20 % of 60.00 € = 12.00 €
    [1999, 1500, 300], // 299.85 → 300
    [1, 5000, 0], // 0.5 → 0
    [3, 5000, 2], // 1.5 → 2
    [5, 5000, 2], // 2.5 → 2
    [7, 5000, 4], // 3.5 → 4
    [1250, 1000, 125], // exact
    [1, 10_000, 1],
    [0, 1500, 0],
  ])('%i at %i bps → %i', (amount, bps, commission) => {
    expect(percentOf(amount, bps)).toBe(commission);
    expect(lineCommission({ amount, quantity: 1 }, { type: 'percent', bps })).toBe(commission);
  });

  it('pays a flat rate per unit', () => {
    expect(lineCommission({ amount: 12000, quantity: 3 }, { type: 'flat', amount: 500 })).toBe(1500);
  });
});

describe('reversals on refunds', () => {
  it('reverses in proportion to what was refunded, on the running total', () => {
    // 12.00 € on a 60.00 € line: refunds of 20.00 € and 40.00 €
    const first = reversalFor(1200, 6000, 2000, 0);
    expect(first).toBe(400);
    expect(reversalFor(1200, 6000, 6000, first)).toBe(800);
  });

  it('reverses exactly the whole commission once the whole line is refunded, in any steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (lineAmount, bps, weights) => {
          const commission = percentOf(lineAmount, bps);
          const total = weights.reduce((a, b) => a + b, 0);
          let refunded = 0;
          let reversed = 0;
          weights.forEach((w, i) => {
            refunded = i === weights.length - 1 ? lineAmount : refunded + Math.floor((lineAmount * w) / total);
            const step = reversalFor(commission, lineAmount, refunded, reversed);
            expect(step).toBeGreaterThanOrEqual(0);
            reversed += step;
            expect(reversed).toBeLessThanOrEqual(commission);
          });
          expect(reversed).toBe(commission);
        },
      ),
    );
  });
});

describe('decimal amounts from platforms', () => {
  it.each([
    ['19.99', 'EUR', 1999],
    ['19.9', 'EUR', 1990],
    ['20', 'EUR', 2000],
    ['1500', 'JPY', 1500],
    ['1.125', 'KWD', 1125],
    ['0.00', 'USD', 0],
  ])('%s %s → %i minor units', (text, currency, minor) => {
    expect(decimalToMinor(text, currency)).toBe(minor);
  });

  it.each([
    ['19.999', 'EUR'],
    ['1500.5', 'JPY'],
    ['1.1255', 'KWD'],
    ['abc', 'EUR'],
    ['1e3', 'EUR'],
    ['', 'EUR'],
  ])('refuses %j in %s', (text, currency) => {
    expect(() => decimalToMinor(text, currency)).toThrow(RangeError);
  });

  it('parses a decimal exactly', () => {
    expect(parseDecimal('1.0834')).toEqual({ numerator: 10834n, denominator: 10000n });
  });
});

describe('currency conversion with an operator rate', () => {
  it.each([
    // amount, from, to, rate, result
    [10_000, 'JPY', 'EUR', '0.0061', 6100], // ¥10,000 → 61.00 €
    [6100, 'EUR', 'JPY', '163.93', 10_000], // 61.00 € → ¥9,999.73 → ¥10,000
    [1000, 'EUR', 'KWD', '0.33', 3300], // 10.00 € → 3.300 KWD
    [1000, 'KWD', 'EUR', '3.03', 303], // 1.000 KWD → 3.03 €
    [1999, 'USD', 'EUR', '0.9231', 1845], // 18.4528 → 18.45
    [50, 'EUR', 'USD', '1.01', 50], // 0.505 → 0.50 (tie to even)
  ])('%i %s → %s at %s', (amount, from, to, rate, expected) => {
    expect(convert(amount, from, to, rate)).toBe(expected);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => convert(100, 'EUR', 'USD', '0')).toThrow(RangeError);
    expect(() => convert(100, 'EUR', 'USD', '-1.2')).toThrow(RangeError);
  });
});

/** Amounts up to 10^13 minor units: beyond 2^53 once multiplied, where a float split loses units. */
const MAX = 10_000_000_000_000;
const bigAmount = fc.integer({ min: 0, max: MAX });
const weightsOf = (min: number) => fc.array(fc.integer({ min: 0, max: MAX }), { minLength: min, maxLength: 12 });

describe('splitting an amount over weights', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [1000, [3000, 1000], [750, 250]],
    [5, [0, 0], [5, 0]],
    [1, [1, 1], [1, 0]],
    [200, [5000, 0], [200, 0]],
    [10, [1, 2, 3, 4], [1, 2, 3, 4]],
    [7, [1, 1, 1], [3, 2, 2]],
    [2, [1, 3, 1], [1, 1, 0]],
    [3, [1, 3, 1], [1, 2, 0]],
    [0, [4, 5], [0, 0]],
    [MAX, [MAX - 1, 1, 0], [MAX - 1, 1, 0]],
    [MAX, [3, 3, 3], [3_333_333_333_334, 3_333_333_333_333, 3_333_333_333_333]],
  ])('allocate(%i, %j) = %j, always summing to the total', (total, weights, parts) => {
    expect(allocate(total, weights)).toEqual(parts);
  });

  it('gives nothing to split over no weights', () => {
    expect(allocate(100, [])).toEqual([]);
  });

  it('never loses or creates a unit, and gives each weight its exact share rounded down or up', () => {
    fc.assert(
      fc.property(bigAmount, weightsOf(1), (total, weights) => {
        const parts = allocate(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(total));
        const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
        if (sum === 0n) return;
        parts.forEach((p, i) => {
          // |p·S − T·w| < S: p is floor or ceil of T·w/S, computed here without the code under test.
          const gap = BigInt(p) * sum - BigInt(total) * BigInt(weights[i] ?? 0);
          expect((gap < 0n ? -gap : gap) < sum).toBe(true);
        });
      }),
    );
  });
});

describe('spreading a refund over what is left of each line', () => {
  it.each([
    [3000, [6000, 3000], [2000, 1000]],
    [9000, [6000, 3000], [6000, 3000]],
    [20000, [6000, 3000], [6000, 3000]],
    [5000, [5000, 0], [5000, 0]],
    [1, [1, 1, 1], [1, 0, 0]],
    [100, [0, 0], [0, 0]],
    [0, [10, 20], [0, 0]],
  ])('spread(%i, %j) = %j', (amount, rooms, parts) => {
    expect(spread(amount, rooms)).toEqual(parts);
  });

  it('places the amount up to the rooms, never a unit more than a line has left', () => {
    fc.assert(
      fc.property(bigAmount, weightsOf(1), (amount, rooms) => {
        const parts = spread(amount, rooms);
        const room = rooms.reduce((a, b) => a + BigInt(b), 0n);
        const expected = BigInt(amount) < room ? BigInt(amount) : room;
        expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(expected);
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(rooms[i] ?? 0);
        });
      }),
    );
  });

  it('refunds the whole order exactly when the amount is the whole order, at 10^13 minor units', () => {
    fc.assert(
      fc.property(weightsOf(1), (rooms) => {
        const whole = rooms.reduce((a, b) => a + b, 0);
        expect(spread(whole, rooms)).toEqual(rooms);
      }),
    );
  });
});
