import '../pages.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page, query } from '../api.js';
import { InvoiceList, SelfBillingConsent } from '../brand/invoices.js';
import { MonthAndFiles } from '../brand/statements.js';
import { useT } from '../i18n/index.js';
import type { CreatorStatement, Payout } from '../types.js';
import { Card, PageTitle, QueryState } from '../ui/kit.js';
import { Badge, statusTone, thisMonth } from '../ui/pages.js';
import { PayoutProfileForm } from './payout-profile.js';
import { useJoinedProgram } from './programs.js';

function MyPayouts() {
  const { t, money, date } = useT();
  const payouts = useQuery({
    queryKey: ['payouts', 'mine'],
    queryFn: () => api<Page<Payout>>('GET', '/payouts?limit=50'),
  });
  return (
    <Card title={t('payouts.payouts')}>
      <QueryState query={payouts}>
        {(page) =>
          page.data.length === 0 ? (
            <p className="state">{t('my.payouts.none')}</p>
          ) : (
            <ul className="sales">
              {page.data.map((p) => (
                <li key={p.id} className="sale my-payout">
                  <div className="sale-head">
                    <span className="amount">{money(p.amount, p.currency)}</span>
                    <Badge tone={statusTone[p.status] ?? 'muted'}>{t(`payout.status.${p.status}`)}</Badge>
                  </div>
                  <p>{p.statusMessage}</p>
                  <p className="muted small">
                    {p.createdAt && date(p.createdAt)} · {t(`method.${p.method}`)} {p.destination}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Card>
  );
}

/** A month's statement of one program: every entry with its explanation, and the balances at the month's end. */
function MyStatement() {
  const { t, money, date } = useT();
  const { joined, programId, picker } = useJoinedProgram();
  const [month, setMonth] = useState(thisMonth);
  const statement = useQuery({
    queryKey: ['statement', 'creator', programId, month],
    queryFn: () => api<CreatorStatement>('GET', `/statements/creator${query({ programId, month })}`),
    enabled: programId !== '',
  });
  if (joined.length === 0) return null;
  return (
    <Card title={t('statements.title')}>
      {picker}
      <MonthAndFiles month={month} setMonth={setMonth} path="/statements/creator" params={{ programId }} />
      <QueryState query={statement}>
        {(s) => (
          <>
            <dl className="balance">
              <div>
                <dt>{t('statements.earned')}</dt>
                <dd>{money(s.totals.earned, s.currency)}</dd>
              </div>
              <div>
                <dt>{t('statements.reversed')}</dt>
                <dd>{money(s.totals.reversed, s.currency)}</dd>
              </div>
              <div>
                <dt>{t('statements.net')}</dt>
                <dd>{money(s.totals.net, s.currency)}</dd>
              </div>
            </dl>
            <ul className="plain">
              {s.entries.map((en) => (
                <li key={en.id}>
                  <strong>{money(en.amount, s.currency)}</strong>{' '}
                  <Badge tone={statusTone[en.status] ?? 'muted'}>{t(`status.${en.status}`)}</Badge>{' '}
                  <span className="muted small">{date(en.at)}</span>
                  <p className="explanation">{en.explanation}</p>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryState>
    </Card>
  );
}

export function CreatorPayouts() {
  const { t } = useT();
  return (
    <>
      <PageTitle>{t('my.payouts.title')}</PageTitle>
      <MyPayouts />
      <PayoutProfileForm />
      <SelfBillingConsent />
      <InvoiceList />
      <MyStatement />
    </>
  );
}
