import type { AnalyticsService } from '../analytics/service.js';
import { convert } from '../commissions/arithmetic.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { type PaidAdsPlan, planPaidAds, TIKTOK_MIN_BUDGET_USD, TIKTOK_MIN_CPM_USD } from './paid-ads.js';
import type { PaidAdsQuery } from './paid-ads-schemas.js';

export function paidAdsService({ db, analytics }: { db: Db; clock: Clock; analytics: AnalyticsService }) {
  /** An amount in US dollar cents, with the operator's exchange rate for another currency. */
  async function inUsd(amount: number, currency: string, field: string): Promise<number> {
    if (currency === 'USD') return amount;
    const row = await db
      .selectFrom('exchange_rates')
      .select('rate')
      .where('from_currency', '=', currency)
      .where('to_currency', '=', 'USD')
      .executeTakeFirst();
    if (!row) {
      throw new AppError('EXCHANGE_RATE_MISSING', `No exchange rate from ${currency} to USD to check TikTok's floors`, [
        { path: `querystring.${field}`, message: `the operator has no ${currency} → USD rate` },
      ]);
    }
    return convert(amount, currency, 'USD', row.rate);
  }

  async function plan(
    principal: Principal,
    q: PaidAdsQuery,
  ): Promise<PaidAdsPlan & { currency: string; ctrBps: number; conversionRateBps: number; averageOrderValue: number }> {
    let { ctrBps, conversionRateBps, averageOrderValue } = q;
    if (q.contentId) {
      // The video's measured CTR (clicks per view), conversion rate and order value, over two years.
      const measured = await analytics.query(principal, {
        contentId: q.contentId,
        from: new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 13).concat(':00:00Z'),
        limit: 1,
      });
      const t = measured.totals;
      if (ctrBps === undefined && t.ctr !== null && t.ctr !== undefined) ctrBps = Math.round(t.ctr * 10_000);
      if (conversionRateBps === undefined && t.conversionRate !== null && t.conversionRate !== undefined) {
        conversionRateBps = Math.round(t.conversionRate * 10_000);
      }
      if (averageOrderValue === undefined && t.aov !== null && t.aov !== undefined)
        averageOrderValue = Math.round(t.aov);
    }
    const unmeasured: string[] = [];
    if (ctrBps === undefined) unmeasured.push('ctrBps');
    if (conversionRateBps === undefined) unmeasured.push('conversionRateBps');
    if (averageOrderValue === undefined) unmeasured.push('averageOrderValue');
    if (unmeasured.length > 0) {
      throw new AppError(
        q.contentId ? 'NOT_MEASURED' : 'VALIDATION_FAILED',
        q.contentId
          ? `The video has no measured ${unmeasured.join(', ')} yet; give them`
          : `Give ${unmeasured.join(', ')}, or a contentId to use its measured ones`,
        unmeasured.map((f) => ({ path: `querystring.${f}`, message: 'required' })),
      );
    }
    const problems: { path: string; message: string }[] = [];
    if ((await inUsd(q.cpm, q.currency, 'cpm')) < TIKTOK_MIN_CPM_USD) {
      problems.push({ path: 'querystring.cpm', message: 'TikTok does not sell impressions below a CPM of 10 USD' });
    }
    if ((await inUsd(q.budget, q.currency, 'budget')) < TIKTOK_MIN_BUDGET_USD) {
      problems.push({ path: 'querystring.budget', message: "TikTok's smallest campaign budget is 500 USD" });
    }
    if (problems.length > 0) {
      throw new AppError(
        'BELOW_PLATFORM_MINIMUM',
        `Below TikTok's floors: ${problems.map((p) => p.message).join('; ')}`,
        problems,
      );
    }
    const result = planPaidAds({
      budget: q.budget,
      cpm: q.cpm,
      ctrBps: ctrBps as number,
      conversionRateBps: conversionRateBps as number,
      averageOrderValue: averageOrderValue as number,
      commissionBps: q.commissionBps,
      marginBps: q.marginBps,
    });
    return {
      ...result,
      currency: q.currency,
      ctrBps: ctrBps as number,
      conversionRateBps: conversionRateBps as number,
      averageOrderValue: averageOrderValue as number,
    };
  }

  return { plan };
}

export type PaidAdsService = ReturnType<typeof paidAdsService>;
