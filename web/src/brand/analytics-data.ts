import { useQueries } from '@tanstack/react-query';
import { api, query } from '../api.js';
import type { AnalyticsAnswer, Leaderboard } from '../types.js';
import { ymd } from '../ui/pages.js';

export const periods = [7, 30, 90] as const;
export type Period = (typeof periods)[number];

const daysBefore = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() - n);

/** The last `days` days up to today, and the as long period just before them (days, both ends included). */
export function rangeOf(days: Period, today = new Date()) {
  return {
    from: ymd(daysBefore(today, days - 1)),
    to: ymd(today),
    previousFrom: ymd(daysBefore(today, 2 * days - 1)),
    previousTo: ymd(daysBefore(today, days)),
  };
}

export const trendMetrics = ['clicks', 'sales', 'netGmv', 'commissions'] as const;
export type TrendMetric = (typeof trendMetrics)[number];

const analytics = (params: Record<string, string | number | undefined>) => () =>
  api<AnalyticsAnswer>('GET', `/analytics${query(params)}`);

/**
 * Everything the overview shows, in one round of requests made side by side: the period and the
 * previous one by day, the four leaderboards (which carry the previous period themselves) and the
 * country and device breakdowns.
 */
export function useOverviewData(programId: string, days: Period) {
  const r = rangeOf(days);
  const scope = { programId: programId || undefined };
  const trend = { ...scope, groupBy: 'day', metrics: trendMetrics.join(',') };
  const board = (name: Leaderboard['board'], by: Leaderboard['by']) => ({
    queryKey: ['leaderboard', name, by, programId, r.from, r.to],
    queryFn: () =>
      api<Leaderboard>(
        'GET',
        `/analytics/leaderboards${query({ ...scope, board: name, by, from: r.from, to: r.to, limit: 5 })}`,
      ),
  });
  const [current, previous, creators, videos, links, codes, countries, devices] = useQueries({
    queries: [
      {
        queryKey: ['analytics', 'trend', programId, r.from, r.to],
        queryFn: analytics({ ...trend, from: r.from, to: r.to }),
      },
      {
        queryKey: ['analytics', 'trend', programId, r.previousFrom, r.previousTo],
        queryFn: analytics({ ...trend, from: r.previousFrom, to: r.previousTo }),
      },
      board('creators', 'netGmv'),
      board('videos', 'gpm'),
      board('links', 'netGmv'),
      board('codes', 'netGmv'),
      {
        queryKey: ['analytics', 'country', programId, r.from, r.to],
        queryFn: analytics({ ...scope, groupBy: 'country', from: r.from, to: r.to, limit: 8, orderBy: 'clicks' }),
      },
      {
        queryKey: ['analytics', 'device', programId, r.from, r.to],
        queryFn: analytics({ ...scope, groupBy: 'device', from: r.from, to: r.to, limit: 8, orderBy: 'clicks' }),
      },
    ],
  });
  return { range: r, current, previous, boards: { creators, videos, links, codes }, countries, devices };
}

/** The relative change from the previous period, or null when there was nothing before. */
export function change(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now === null || now === undefined || before === null || before === undefined || before === 0) return null;
  return (now - before) / before;
}
