import type { DbOrTx } from '../db/database.js';
import { countGrouped, type Grouped, type Range } from './query.js';
import type { AnalyticsQuery } from './schemas.js';
import type { AnalyticsScope } from './scope.js';

/**
 * The first `limit` creators or videos by net GMV without counting every one's clicks and views:
 * their sales come first (from the rollup), and only those that can be among the first — net GMV
 * at least that of the `limit`-th, ties included, whose order the clicks decide — are counted in
 * full, each as the query filtered to it. Exact: every other group has less net GMV than each
 * of those and comes after them. Undefined where it does not apply (another order, or fewer
 * than `limit` groups with net GMV, where groups of clicks alone are ranked by their clicks).
 */
export async function countTop(
  db: DbOrTx,
  scope: AnalyticsScope,
  q: AnalyticsQuery,
  range: Range,
): Promise<Grouped | undefined> {
  if (q.groupBy !== 'creator' && q.groupBy !== 'content') return undefined;
  if (q.orderBy !== undefined && q.orderBy !== 'netGmv') return undefined;
  const sales = await countGrouped(db, scope, q, range, { salesOnly: true });
  const net = [...sales.groups.entries()]
    .map(([key, a]) => ({ key, net: a.gmv - a.refunds }))
    .sort((a, b) => b.net - a.net);
  const last = net[q.limit - 1];
  if (!last || last.net <= 0) return undefined;
  const chosen = net.filter((e) => e.net >= last.net).map((e) => e.key);
  const { groupBy: _, ...whole } = q;
  const filter = (key: string): AnalyticsQuery =>
    q.groupBy === 'creator' ? { ...whole, creatorId: key } : { ...whole, contentId: key };
  const totals = await countGrouped(db, scope, whole, range);
  const groups = new Map<string, Grouped['totals']>();
  for (const key of chosen) groups.set(key, (await countGrouped(db, scope, filter(key), range)).totals);
  // Clicks and views apply to a creator or a video as to the whole.
  return {
    keys: undefined,
    groups,
    totals: totals.totals,
    clicksApply: totals.clicksApply,
    viewsApply: totals.viewsApply,
  };
}
