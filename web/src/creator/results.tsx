import { type UseQueryResult, useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../api.js';
import { type Period, periods, rangeOf } from '../brand/analytics-data.js';
import { useMetricFormat } from '../brand/analytics-ui.js';
import { useT } from '../i18n/index.js';
import type { AnalyticsAnswer } from '../types.js';
import { Card, PageTitle, QueryState } from '../ui/kit.js';
import { Table } from '../ui/pages.js';
import { useJoinedProgram } from './programs.js';

type Row = AnalyticsAnswer['data'][number];
const metrics = 'clicks,sales,netGmv,commissions,views,epc,gpm';

/** One group's rows: clicks, sales, GPM and EPC for each link, video or code (a dash where a number cannot be). */
function ResultsTable({
  title,
  answer,
  gpm,
}: {
  title: string;
  answer: UseQueryResult<AnalyticsAnswer>;
  gpm: boolean;
}) {
  const { t } = useT();
  const format = useMetricFormat(answer.data?.currency);
  const show = (metric: 'clicks' | 'sales' | 'netGmv' | 'commissions' | 'epc' | 'gpm', v: number | null | undefined) =>
    v === null || v === undefined ? '–' : format(metric, v);
  return (
    <Card title={title}>
      <QueryState query={answer}>
        {(a) =>
          a.data.length === 0 ? (
            <p className="state">{t('results.none')}</p>
          ) : (
            <div className="table-scroll">
              <Table
                className="results"
                rows={a.data}
                rowKey={(r) => r.key}
                columns={[
                  { head: t('analytics.name'), rowHeader: true, className: 'ellipsis', cell: (r) => r.label },
                  ...(['clicks', 'sales', 'commissions'] as const).map((m) => ({
                    head: t(`analytics.${m}`),
                    label: t(`analytics.${m}`),
                    num: true,
                    cell: (r: Row) => show(m, r[m]),
                  })),
                  ...(['epc', ...(gpm ? ['gpm' as const] : [])] as const).map((m) => ({
                    head: <abbr title={t(`analytics.${m}`)}>{m.toUpperCase()}</abbr>,
                    label: m.toUpperCase(),
                    num: true,
                    cell: (r: Row) => show(m, r[m]),
                  })),
                ]}
              />
            </div>
          )
        }
      </QueryState>
    </Card>
  );
}

/** A creator's own numbers per link, video and code, in one program and period (all four asked at once). */
export function Results() {
  const { t } = useT();
  const { enrollments, joined, programId, picker } = useJoinedProgram();
  const [days, setDays] = useState<Period>(30);
  const r = rangeOf(days);
  const ask = (groupBy?: string) => ({
    queryKey: ['analytics', 'mine', groupBy ?? 'totals', programId, r.from, r.to],
    queryFn: () =>
      api<AnalyticsAnswer>(
        'GET',
        `/analytics${query({ programId, groupBy, metrics, from: r.from, to: r.to, limit: 50 })}`,
      ),
    enabled: programId !== '',
  });
  const [totals, links, videos, codes] = useQueries({
    queries: [ask(), ask('link'), ask('content'), ask('code')],
  });
  const format = useMetricFormat(totals.data?.currency);
  return (
    <>
      <PageTitle>{t('results.title')}</PageTitle>
      <p className="muted">{t('results.intro')}</p>
      <div className="filters">
        {picker}
        <label className="filter">
          {t('analytics.period')}{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value) as Period)}>
            {periods.map((d) => (
              <option key={d} value={d}>
                {t('analytics.lastDays', { days: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryState query={enrollments} empty={() => joined.length === 0}>
        {() => (
          <>
            <Card title={t('results.totals')}>
              <QueryState query={totals}>
                {(a) => (
                  <dl className="balance">
                    {(['clicks', 'sales', 'commissions', 'epc'] as const).map((m) => (
                      <div key={m}>
                        <dt>{t(`analytics.${m}`)}</dt>
                        <dd className={`total-${m}`}>
                          {a.totals[m] === null || a.totals[m] === undefined ? '–' : format(m, a.totals[m])}
                        </dd>
                      </div>
                    ))}
                  </dl>
                )}
              </QueryState>
            </Card>
            <ResultsTable title={t('results.byLink')} answer={links} gpm={false} />
            <ResultsTable title={t('results.byVideo')} answer={videos} gpm />
            <ResultsTable title={t('results.byCode')} answer={codes} gpm={false} />
          </>
        )}
      </QueryState>
    </>
  );
}
