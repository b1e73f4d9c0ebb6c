import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Enrollment, PayoutSettings, RunDetail, RunResult } from '../types.js';
import { Card, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { Badge, ProgramSelect, statusTone, Table } from '../ui/pages.js';
import { useProgramParam } from './programs.js';

/** Creator names by id, from the program's memberships: payouts name creators by id only. */
export function useCreatorNames(programId: string) {
  const enrollments = useQuery({
    queryKey: ['enrollments', 'program', programId],
    queryFn: () => api<Page<Enrollment>>('GET', `/enrollments${query({ programId, limit: 100 })}`),
    enabled: programId !== '',
  });
  const names = new Map(enrollments.data?.data.map((e) => [e.creatorId, e.creatorName]) ?? []);
  return (id: string) => names.get(id) ?? id;
}

/** Creators left out of a run, each with the sentence that says why. */
export function HeldList({ title, held }: { title: string; held: RunResult['blocked'] }) {
  const { money } = useT();
  if (held.length === 0) return null;
  return (
    <div className="held">
      <h3>{title}</h3>
      <ul className="plain">
        {held.map((h) => (
          <li key={h.creatorId}>
            <strong>{money(h.amount, h.currency)}</strong> · {h.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A preview of a run (nothing written), then the same run for real on confirmation. */
function RunPayouts({ programId, include }: { programId: string; include: string[] }) {
  const { t, money } = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  const name = useCreatorNames(programId);
  const [error, setError] = useState<string>();
  const body = (dryRun: boolean) => ({ dryRun, ...(include.length ? { creatorIds: { include } } : {}) });
  const preview = useMutation({
    mutationFn: () => api<RunResult>('POST', `/programs/${programId}/payouts`, body(true)),
    onMutate: () => setError(undefined),
    onError: (e) => setError(e.message),
  });
  const confirm = useMutation({
    mutationFn: () => api<RunResult>('POST', `/programs/${programId}/payouts`, body(false)),
    onSuccess: async (r) => {
      await client.invalidateQueries({ queryKey: ['payout-runs'] });
      navigate(`/payouts/runs/${r.run.id}`);
    },
    onError: (e) => setError(e.message),
  });
  const result = preview.data;
  return (
    <Card title={include.length ? t('payouts.retryTitle') : t('payouts.runTitle')}>
      <p className="muted">{t('payouts.runHelp')}</p>
      <div className="actions">
        <button type="button" className="btn" onClick={() => preview.mutate()} disabled={preview.isPending}>
          {t('payouts.preview')}
        </button>
      </div>
      <FormError message={error} />
      {result && (
        <div className="preview" aria-live="polite">
          <p className="big">
            {t('payouts.previewTotal', {
              count: result.run.payoutCount,
              total: money(result.run.totalAmount, result.run.currency),
            })}
          </p>
          {result.data.length > 0 && (
            <Table
              rows={result.data}
              rowKey={(p) => p.creatorId}
              columns={[
                { head: t('creators.name'), cell: (p) => name(p.creatorId) },
                { head: t('payouts.method'), cell: (p) => t(`method.${p.method}`) },
                { head: t('payouts.destination'), cell: (p) => p.destination ?? '–' },
                { head: t('payouts.amount'), num: true, cell: (p) => money(p.amount, p.currency) },
              ]}
            />
          )}
          <HeldList title={t('payouts.blocked')} held={result.blocked} />
          <HeldList title={t('payouts.carriedForward')} held={result.carriedForward} />
          {result.data.length > 0 && (
            <div className="actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => confirm.mutate()}
                disabled={confirm.isPending}
              >
                {t('payouts.confirm', { count: result.run.payoutCount })}
              </button>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

function Runs({ programId }: { programId: string }) {
  const { t, money, dateTime } = useT();
  const runs = useQuery({
    queryKey: ['payout-runs', programId],
    queryFn: () => api<Page<RunDetail>>('GET', `/programs/${programId}/payout-runs?limit=50`),
  });
  return (
    <Card title={t('payouts.runs')}>
      <QueryState query={runs} empty={(p) => p.data.length === 0}>
        {(page) => (
          <Table
            rows={page.data}
            rowKey={(r) => r.id}
            columns={[
              {
                head: t('sales.when'),
                cell: (r) => <Link to={`/payouts/runs/${r.id}`}>{r.createdAt ? dateTime(r.createdAt) : r.id}</Link>,
              },
              { head: t('payouts.count'), cell: (r) => r.payoutCount },
              {
                head: t('payouts.statuses'),
                cell: (r) =>
                  Object.entries(r.statuses).map(([s, v]) => (
                    <Badge key={s} tone={statusTone[s] ?? 'muted'}>
                      {t(`payout.status.${s as 'pending'}`)} {v.count}
                    </Badge>
                  )),
              },
              { head: t('payouts.amount'), num: true, cell: (r) => money(r.totalAmount, r.currency) },
            ]}
          />
        )}
      </QueryState>
    </Card>
  );
}

function Settings({ programId }: { programId: string }) {
  const { t, money, dateTime } = useT();
  const settings = useQuery({
    queryKey: ['payout-settings', programId],
    queryFn: () => api<PayoutSettings>('GET', `/programs/${programId}/payout-settings`),
  });
  return (
    <QueryState query={settings}>
      {(s) => (
        <p className="terms">
          {t('payouts.settings', {
            schedule: t(`payouts.schedule.${s.schedule}`),
            min: money(s.minPayoutAmount, s.currency),
            methods: s.allowedMethods.map((m) => t(`method.${m}`)).join(', '),
          })}
          {s.nextRunAt && ` ${t('payouts.nextRun', { date: dateTime(s.nextRunAt) })}`}
        </p>
      )}
    </QueryState>
  );
}

export function Payouts() {
  const { t } = useT();
  const { programs, list, programId, setProgramId, params } = useProgramParam();
  const include = (params.get('retry') ?? '').split(',').filter(Boolean);
  return (
    <>
      <PageTitle
        actions={
          <Link className="btn btn-ghost" to="/statements">
            {t('nav.statements')}
          </Link>
        }
      >
        {t('payouts.title')}
      </PageTitle>
      <QueryState query={programs} empty={(p) => p.data.length === 0}>
        {() => (
          <>
            {list.length > 1 && (
              <div className="filters">
                <ProgramSelect programs={list} value={programId} onChange={setProgramId} />
              </div>
            )}
            <Settings programId={programId} />
            <RunPayouts key={`${programId}:${include.join()}`} programId={programId} include={include} />
            <Runs programId={programId} />
          </>
        )}
      </QueryState>
    </>
  );
}
