/**
 * The break-even question a brand asks before it joins a network: how many sales a month cover
 * the network's fees. Pure and exact: integers and BigInt only, never a float.
 *
 *   salesPerMonth = ceil((monthlyFee + setupFee / setupMonths)
 *                        / (averageOrderValue × (marginBps − commissionBps − networkFeeBps) / 10000))
 */
import { divideHalfEven } from '../commissions/arithmetic.js';

export interface BreakEvenInput {
  /** The one-off setup fee, in minor units, spread over `setupMonths`. */
  setupFee: number;
  setupMonths: number;
  /** The monthly fee, in minor units. */
  monthlyFee: number;
  /** The network's fee on each attributed sale, in basis points of the sale. */
  networkFeeBps: number;
  /** The average order, in minor units. */
  averageOrderValue: number;
  /** The brand's gross margin on a sale, in basis points. */
  marginBps: number;
  /** The creator's commission, in basis points of the sale. */
  commissionBps: number;
  currency: string;
}

export type BreakEven =
  | {
      salesPerMonth: number;
      /** What one sale leaves after commission and network fee, rounded half to even. */
      contributionPerSale: number;
      /** The monthly fee plus the month's share of the setup fee, rounded half to even. */
      feesPerMonth: number;
      currency: string;
      reason: null;
    }
  | {
      salesPerMonth: null;
      contributionPerSale: number;
      feesPerMonth: number;
      currency: string;
      reason: string;
    };

const BPS = 10_000n;

/** ceil(n / d) for n ≥ 0 and d > 0. */
function ceilDiv(n: bigint, d: bigint): bigint {
  return (n + d - 1n) / d;
}

function exact(value: bigint, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} ${value} is beyond the exact range of a number`);
  return n;
}

export function breakEven(input: BreakEvenInput): BreakEven {
  const months = BigInt(input.setupMonths);
  const perSaleBps = BigInt(input.marginBps) - BigInt(input.commissionBps) - BigInt(input.networkFeeBps);
  // Both sides of the division as fractions over (setupMonths × 10000):
  // fees = (monthlyFee × setupMonths + setupFee) / setupMonths
  // contribution = averageOrderValue × perSaleBps / 10000
  const feesTimesMonths = BigInt(input.monthlyFee) * months + BigInt(input.setupFee);
  const contributionTimesBps = BigInt(input.averageOrderValue) * perSaleBps;
  const contributionPerSale = exact(divideHalfEven(contributionTimesBps, BPS), 'contribution per sale');
  const feesPerMonth = exact(divideHalfEven(feesTimesMonths, months), 'fees per month');
  const base = { contributionPerSale, feesPerMonth, currency: input.currency };
  if (contributionTimesBps <= 0n) {
    const reason =
      perSaleBps <= 0n
        ? `A sale contributes nothing: the margin (${input.marginBps} bp) does not exceed the commission ` +
          `(${input.commissionBps} bp) plus the network fee (${input.networkFeeBps} bp), so no number of sales covers the fees`
        : 'A sale contributes nothing: the average order value is zero, so no number of sales covers the fees';
    return { ...base, salesPerMonth: null, reason };
  }
  // ceil((feesTimesMonths / months) / (contributionTimesBps / 10000))
  //   = ceil(feesTimesMonths × 10000 / (months × contributionTimesBps))
  const sales = ceilDiv(feesTimesMonths * BPS, months * contributionTimesBps);
  return { ...base, salesPerMonth: exact(sales, 'sales per month'), reason: null };
}
