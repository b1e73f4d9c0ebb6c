import type { Db } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { LinkStats } from './schemas.js';

/**
 * Statistics of one link, read from the rollups alone: a link with millions of clicks costs a
 * few thousand rollup rows, never a scan of its raw clicks.
 */
export async function linkStats(
  db: Db,
  linkId: string,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<LinkStats> {
  // Hours are summed into days by the database: 60 rows for two months instead of 1,440.
  const day = sql<string>`substr(${sql.ref('hour')}, 1, 10)`;
  let hourly = db
    .selectFrom('link_stats_hourly')
    .select((eb) => [
      day.as('day'),
      eb.fn.sum<number>('clicks').as('clicks'),
      eb.fn.sum<number>('unique_clicks').as('unique_clicks'),
      eb.fn.sum<number>('bot_clicks').as('bot_clicks'),
    ])
    .where('link_id', '=', linkId)
    .groupBy(day);
  if (range.from) hourly = hourly.where('hour', '>=', range.from);
  if (range.to) hourly = hourly.where('hour', '<', `${range.to}T24`);
  let daily = db
    .selectFrom('link_stats_daily')
    .select(['dimension', 'value'])
    .select((eb) => [
      eb.fn.sum<number>('clicks').as('clicks'),
      eb.fn.sum<number>('unique_clicks').as('unique_clicks'),
      eb.fn.sum<number>('bot_clicks').as('bot_clicks'),
    ])
    .where('link_id', '=', linkId)
    .groupBy(['dimension', 'value']);
  if (range.from) daily = daily.where('day', '>=', range.from);
  if (range.to) daily = daily.where('day', '<=', range.to);
  const [hours, dims] = await Promise.all([hourly.execute(), daily.execute()]);

  const totals = { clicks: 0, uniqueClicks: 0, botClicks: 0 };
  const days = new Map<string, { clicks: number; uniqueClicks: number; botClicks: number }>();
  for (const h of hours) {
    days.set(h.day, {
      clicks: Number(h.clicks),
      uniqueClicks: Number(h.unique_clicks),
      botClicks: Number(h.bot_clicks),
    });
    totals.clicks += Number(h.clicks);
    totals.uniqueClicks += Number(h.unique_clicks);
    totals.botClicks += Number(h.bot_clicks);
  }
  const byDim = (dimension: string) =>
    dims
      .filter((d) => d.dimension === dimension)
      .map((d) => ({
        value: d.value,
        clicks: Number(d.clicks),
        uniqueClicks: Number(d.unique_clicks),
        botClicks: Number(d.bot_clicks),
      }))
      .sort((a, b) => b.clicks - a.clicks || b.botClicks - a.botClicks || (a.value < b.value ? -1 : 1));
  return {
    linkId,
    from: range.from ?? null,
    to: range.to ?? null,
    ...totals,
    byDay: [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, c]) => ({ day, ...c })),
    byCountry: byDim('country').map(({ value, ...c }) => ({ country: value, ...c })),
    byDevice: byDim('device').map(({ value, ...c }) => ({ device: value, ...c })),
    byReferrer: byDim('referrer').map(({ value, ...c }) => ({ referrer: value, ...c })),
  };
}
