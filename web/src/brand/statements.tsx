import '../pages.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import type { BrandStatement } from '../types.js';
import { Card, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { Table, thisMonth, useDownload } from '../ui/pages.js';

/** The month picker and the statement's downloads (CSV for the books, HTML to print), in the app's language. */
export function MonthAndFiles({
  month,
  setMonth,
  path,
  params,
}: {
  month: string;
  setMonth: (m: string) => void;
  path: string;
  params: Record<string, string>;
}) {
  const { t } = useT();
  const { locale } = useLocale();
  const files = useDownload();
  const get = (format: 'csv' | 'html') => files.get(`${path}${query({ ...params, month, format, lang: locale })}`);
  return (
    <>
      <div className="filters">
        <label className="filter">
          {t('statements.month')}{' '}
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
        <button type="button" className="btn btn-small" onClick={() => get('csv')}>
          {t('statements.csv')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => get('html')}>
          {t('statements.html')}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => window.print()}>
          {t('statements.print')}
        </button>
      </div>
      <FormError message={files.error} />
    </>
  );
}

/** The brand's monthly statement: sales and commissions per program, and the network's fees. */
export function Statements() {
  const { t, money, date } = useT();
  const [month, setMonth] = useState(thisMonth);
  const statement = useQuery({
    queryKey: ['statement', 'brand', month],
    queryFn: () => api<BrandStatement>('GET', `/statements/brand?month=${month}`),
  });
  return (
    <>
      <PageTitle>{t('statements.title')}</PageTitle>
      <MonthAndFiles month={month} setMonth={setMonth} path="/statements/brand" params={{}} />
      <QueryState query={statement}>
        {(s) => (
          <>
            <Card title={t('statements.programs')}>
              {s.programs.length === 0 ? (
                <p className="state">{t('app.empty')}</p>
              ) : (
                <Table
                  className="statement"
                  rows={s.programs}
                  rowKey={(p) => p.programId}
                  columns={[
                    { head: t('analytics.program'), cell: (p) => p.programName },
                    {
                      head: t('statements.sales'),
                      num: true,
                      cell: (p) => `${p.sales} · ${money(p.salesAmount, p.currency)}`,
                    },
                    {
                      head: t('statements.attributed'),
                      num: true,
                      cell: (p) => `${p.attributedSales} · ${money(p.attributedAmount, p.currency)}`,
                    },
                    { head: t('statements.earned'), num: true, cell: (p) => money(p.commissionsEarned, p.currency) },
                    {
                      head: t('statements.reversed'),
                      num: true,
                      cell: (p) => money(p.commissionsReversed, p.currency),
                    },
                  ]}
                />
              )}
            </Card>
            <Card title={t('statements.fees')}>
              {s.networkFees.length === 0 ? (
                <p className="state">{t('statements.noFees')}</p>
              ) : (
                <ul className="plain">
                  {s.networkFees.map((f) => (
                    <li key={f.id}>
                      {date(f.at)} · <strong>{money(f.amount, f.currency)}</strong> · {f.explanation}
                    </li>
                  ))}
                </ul>
              )}
              {s.networkFeeTotals.map((f) => (
                <p key={f.currency} className="big">
                  {t('statements.feeTotal', { amount: money(f.amount, f.currency) })}
                </p>
              ))}
            </Card>
          </>
        )}
      </QueryState>
    </>
  );
}
