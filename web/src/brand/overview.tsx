import { type UseQueryResult, useQueries } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Conversion, Program, ToDo } from '../types.js';
import { Card, PageTitle, QueryState } from '../ui/kit.js';
import { ProgramSelect, Table } from '../ui/pages.js';
import { type Period, periods, trendMetrics, useOverviewData } from './analytics-data.js';
import { BoardCard, BreakdownCard, TrendCard } from './analytics-ui.js';
import { Attribution } from './sales.js';

/** The period and the program the overview shows, kept in the address so that a view can be shared. */
function useOverviewScope() {
  const [params, setParams] = useSearchParams();
  const days = Number(params.get('days'));
  const period: Period = (periods as readonly number[]).includes(days) ? (days as Period) : 30;
  const programId = params.get('program') ?? '';
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return {
    period,
    programId,
    setPeriod: (p: string) => set('days', p),
    setProgram: (id: string) => set('program', id),
  };
}

function Analytics({ programs }: { programs: Program[] }) {
  const { t } = useT();
  const scope = useOverviewScope();
  const data = useOverviewData(scope.programId, scope.period);
  const { current, previous } = data;
  const severalCurrencies =
    current.error instanceof ApiError && current.error.fields.some((f) => f.path === 'querystring.programId');
  return (
    <section aria-labelledby="performance">
      <div className="section-head">
        <h2 id="performance">{t('analytics.title')}</h2>
        <div className="filters">
          <ProgramSelect
            programs={programs}
            value={scope.programId}
            onChange={scope.setProgram}
            all={t('analytics.allPrograms')}
          />
          <label className="filter">
            {t('analytics.period')}{' '}
            <select value={scope.period} onChange={(e) => scope.setPeriod(e.target.value)}>
              {periods.map((d) => (
                <option key={d} value={d}>
                  {t('analytics.lastDays', { days: d })}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {severalCurrencies ? (
        <p className="state" role="alert">
          {t('analytics.severalCurrencies')}
        </p>
      ) : (
        <>
          <QueryState query={current}>
            {(now) => (
              <QueryState query={previous}>
                {(before) => (
                  <div className="grid grid-4">
                    {trendMetrics.map((m) => (
                      <TrendCard key={m} metric={m} current={now} previous={before} />
                    ))}
                  </div>
                )}
              </QueryState>
            )}
          </QueryState>
          <div className="grid grid-2">
            <BoardCard title={t('analytics.topCreators')} board={data.boards.creators} />
            <BoardCard
              title={t('analytics.topVideos')}
              help={t('analytics.topVideosHelp')}
              board={data.boards.videos}
            />
            <BoardCard title={t('analytics.topLinks')} board={data.boards.links} />
            <BoardCard title={t('analytics.topCodes')} board={data.boards.codes} />
            <BreakdownCard kind="country" answer={data.countries} />
            <BreakdownCard kind="device" answer={data.devices} />
          </div>
        </>
      )}
    </section>
  );
}

const platformNames = { shopify: 'Shopify', woocommerce: 'WooCommerce', stripe: 'Stripe' } as const;

/** What waits for the brand, counted exactly by the server across its programs. */
function ToDoCard({ query }: { query: UseQueryResult<ToDo> }) {
  const { t, dateTime } = useT();
  return (
    <Card title={t('overview.todo')}>
      <QueryState query={query}>
        {(todo) => {
          const items: [number, string, string][] = [
            [todo.heldCommissions, '/review', t('overview.todo.held', { count: todo.heldCommissions })],
            [todo.openCodeAlerts, '/creators', t('overview.todo.alerts', { count: todo.openCodeAlerts })],
            [todo.applications, '/creators', t('overview.todo.applied', { count: todo.applications })],
            [todo.payoutsToConfirm, '/payouts', t('overview.todo.payouts', { count: todo.payoutsToConfirm })],
          ];
          return (
            <ul className="todo">
              {items.map(([count, to, text]) => (
                <li key={text} className={count ? 'due' : ''}>
                  <Link to={to}>{text}</Link>
                </li>
              ))}
              {todo.failingWebhooks.length === 0 ? (
                <li>
                  <Link to="/integrations">{t('overview.todo.webhooksFine')}</Link>
                </li>
              ) : (
                todo.failingWebhooks.map((f) => (
                  <li key={`${f.programId}-${f.platform}`} className="due">
                    <Link to="/integrations">
                      {t('overview.todo.webhook', {
                        platform: platformNames[f.platform],
                        program: f.programName,
                        when: dateTime(f.lastDeliveryAt),
                      })}
                    </Link>
                    {f.reason && <span className="muted small"> {f.reason}</span>}
                  </li>
                ))
              )}
            </ul>
          );
        }}
      </QueryState>
    </Card>
  );
}

/** The overview's data in one round of requests, made side by side. */
export function Overview() {
  const { t, money, dateTime } = useT();
  const [todo, sales, programs] = useQueries({
    queries: [
      { queryKey: ['to-do'], queryFn: () => api<ToDo>('GET', '/workspace/to-do') },
      { queryKey: ['conversions', 'latest'], queryFn: () => api<Page<Conversion>>('GET', '/conversions?limit=8') },
      { queryKey: ['programs'], queryFn: () => api<Page<Program>>('GET', '/programs?limit=100') },
    ],
  });
  return (
    <>
      <PageTitle>{t('overview.title')}</PageTitle>
      <div className="grid">
        <ToDoCard query={todo} />
        <Card title={t('nav.programs')}>
          <QueryState query={programs}>
            {(page) =>
              page.data.length === 0 ? (
                <p>
                  <Link to="/programs/new">{t('overview.firstProgram')}</Link>
                </p>
              ) : (
                <>
                  <p className="big">{t('overview.programs', { count: page.data.length })}</p>
                  <ul className="plain">
                    {page.data.slice(0, 4).map((p) => (
                      <li key={p.id}>
                        <Link to={`/programs/${p.id}`}>{p.name}</Link>
                      </li>
                    ))}
                  </ul>
                </>
              )
            }
          </QueryState>
        </Card>
      </div>
      <Analytics programs={programs.data?.data ?? []} />
      <Card title={t('overview.recentSales')}>
        <QueryState query={sales} empty={(p) => p.data.length === 0}>
          {(page) => (
            <Table
              rows={page.data}
              rowKey={(c) => c.id}
              columns={[
                { head: t('sales.order'), cell: (c) => c.orderId },
                { head: t('sales.when'), cell: (c) => dateTime(c.occurredAt) },
                { head: t('sales.attribution'), cell: (c) => <Attribution c={c} /> },
                { head: t('sales.amount'), num: true, cell: (c) => money(c.amount, c.currency) },
                {
                  head: t('sales.commission'),
                  num: true,
                  cell: (c) =>
                    money(
                      c.commissions.reduce((s, m) => s + m.amount, 0),
                      c.commissions[0]?.currency ?? c.currency,
                    ),
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
    </>
  );
}
