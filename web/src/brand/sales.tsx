import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Commission, Conversion } from '../types.js';
import { Card, PageTitle, QueryState } from '../ui/kit.js';
import { Badge, statusTone } from '../ui/pages.js';

export function Attribution({ c }: { c: Pick<Conversion, 'attribution' | 'code'> }) {
  const { t } = useT();
  if (c.attribution === 'code') return <>{t('sales.attribution.code', { code: c.code ?? '' })}</>;
  if (c.attribution) return <>{t(`sales.attribution.${c.attribution}`)}</>;
  return <span className="muted">{t('sales.attribution.none')}</span>;
}

export function CommissionStatus({ c }: { c: Commission }) {
  const { t } = useT();
  const key = c.hold && c.status === 'pending' ? 'held' : c.status;
  return <Badge tone={statusTone[key] ?? 'muted'}>{t(`status.${key}`)}</Badge>;
}

/** Approves a pending commission now, before its holding period ends. */
function ApproveNow({ c }: { c: Commission }) {
  const { t } = useT();
  const client = useQueryClient();
  const approve = useMutation({
    mutationFn: () => api<Commission>('POST', `/commissions/${c.id}/approve`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['conversions'] }),
  });
  if (c.status !== 'pending' || c.hold) return null;
  return (
    <>
      <button
        className="btn btn-small"
        type="button"
        title={t('sales.approveHelp')}
        onClick={() => approve.mutate()}
        disabled={approve.isPending}
      >
        {t('sales.approve')}
      </button>
      {approve.error && (
        <span className="error small" role="alert">
          {' '}
          {approve.error.message}
        </span>
      )}
    </>
  );
}

export function Sales() {
  const { t, money, dateTime } = useT();
  const [attribution, setAttribution] = useState('');
  const conversions = useInfiniteQuery({
    queryKey: ['conversions', attribution],
    initialPageParam: '' as string,
    queryFn: ({ pageParam }) =>
      api<Page<Conversion>>('GET', `/conversions${query({ limit: 25, attribution, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <>
      <PageTitle>{t('sales.title')}</PageTitle>
      <Card
        actions={
          <label className="filter">
            {t('sales.filterAttribution')}{' '}
            <select value={attribution} onChange={(e) => setAttribution(e.target.value)}>
              <option value="">{t('creators.all')}</option>
              {(['code', 'click', 'customer', 'none'] as const).map((a) => (
                <option key={a} value={a}>
                  {t(`sales.attribution.${a}`, { code: '' })}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <QueryState query={conversions} empty={(d) => d.pages[0]?.data.length === 0}>
          {(data) => (
            <>
              <ul className="sales">
                {data.pages
                  .flatMap((p) => p.data)
                  .map((c) => (
                    <li key={c.id} className="sale">
                      <div className="sale-head">
                        <strong>
                          {t('sales.order')} {c.orderId}
                        </strong>
                        <span className="amount">{money(c.amount, c.currency)}</span>
                      </div>
                      <div className="muted small">
                        {dateTime(c.occurredAt)} · <Attribution c={c} />
                      </div>
                      {c.commissions.map((m) => (
                        <div key={m.id} className="commission">
                          <span className="amount">{money(m.amount, m.currency)}</span> <CommissionStatus c={m} />{' '}
                          <ApproveNow c={m} />
                          <p className="explanation">{m.explanation}</p>
                        </div>
                      ))}
                    </li>
                  ))}
              </ul>
              {conversions.hasNextPage && (
                <button className="btn" type="button" onClick={() => void conversions.fetchNextPage()}>
                  {t('app.more')}
                </button>
              )}
            </>
          )}
        </QueryState>
      </Card>
    </>
  );
}

function HeldRow({ c }: { c: Commission }) {
  const { t, money, dateTime } = useT();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const act = useMutation({
    mutationFn: (path: 'release' | 'reject') =>
      api('POST', `/commissions/${c.id}/${path}`, path === 'reject' ? { reason } : {}),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['held'] }),
        client.invalidateQueries({ queryKey: ['to-do'] }),
      ]),
  });
  return (
    <li className="sale">
      <div className="sale-head">
        <strong>
          {t('sales.order')} {c.orderId}
        </strong>
        <span className="amount">{money(c.amount, c.currency)}</span>
      </div>
      <p className="muted small">
        {dateTime(c.createdAt)} · {c.hold?.reason}
        {c.hold?.detail ? ` — ${c.hold.detail}` : ''}
      </p>
      <p className="explanation">{c.explanation}</p>
      {rejecting ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate('reject');
          }}
        >
          <label>
            {t('review.reason')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <button className="btn btn-danger" type="submit">
            {t('review.reject')}
          </button>
          <button className="btn btn-ghost" type="button" onClick={() => setRejecting(false)}>
            {t('app.cancel')}
          </button>
        </form>
      ) : (
        <div className="row-actions">
          <button className="btn btn-small" type="button" onClick={() => act.mutate('release')}>
            {t('review.release')}
          </button>
          <button className="btn btn-small btn-ghost" type="button" onClick={() => setRejecting(true)}>
            {t('review.reject')}
          </button>
        </div>
      )}
      {act.isError && (
        <p className="error" role="alert">
          {act.error.message}
        </p>
      )}
    </li>
  );
}

export function Review() {
  const { t } = useT();
  const held = useQuery({
    queryKey: ['held'],
    queryFn: () => api<Page<Commission>>('GET', '/commissions?held=true&status=pending&limit=100'),
  });
  return (
    <>
      <PageTitle>{t('review.title')}</PageTitle>
      <Card>
        <p>{t('review.intro')}</p>
        <QueryState query={held}>
          {(page) =>
            page.data.length === 0 ? (
              <p className="state">{t('review.empty')}</p>
            ) : (
              <ul className="sales">
                {page.data.map((c) => (
                  <HeldRow key={c.id} c={c} />
                ))}
              </ul>
            )
          }
        </QueryState>
      </Card>
    </>
  );
}
