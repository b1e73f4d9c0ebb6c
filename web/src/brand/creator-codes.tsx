import '../pages.css';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Code, CodeAlert, CodeHealth, Enrollment, Program } from '../types.js';
import { Card, CopyButton, FormError, QueryState } from '../ui/kit.js';
import { Badge, fieldErrors, Input, Table } from '../ui/pages.js';
import { NewCode, ResolveAlert } from './code-forms.js';

/**
 * The creators' coupon codes: which have an open leak alert, each code's health against its own
 * baseline with the history of its alerts, and rotation (a new code for the same creator; the old
 * one stops attributing).
 */
export function CreatorCodes({ programs, enrollments }: { programs: Program[]; enrollments: Enrollment[] }) {
  const { t } = useT();
  const codes = useQuery({
    queryKey: ['codes'],
    queryFn: () => api<Page<Code>>('GET', `/codes${query({ limit: 200 })}`),
  });
  // Open alerts, one request per program, side by side: a code with one is marked.
  const alerts = useQueries({
    queries: programs.map((p) => ({
      queryKey: ['code-alerts', p.id, 'open'],
      queryFn: () => api<Page<CodeAlert>>('GET', `/programs/${p.id}/code-alerts?status=open&limit=200`),
    })),
  });
  const alerted = new Set(alerts.flatMap((a) => a.data?.data.map((x) => x.codeId) ?? []));
  const creatorName = (id: string) => enrollments.find((e) => e.creatorId === id)?.creatorName ?? id;
  const programName = (id: string) => programs.find((p) => p.id === id)?.name ?? id;
  const [open, setOpen] = useState<{ id: string; what: 'health' | 'rotate' }>();
  return (
    <Card title={t('codes.title')}>
      <p className="help">{t('codes.help')}</p>
      <QueryState query={codes} empty={(p) => p.data.length === 0}>
        {(page) => (
          <Table
            className="codes"
            rows={page.data}
            rowKey={(c) => c.id}
            rowClassName={(c) => `code-row${alerted.has(c.id) ? ' has-alert' : ''}`}
            columns={[
              {
                head: t('codes.code'),
                rowHeader: true,
                cell: (c) => (
                  <>
                    <code>{c.code}</code> <CopyButton text={c.code} label={c.code} />
                  </>
                ),
              },
              { head: t('creators.name'), cell: (c) => creatorName(c.creatorId), label: t('creators.name') },
              { head: t('creators.program'), cell: (c) => programName(c.programId), label: t('creators.program') },
              {
                head: t('creators.filter'),
                label: t('creators.filter'),
                cell: (c) => <CodeStatus code={c} alert={alerted.has(c.id)} />,
              },
              {
                head: <span className="sr-only">{t('codes.actions')}</span>,
                cell: (c) => (
                  <div className="actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-expanded={open?.id === c.id && open.what === 'health'}
                      aria-label={t('codes.healthOf', { code: c.code })}
                      onClick={() =>
                        setOpen(open?.id === c.id && open.what === 'health' ? undefined : { id: c.id, what: 'health' })
                      }
                    >
                      {t('codes.health')}
                    </button>
                    {c.replacedBy === null && c.status === 'active' && (
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        onClick={() => setOpen({ id: c.id, what: 'rotate' })}
                        aria-label={t('codes.rotateOf', { code: c.code })}
                      >
                        {t('codes.rotate')}
                      </button>
                    )}
                  </div>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      {open && codes.data && (
        <CodePanel
          code={codes.data.data.find((c) => c.id === open.id)}
          what={open.what}
          close={() => setOpen(undefined)}
        />
      )}
      <NewCode programs={programs} />
    </Card>
  );
}

function CodeStatus({ code, alert }: { code: Code; alert: boolean }) {
  const { t, dateTime } = useT();
  if (code.replacedBy) {
    return (
      <>
        <Badge tone="muted">{t('codes.status.replaced')}</Badge>
        {code.activeUntil && (
          <span className="muted small"> {t('codes.until', { when: dateTime(code.activeUntil) })}</span>
        )}
      </>
    );
  }
  if (code.status === 'disabled') return <Badge tone="muted">{t('codes.status.disabled')}</Badge>;
  return alert ? (
    <Badge tone="bad">{t('codes.status.alert')}</Badge>
  ) : (
    <Badge tone="ok">{t('codes.status.active')}</Badge>
  );
}

function CodePanel({ code, what, close }: { code: Code | undefined; what: 'health' | 'rotate'; close: () => void }) {
  const { t } = useT();
  if (!code) return null;
  return (
    <section
      className="code-panel"
      aria-label={t(what === 'health' ? 'codes.healthOf' : 'codes.rotateOf', { code: code.code })}
    >
      <div className="card-head">
        <h3>{t(what === 'health' ? 'codes.healthOf' : 'codes.rotateOf', { code: code.code })}</h3>
        <button type="button" className="btn btn-small btn-ghost" onClick={close}>
          {t('app.close')}
        </button>
      </div>
      {what === 'health' ? <Health code={code} /> : <Rotate code={code} done={close} />}
    </section>
  );
}

function Health({ code }: { code: Code }) {
  const { t, number, date } = useT();
  const health = useQuery({
    queryKey: ['code-health', code.id],
    queryFn: () => api<CodeHealth>('GET', `/codes/${code.id}/health?days=30`),
  });
  const share = (s: number | null) => (s === null ? '–' : `${Math.round(s * 100)}%`);
  return (
    <QueryState query={health}>
      {(h) => (
        <>
          <dl className="facts">
            <div>
              <dt>{t('codes.uses')}</dt>
              <dd>{number(h.uses)}</dd>
            </div>
            <div>
              <dt>{t('codes.noClickShare')}</dt>
              <dd>
                {share(h.noClickShare)}{' '}
                <span className="muted small">{t('codes.baseline', { share: share(h.baselineNoClickShare) })}</span>
              </dd>
            </div>
            <div>
              <dt>{t('codes.couponSiteUses')}</dt>
              <dd>{number(h.couponSiteUses)}</dd>
            </div>
            <div>
              <dt>{t('codes.topReferrers')}</dt>
              <dd>{h.topReferrers.map((r) => `${r.host} (${r.uses})`).join(', ') || '–'}</dd>
            </div>
          </dl>
          <h4>{t('codes.alerts')}</h4>
          {h.alerts.length === 0 ? (
            <p className="muted">{t('codes.noAlerts')}</p>
          ) : (
            <ol className="alert-history">
              {h.alerts.map((a) => (
                <li key={a.id}>
                  <Badge tone={a.status === 'open' ? 'bad' : 'muted'}>
                    {a.status === 'open'
                      ? t('codes.alert.open')
                      : t(a.resolution === 'leaked' ? 'codes.alert.leaked' : 'codes.alert.notLeaked')}
                  </Badge>{' '}
                  <strong>{t(a.reason === 'spike' ? 'codes.alert.spike' : 'codes.alert.couponSite')}</strong>{' '}
                  <span className="muted small">
                    {date(a.openedAt)}
                    {a.resolvedAt && ` – ${date(a.resolvedAt)}`}
                  </span>
                  <p className="small">{a.detail}</p>
                  {a.heldCommissions > 0 && (
                    <p className="small">{t('codes.alert.held', { count: a.heldCommissions })}</p>
                  )}
                  {a.note && <p className="muted small">{a.note}</p>}
                  {a.status === 'open' && <ResolveAlert alert={a} codeId={code.id} />}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </QueryState>
  );
}

function Rotate({ code, done }: { code: Code; done: () => void }) {
  const { t } = useT();
  const client = useQueryClient();
  const [values, setValues] = useState({ code: '' });
  const [made, setMade] = useState<string>();
  const rotate = useMutation({
    mutationFn: () =>
      api<{ old: Code; code: Code }>(
        'POST',
        `/codes/${code.id}/rotate`,
        values.code.trim() ? { code: values.code.trim() } : {},
      ),
    onSuccess: async (r) => {
      setMade(r.code.code);
      await client.invalidateQueries({ queryKey: ['codes'] });
    },
  });
  const errors = fieldErrors(rotate.error);
  if (made) {
    return (
      <>
        <p className="ok" role="status">
          {t('codes.rotated', { old: code.code, code: made })}
        </p>
        <button type="button" className="btn btn-small" onClick={done}>
          {t('app.close')}
        </button>
      </>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        rotate.mutate();
      }}
    >
      <Input
        label={t('codes.newCode')}
        help={t('codes.newCodeHelp')}
        name="code"
        values={values}
        set={setValues}
        error={errors.fields.code}
        autoComplete="off"
      />
      <button type="submit" className="btn btn-primary" disabled={rotate.isPending}>
        {t('codes.rotateNow')}
      </button>
      <FormError message={errors.message} />
    </form>
  );
}
