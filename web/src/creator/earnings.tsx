import { useQueries, useQuery } from '@tanstack/react-query';
import { useOutletContext } from 'react-router';
import { api, type Page } from '../api.js';
import { CommissionStatus } from '../brand/sales.js';
import { useT } from '../i18n/index.js';
import type { Balance, Commission, Me } from '../types.js';
import { Card, PageTitle, QueryState } from '../ui/kit.js';
import { useJoinedPrograms } from './programs.js';

export function Earnings() {
  const { t, money, date } = useT();
  const me = useOutletContext<Me>();
  const { joined: programs } = useJoinedPrograms();
  const balances = useQueries({
    queries: programs.map((en) => ({
      queryKey: ['balance', en.programId],
      queryFn: () => api<Balance>('GET', `/creators/${me.creator?.id}/balance?programId=${en.programId}`),
    })),
  });
  const commissions = useQuery({
    queryKey: ['commissions', 'mine'],
    queryFn: () => api<Page<Commission>>('GET', '/commissions?limit=100'),
  });
  return (
    <>
      <PageTitle>{t('my.earnings.title')}</PageTitle>
      {programs.map((en, i) => {
        const b = balances[i]?.data;
        return (
          <Card key={en.programId} title={en.programName}>
            {b ? (
              <dl className="balance">
                <div>
                  <dt>{t('my.earnings.pending')}</dt>
                  <dd>{money(b.pending, b.currency)}</dd>
                  <dd className="help">{t('my.earnings.pendingHelp')}</dd>
                </div>
                <div>
                  <dt>{t('my.earnings.approved')}</dt>
                  <dd>{money(b.approved, b.currency)}</dd>
                  <dd className="help">{t('my.earnings.approvedHelp')}</dd>
                </div>
                <div>
                  <dt>{t('my.earnings.paid')}</dt>
                  <dd>{money(b.paid, b.currency)}</dd>
                </div>
              </dl>
            ) : (
              <p className="state">{t('app.loading')}</p>
            )}
          </Card>
        );
      })}
      <Card title={t('sales.commission')}>
        <QueryState query={commissions}>
          {(page) =>
            page.data.length === 0 ? (
              <p>{t('my.earnings.none')}</p>
            ) : (
              <ul className="sales">
                {page.data.map((c) => (
                  <li key={c.id} className="sale commission-item">
                    <div className="sale-head">
                      <span className="amount">{money(c.amount, c.currency)}</span>
                      <CommissionStatus c={c} />
                    </div>
                    <p className="explanation">{c.explanation}</p>
                    <p className="muted small">
                      {date(c.createdAt)}
                      {c.status === 'pending' && ` · ${t('my.earnings.approveAfter', { date: date(c.approveAfter) })}`}
                    </p>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </Card>
    </>
  );
}
