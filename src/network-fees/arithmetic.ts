/**
 * The fee arithmetic: a fee in basis points of a sale, and what refunds give back of it, exact
 * (BigInt) and rounded half to even, the product's one rounding rule. It follows
 * commissions/arithmetic.ts, which network-fees/ cannot import while commissions/ and
 * conversions/ import each other (conversions/ calls this module as it records a sale).
 */

/** numerator / denominator (> 0), rounded half to even. */
function halfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const twice = 2n * (n - q * denominator);
  if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

function exact(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} is beyond the exact range of a number`);
  return n;
}

/** `bps` basis points of `amount`, half to even: 500 bp of 3330 → 166 (166.5 → 166). */
export function feeOf(amount: number, bps: number): number {
  return exact(halfEven(BigInt(amount) * BigInt(bps), 10_000n));
}

/**
 * What is still to give back of `fee` (charged on `base`) once `refunded` of the base has been
 * refunded in all and `given` given back before: computed on the running total, so refunds that
 * add up to the whole sale give back exactly the whole fee.
 */
export function feeGivenBack(fee: number, base: number, refunded: number, given: number): number {
  if (base <= 0) return fee - given;
  const part = Math.min(Math.max(refunded, 0), base);
  return exact(halfEven(BigInt(fee) * BigInt(part), BigInt(base))) - given;
}
