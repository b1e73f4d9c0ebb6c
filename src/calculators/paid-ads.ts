import { divideHalfEven } from '../commissions/arithmetic.js';

/**
 * The paid-ads planner: what boosting a video as a Spark Ad would return, by the formula
 * impressions = budget / cpm × 1000, clicks = impressions × CTR, sales = clicks × conversion
 * rate, revenue = sales × average order value, commission = revenue × commission rate,
 * roas = revenue / budget, profit = revenue × margin − commission − budget. Pure, exact:
 * counts are rationals shown to two decimals, money is rounded half to even once, at the end.
 */

export interface PaidAdsInput {
  budget: number;
  cpm: number;
  ctrBps: number;
  conversionRateBps: number;
  averageOrderValue: number;
  commissionBps: number;
  marginBps: number;
}

export interface PaidAdsPlan {
  impressions: number;
  clicks: number;
  sales: number;
  revenue: number;
  commission: number;
  roas: number;
  profit: number;
}

const toFixed2 = (num: bigint, den: bigint) => Number(divideHalfEven(num * 100n, den)) / 100;

export function planPaidAds(i: PaidAdsInput): PaidAdsPlan {
  const budget = BigInt(i.budget);
  const cpm = BigInt(i.cpm);
  const ctr = BigInt(i.ctrBps);
  const conv = BigInt(i.conversionRateBps);
  const aov = BigInt(i.averageOrderValue);
  // Each quantity as an exact fraction over a common denominator.
  const impressionsNum = budget * 1000n; // / cpm
  const clicksNum = impressionsNum * ctr; // / (cpm × 10⁴)
  const salesNum = clicksNum * conv; // / (cpm × 10⁸)
  const salesDen = cpm * 10n ** 8n;
  const revenueNum = salesNum * aov; // / salesDen
  const commissionNum = revenueNum * BigInt(i.commissionBps); // / (salesDen × 10⁴)
  const marginNum = revenueNum * BigInt(i.marginBps); // / (salesDen × 10⁴)
  const profitNum = marginNum - commissionNum - budget * salesDen * 10_000n;
  return {
    impressions: toFixed2(impressionsNum, cpm),
    clicks: toFixed2(clicksNum, cpm * 10_000n),
    sales: toFixed2(salesNum, salesDen),
    revenue: Number(divideHalfEven(revenueNum, salesDen)),
    commission: Number(divideHalfEven(commissionNum, salesDen * 10_000n)),
    roas: budget === 0n ? 0 : Number(divideHalfEven(revenueNum * 10_000n, salesDen * budget)) / 10_000,
    profit: Number(divideHalfEven(profitNum, salesDen * 10_000n)),
  };
}

/** TikTok's floors for a Spark Ad campaign, in US dollar cents. */
export const TIKTOK_MIN_CPM_USD = 1000;
export const TIKTOK_MIN_BUDGET_USD = 50_000;
