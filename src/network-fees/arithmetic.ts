/**
 * The fee arithmetic: a fee in basis points of a sale, and what refunds give back of it, exact
 * (BigInt) and rounded half to even, the product's one rounding rule, by the one arithmetic
 * module that commissions use too (commissions/arithmetic.ts).
 */
import { divideHalfEven, percentOf, toSafeNumber } from '../commissions/arithmetic.js';

/** `bps` basis points of `amount`, half to even: 500 bp of 3330 → 166 (166.5 → 166). */
export function feeOf(amount: number, bps: number): number {
  return percentOf(amount, bps);
}

/**
 * What is still to give back of `fee` (charged on `base`) once `refunded` of the base has been
 * refunded in all and `given` given back before: computed on the running total, so refunds that
 * add up to the whole sale give back exactly the whole fee.
 */
export function feeGivenBack(fee: number, base: number, refunded: number, given: number): number {
  if (base <= 0) return fee - given;
  const part = Math.min(Math.max(refunded, 0), base);
  return toSafeNumber(divideHalfEven(BigInt(fee) * BigInt(part), BigInt(base))) - given;
}
