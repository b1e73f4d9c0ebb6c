import { z } from 'zod';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { labelsOf } from './labels.js';
import { countGrouped, metricsOf, rangeOf } from './query.js';
import { analyticsQuery, type GroupBy, type Metrics, metricsSchema } from './schemas.js';
import { checkFilters, scopeOf } from './scope.js';

const boards = { creators: 'creator', videos: 'content', links: 'link', codes: 'code' } as const;
const rankBy = ['netGmv', 'sales', 'epc', 'gpm'] as const;

export const leaderboardQuery = z.strictObject({
  board: z.enum(['creators', 'videos', 'links', 'codes']),
  by: z.enum(rankBy).default('netGmv'),
  programId: analyticsQuery.shape.programId,
  from: analyticsQuery.shape.from,
  to: analyticsQuery.shape.to,
  timezone: analyticsQuery.shape.timezone,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  minClicks: z.coerce
    .number()
    .int()
    .min(0)
    .default(100)
    .meta({ description: 'Ranking by EPC, an entry needs at least this many clicks' }),
  minViews: z.coerce
    .number()
    .int()
    .min(0)
    .default(1000)
    .meta({ description: 'Ranking by GPM, an entry needs at least this many views' }),
  minSales: z.coerce
    .number()
    .int()
    .min(0)
    .default(1)
    .meta({ description: 'Ranking by EPC or GPM, an entry needs at least this many sales' }),
});
export type LeaderboardQuery = z.infer<typeof leaderboardQuery>;

export const leaderboardSchema = z
  .object({
    board: z.enum(['creators', 'videos', 'links', 'codes']),
    by: z.enum(rankBy),
    currency: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    previousFrom: z.string().meta({ description: 'The previous period, of the same length, just before' }),
    data: z.array(
      z.object({
        rank: z.number().int(),
        key: z.string(),
        label: z.string(),
        value: z.number().meta({ description: 'The ranked metric in this period' }),
        previous: z
          .number()
          .nullable()
          .meta({ description: 'The same metric in the previous period; null without a sample' }),
        change: z.number().nullable().meta({ description: 'value − previous' }),
        metrics: metricsSchema,
      }),
    ),
  })
  .meta({ id: 'Leaderboard' });
export type Leaderboard = z.infer<typeof leaderboardSchema>;

const bad = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, [{ path: `querystring.${field}`, message }]);

/** Top creators, videos, links and codes, with a minimum sample for ratios and the change against the previous period. */
export function leaderboards({ db, clock }: { db: Db; clock: Clock }) {
  return async function leaderboard(principal: Principal, q: LeaderboardQuery): Promise<Leaderboard> {
    const groupBy: GroupBy = boards[q.board];
    if (q.by === 'gpm' && (q.board === 'links' || q.board === 'codes')) {
      throw bad('by', 'GPM ranks creators and videos, which have views');
    }
    if (q.by === 'epc' && q.board === 'codes') throw bad('by', 'codes have no clicks to rank by EPC');
    const base = { ...q, groupBy, limit: 1000 };
    const scope = await scopeOf(db, principal, base);
    const currencies = new Set(scope.programs.map((p) => p.currency));
    if (currencies.size > 1) throw bad('programId', 'programs in several currencies: name one');
    const range = rangeOf(base, scope, clock.now());
    await checkFilters(db, scope, base);
    const previousRange = { ...range, from: range.from - (range.to - range.from), to: range.from };
    const [now, before] = await Promise.all([
      countGrouped(db, scope, base, range),
      countGrouped(db, scope, base, previousRange),
    ]);
    const sampled = (m: Metrics) => {
      if (q.by === 'epc') return (m.clicks ?? 0) >= q.minClicks && m.sales >= q.minSales && m.epc !== null;
      if (q.by === 'gpm') return (m.views ?? 0) >= q.minViews && m.sales >= q.minSales && m.gpm !== null;
      return true;
    };
    const ranked = [...now.groups.entries()]
      .map(([key, acc]) => ({ key, metrics: metricsOf(acc, now.clicksApply, now.viewsApply) }))
      .filter((e) => sampled(e.metrics) && (e.metrics[q.by] ?? 0) !== 0)
      .sort((a, b) => (b.metrics[q.by] ?? 0) - (a.metrics[q.by] ?? 0) || (a.key < b.key ? -1 : 1))
      .slice(0, q.limit);
    const labels = await labelsOf(
      db,
      groupBy,
      ranked.map((e) => e.key),
    );
    return {
      board: q.board,
      by: q.by,
      currency: [...currencies][0] ?? null,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      previousFrom: new Date(previousRange.from).toISOString(),
      data: ranked.map((e, i) => {
        const acc = before.groups.get(e.key);
        const prev = acc ? metricsOf(acc, before.clicksApply, before.viewsApply) : undefined;
        const previous =
          prev && sampled(prev) ? (prev[q.by] ?? null) : q.by === 'netGmv' || q.by === 'sales' ? 0 : null;
        const value = e.metrics[q.by] as number;
        return {
          rank: i + 1,
          key: e.key,
          label: labels.get(e.key) ?? e.key,
          value,
          previous,
          change: previous === null ? null : Math.round((value - previous) * 1e6) / 1e6,
          metrics: e.metrics,
        };
      }),
    };
  };
}
