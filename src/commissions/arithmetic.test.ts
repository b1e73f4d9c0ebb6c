import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convert,
  decimalToMinor,
  divideHalfEven,
  lineCommission,
  parseDecimal,
  percentOf,
  reversalFor,
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
