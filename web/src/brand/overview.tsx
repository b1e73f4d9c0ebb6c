import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Commission, Conversion, Enrollment, Program } from '../types.js';
import { Card, PageTitle, QueryState } from '../ui/kit.js';
import { Attribution } from './sales.js';

/** The overview's data in one round of requests, made side by side. */
export function Overview() {
  const { t, money, dateTime } = useT();
  const [held, applied, sales, programs] = useQueries({
    queries: [
      {
        queryKey: ['held'],
        queryFn: () => api<Page<Commission>>('GET', '/commissions?held=true&status=pending&limit=100'),
      },
      {
        queryKey: ['enrollments', 'applied'],
        queryFn: () => api<Page<Enrollment>>('GET', '/enrollments?status=applied&limit=100'),
      },
      { queryKey: ['conversions', 'latest'], queryFn: () => api<Page<Conversion>>('GET', '/conversions?limit=8') },
      { queryKey: ['programs'], queryFn: () => api<Page<Program>>('GET', '/programs?limit=100') },
    ],
  });
  const heldCount = held.data?.data.length ?? 0;
  const appliedCount = applied.data?.data.length ?? 0;
  return (
    <>
      <PageTitle>{t('overview.title')}</PageTitle>
      <div className="grid">
        <Card title={t('overview.todo')}>
          <ul className="todo">
            <li className={heldCount ? 'due' : ''}>
              <Link to="/review">{t('overview.todo.held', { count: heldCount })}</Link>
            </li>
            <li className={appliedCount ? 'due' : ''}>
              <Link to="/creators">{t('overview.todo.applied', { count: appliedCount })}</Link>
            </li>
          </ul>
        </Card>
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
      <Card title={t('overview.recentSales')}>
        <QueryState query={sales} empty={(p) => p.data.length === 0}>
          {(page) => (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('sales.order')}</th>
                  <th scope="col">{t('sales.when')}</th>
                  <th scope="col">{t('sales.attribution')}</th>
                  <th scope="col" className="num">
                    {t('sales.amount')}
                  </th>
                  <th scope="col" className="num">
                    {t('sales.commission')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((c) => (
                  <tr key={c.id}>
                    <td>{c.orderId}</td>
                    <td>{dateTime(c.occurredAt)}</td>
                    <td>
                      <Attribution c={c} />
                    </td>
                    <td className="num">{money(c.amount, c.currency)}</td>
                    <td className="num">
                      {money(
                        c.commissions.reduce((s, m) => s + m.amount, 0),
                        c.commissions[0]?.currency ?? c.currency,
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </Card>
    </>
  );
}
