import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Payout, RunDetail, SendRunResult } from '../types.js';
import { Card, Field, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { Badge, statusTone, Table, useDownload } from '../ui/pages.js';
import { FailPayout } from './payout-fail.js';
import { HeldList, useCreatorNames } from './payouts.js';

const fileOf = { sepa: 'sepa-xml', paypal: 'paypal-csv', wise: 'wise-csv' } as const;

/** The run's payout files, one per method that has payouts still to send. */
function Files({ run, payouts }: { run: RunDetail; payouts: Payout[] }) {
  const { t } = useT();
  const files = useDownload();
  const methods = [...new Set(payouts.filter((p) => p.status === 'pending').map((p) => p.method))].filter(
    (m): m is keyof typeof fileOf => m in fileOf,
  );
  if (methods.length === 0) return null;
  return (
    <Card title={t('payouts.files')}>
      <p className="muted">{t('payouts.filesHelp')}</p>
      <div className="actions">
        {methods.map((m) => (
          <button
            key={m}
            type="button"
            className="btn"
            onClick={() => files.get(`/payout-runs/${run.id}/export?format=${fileOf[m]}`)}
          >
            {t(`payouts.file.${fileOf[m]}`)}
          </button>
        ))}
        {files.saved && (
          <span className="ok" role="status">
            {t('payouts.downloaded', { name: files.saved })}
          </span>
        )}
      </div>
      <FormError message={files.error} />
    </Card>
  );
}

/** Marks the run's payouts sent (file methods: handed to the bank) or paid, with the bank's reference. */
function RunActions({ run, payouts }: { run: RunDetail; payouts: Payout[] }) {
  const { t } = useT();
  const client = useQueryClient();
  const [reference, setReference] = useState('');
  const [done, setDone] = useState<string>();
  const refresh = () => client.invalidateQueries({ queryKey: ['payout-runs'] });
  const send = useMutation({
    mutationFn: () => api<SendRunResult>('POST', `/payout-runs/${run.id}/send`, {}),
    onSuccess: async (r) => {
      setDone(t('payouts.sent', { processing: r.processing, paid: r.paid, failed: r.failed }));
      await refresh();
    },
  });
  const paid = useMutation({
    mutationFn: () => api<SendRunResult>('POST', `/payout-runs/${run.id}/mark-paid`, reference ? { reference } : {}),
    onSuccess: async (r) => {
      setDone(t('payouts.markedPaid', { count: r.paid }));
      await refresh();
    },
  });
  const open = payouts.some((p) => p.status === 'pending' || p.status === 'processing');
  if (!open) return null;
  return (
    <Card title={t('payouts.actions')}>
      <div className="actions">
        {payouts.some((p) => p.status === 'pending') && (
          <button type="button" className="btn" onClick={() => send.mutate()} disabled={send.isPending}>
            {t('payouts.send')}
          </button>
        )}
      </div>
      <p className="help">{t('payouts.sendHelp')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          paid.mutate();
        }}
      >
        <Field label={t('payouts.reference')} help={t('payouts.referenceHelp')}>
          {(p) => <input {...p} value={reference} onChange={(e) => setReference(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={paid.isPending}>
          {t('payouts.markPaid')}
        </button>
      </form>
      <FormError message={send.error?.message ?? paid.error?.message} />
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
    </Card>
  );
}

export function PayoutRun() {
  const { id = '' } = useParams();
  const { t, money, dateTime } = useT();
  const run = useQuery({
    queryKey: ['payout-runs', 'run', id],
    queryFn: () => api<RunDetail>('GET', `/payout-runs/${id}`),
  });
  const payouts = useQuery({
    queryKey: ['payout-runs', 'payouts', id],
    queryFn: () => api<Page<Payout>>('GET', `/payouts${query({ runId: id, limit: 100 })}`),
  });
  const name = useCreatorNames(run.data?.programId ?? '');
  const failed = payouts.data?.data.filter((p) => p.status === 'failed') ?? [];
  return (
    <QueryState query={run}>
      {(r) => (
        <>
          <PageTitle
            actions={
              <Link className="btn btn-ghost" to={`/payouts?program=${r.programId}`}>
                {t('payouts.title')}
              </Link>
            }
          >
            {t('payouts.run', { date: r.createdAt ? dateTime(r.createdAt) : id })}
          </PageTitle>
          <p className="big">
            {t('payouts.previewTotal', { count: r.payoutCount, total: money(r.totalAmount, r.currency) })}
          </p>
          <QueryState query={payouts}>
            {(page) => (
              <>
                <Files run={r} payouts={page.data} />
                <RunActions run={r} payouts={page.data} />
                <Card title={t('payouts.payouts')}>
                  <Table
                    rows={page.data}
                    rowKey={(p) => p.id}
                    rowClassName={(p) => `payout payout-${p.status}`}
                    columns={[
                      { head: t('creators.name'), cell: (p) => name(p.creatorId) },
                      {
                        head: t('payouts.method'),
                        cell: (p) => (
                          <>
                            {t(`method.${p.method}`)} <span className="muted small">{p.destination}</span>
                          </>
                        ),
                      },
                      {
                        head: t('creators.filter'),
                        cell: (p) => (
                          <>
                            <Badge tone={statusTone[p.status] ?? 'muted'}>{t(`payout.status.${p.status}`)}</Badge>
                            {p.failure && <p className="error small">{p.failure.reason}</p>}
                            {p.reference && <p className="muted small">{p.reference}</p>}
                          </>
                        ),
                      },
                      { head: t('payouts.amount'), num: true, cell: (p) => money(p.amount, p.currency) },
                      {
                        head: <span className="sr-only">{t('payouts.fail')}</span>,
                        cell: (p) => <FailPayout payout={p} />,
                      },
                    ]}
                  />
                </Card>
              </>
            )}
          </QueryState>
          {failed.length > 0 && (
            <Card title={t('payouts.failures')}>
              <p>{t('payouts.failuresHelp', { count: failed.length })}</p>
              <Link
                className="btn btn-primary"
                to={`/payouts?program=${r.programId}&retry=${failed.map((p) => p.creatorId).join(',')}`}
              >
                {t('payouts.retry')}
              </Link>
            </Card>
          )}
          <Card>
            <HeldList title={t('payouts.blocked')} held={r.blocked} />
            <HeldList title={t('payouts.carriedForward')} held={r.carriedForward} />
            {r.blocked.length === 0 && r.carriedForward.length === 0 && (
              <p className="muted">{t('payouts.nobodyLeft')}</p>
            )}
          </Card>
        </>
      )}
    </QueryState>
  );
}
