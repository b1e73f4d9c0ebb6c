import type { UseQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/index.js';
import type { AnalyticsAnswer, Leaderboard } from '../types.js';
import { Breakdown, TrendChart } from '../ui/chart.js';
import { Card, QueryState } from '../ui/kit.js';
import { Table } from '../ui/pages.js';
import { change, type TrendMetric } from './analytics-data.js';

type Metric = TrendMetric | 'gpm' | 'epc';

/** Numbers as people read them: counts as counts, amounts (minor units) in the currency. */
export function useMetricFormat(currency: string | null | undefined) {
  const { money, number } = useT();
  return (metric: Metric | 'uniqueClicks' | 'gmv', n: number) =>
    metric === 'clicks' || metric === 'sales' || metric === 'uniqueClicks'
      ? number(n)
      : currency
        ? money(Math.round(n), currency)
        : number(n / 100);
}

/** A day's bucket (YYYY-MM-DD) as "7 Dec" / "7.12.", read as the calendar day it names. */
export function useBucketLabel() {
  const intl = useIntl();
  return (key: string) =>
    intl.formatDate(`${key.slice(0, 10)}T00:00:00Z`, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

export function Change({ value }: { value: number | null }) {
  const { t } = useT();
  const intl = useIntl();
  if (value === null) return <span className="change muted">{t('analytics.noPrevious')}</span>;
  const tone = value > 0 ? 'up' : value < 0 ? 'down' : 'flat';
  return (
    <span className={`change change-${tone}`}>
      {intl.formatNumber(value, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' })}
    </span>
  );
}

const metricKey: Record<TrendMetric, MessageKey> = {
  clicks: 'analytics.clicks',
  sales: 'analytics.sales',
  netGmv: 'analytics.netGmv',
  commissions: 'analytics.commissions',
};

/** One metric over the period: its total, the change on the previous period, and both drawn by day. */
export function TrendCard({
  metric,
  current,
  previous,
}: {
  metric: TrendMetric;
  current: AnalyticsAnswer;
  previous: AnalyticsAnswer;
}) {
  const { t } = useT();
  const format = useMetricFormat(current.currency);
  const bucketLabel = useBucketLabel();
  const title = t(metricKey[metric]);
  const buckets = useMemo(() => current.data.map((r) => r.key), [current]);
  const now = useMemo(
    () => ({ label: t('analytics.thisPeriod'), values: current.data.map((r) => r[metric] ?? null) }),
    [current, metric, t],
  );
  const before = useMemo(
    () => ({ label: t('analytics.previousPeriod'), values: previous.data.map((r) => r[metric] ?? null) }),
    [previous, metric, t],
  );
  const total = current.totals[metric];
  const prior = previous.totals[metric];
  return (
    <Card title={title}>
      <p className="kpi">
        <span className="big">{total === null || total === undefined ? '–' : format(metric, total)}</span>{' '}
        <Change value={change(total, prior)} />
      </p>
      <p className="muted small">
        {t('analytics.previousTotal', { value: prior === null || prior === undefined ? '–' : format(metric, prior) })}
      </p>
      <TrendChart
        buckets={buckets}
        current={now}
        previous={before}
        format={(n) => format(metric, n)}
        label={t('analytics.chartLabel', { metric: title })}
        bucketLabel={bucketLabel}
      />
    </Card>
  );
}

/** A leaderboard: rank, name, the ranked number and its change on the previous period. */
export function BoardCard({
  title,
  help,
  board,
}: {
  title: string;
  help?: string;
  board: UseQueryResult<Leaderboard>;
}) {
  const { t } = useT();
  const format = useMetricFormat(board.data?.currency);
  return (
    <Card title={title}>
      {help && <p className="muted small">{help}</p>}
      <QueryState query={board}>
        {(b) =>
          b.data.length === 0 ? (
            <p className="state">{t('analytics.boardEmpty')}</p>
          ) : (
            <Table
              className="board"
              rows={b.data}
              rowKey={(row) => row.key}
              columns={[
                { head: '#', cell: (row) => row.rank },
                { head: t('analytics.name'), className: 'ellipsis', cell: (row) => row.label },
                { head: t(`analytics.${b.by}`), num: true, cell: (row) => format(b.by, row.value) },
                {
                  head: t('analytics.change'),
                  num: true,
                  cell: (row) => <Change value={change(row.value, row.previous)} />,
                },
              ]}
            />
          )
        }
      </QueryState>
    </Card>
  );
}

/** Clicks by country or by device, in the locale's names for them. */
export function BreakdownCard({
  kind,
  answer,
}: {
  kind: 'country' | 'device';
  answer: UseQueryResult<AnalyticsAnswer>;
}) {
  const { t, number } = useT();
  const intl = useIntl();
  const title = t(kind === 'country' ? 'analytics.countries' : 'analytics.devices');
  const regions = useMemo(() => new Intl.DisplayNames([intl.locale], { type: 'region' }), [intl.locale]);
  const name = (key: string, label: string) => {
    if (key === '' || key === 'unknown' || key === 'null') return t('analytics.unknown');
    if (kind === 'country') return /^[A-Z]{2}$/.test(key) ? (regions.of(key) ?? key) : label;
    const known = ['mobile', 'tablet', 'desktop', 'tv', 'console', 'wearable', 'other'];
    return known.includes(key) ? t(`device.${key}` as MessageKey) : label;
  };
  return (
    <Card title={title}>
      <QueryState query={answer}>
        {(a) => {
          const rows = a.data
            .map((r) => ({ key: r.key, label: name(r.key, r.label), value: r.clicks ?? 0 }))
            .filter((r) => r.value > 0);
          return rows.length === 0 ? (
            <p className="state">{t('analytics.noClicks')}</p>
          ) : (
            <Breakdown rows={rows} format={number} caption={t('analytics.clicksBy', { what: title })} />
          );
        }}
      </QueryState>
    </Card>
  );
}
