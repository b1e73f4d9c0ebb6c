import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { planSchema, reportSchema } from '../../../src/network-fees/schemas.js';
import { ApiError, api, download, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import { Card, Field, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { thisMonth, ymd } from '../ui/dates.js';
import { toMinor } from '../ui/resolver.js';

type Plan = z.infer<typeof planSchema>;
type Report = z.infer<typeof reportSchema>;
interface Rate {
  from: string;
  to: string;
  rate: string;
  updatedAt: string;
}
interface Workspace {
  id: string;
  name: string;
}

/** Field errors by path (body.x → x), the rest as one message. */
function errorsOf(err: unknown): { fields: Record<string, string>; message?: string } {
  if (err instanceof ApiError && err.fields.length > 0) {
    return { fields: Object.fromEntries(err.fields.map((f) => [f.path.replace(/^(body|params)\./, ''), f.message])) };
  }
  return { fields: {}, message: err instanceof Error ? err.message : undefined };
}

function ExchangeRates() {
  const { t, dateTime } = useT();
  const client = useQueryClient();
  const [v, setV] = useState({ from: 'USD', to: 'EUR', rate: '' });
  const rates = useQuery({
    queryKey: ['exchange-rates'],
    queryFn: () => api<{ data: Rate[] }>('GET', '/exchange-rates'),
  });
  const save = useMutation({
    mutationFn: () =>
      api<Rate>('PUT', `/exchange-rates/${v.from.toUpperCase()}/${v.to.toUpperCase()}`, { rate: v.rate }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['exchange-rates'] }),
  });
  const e = save.error ? errorsOf(save.error) : { fields: {} as Record<string, string> };
  return (
    <Card title={t('operator.rates')}>
      <p className="help">{t('operator.ratesHelp')}</p>
      <QueryState query={rates}>
        {(r) => (
          <ul className="plain rates">
            {r.data.map((x) => (
              <li key={`${x.from}${x.to}`}>
                1 {x.from} = <strong>{x.rate}</strong> {x.to}{' '}
                <span className="muted small">{dateTime(x.updatedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <form
        className="inline-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          save.mutate();
        }}
      >
        <Field label={t('operator.from')} error={e.fields.from}>
          {(p) => (
            <input
              {...p}
              size={4}
              maxLength={3}
              value={v.from}
              onChange={(ev) => setV({ ...v, from: ev.target.value })}
            />
          )}
        </Field>
        <Field label={t('operator.to')} error={e.fields.to}>
          {(p) => (
            <input {...p} size={4} maxLength={3} value={v.to} onChange={(ev) => setV({ ...v, to: ev.target.value })} />
          )}
        </Field>
        <Field label={t('operator.rate')} error={e.fields.rate}>
          {(p) => (
            <input {...p} inputMode="decimal" value={v.rate} onChange={(ev) => setV({ ...v, rate: ev.target.value })} />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {t('app.save')}
        </button>
      </form>
      <FormError message={e.message} />
    </Card>
  );
}

function NetworkReport() {
  const { t, money } = useT();
  const [range, setRange] = useState(() => ({ from: `${thisMonth()}-01`, to: ymd(new Date()) }));
  const [error, setError] = useState<string>();
  const report = useQuery({
    queryKey: ['network-report', range.from, range.to],
    queryFn: () => api<Report>('GET', `/admin/network-fees/report${query(range)}`),
  });
  return (
    <Card title={t('operator.report')}>
      <div className="filters">
        <label className="filter">
          {t('operator.reportFrom')}{' '}
          <input
            type="date"
            value={range.from}
            onChange={(e) => e.target.value && setRange({ ...range, from: e.target.value })}
          />
        </label>
        <label className="filter">
          {t('operator.reportTo')}{' '}
          <input
            type="date"
            value={range.to}
            onChange={(e) => e.target.value && setRange({ ...range, to: e.target.value })}
          />
        </label>
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            download(`/admin/network-fees/report${query({ ...range, format: 'csv' })}`).catch((e: Error) =>
              setError(e.message),
            )
          }
        >
          {t('statements.csv')}
        </button>
      </div>
      <FormError message={error} />
      <QueryState query={report} empty={(r) => r.data.length === 0}>
        {(r) => (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('operator.workspace')}</th>
                <th scope="col" className="num">
                  {t('statements.sales')}
                </th>
                <th scope="col" className="num">
                  {t('operator.saleFees')}
                </th>
                <th scope="col" className="num">
                  {t('operator.otherFees')}
                </th>
                <th scope="col" className="num">
                  {t('operator.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.data.map((row) => (
                <tr key={`${row.workspaceId}:${row.currency}`}>
                  <td>{row.workspaceName}</td>
                  <td className="num">
                    {row.sales} · {money(row.salesAmount, row.currency)}
                  </td>
                  <td className="num">{money(row.saleFees + row.reversedFees, row.currency)}</td>
                  <td className="num">{money(row.setupFees + row.monthlyFees, row.currency)}</td>
                  <td className="num">
                    <strong>{money(row.total, row.currency)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </Card>
  );
}

function FeePlan({ workspace }: { workspace: Workspace }) {
  const { t, money, percent } = useT();
  const client = useQueryClient();
  const [v, setV] = useState({ currency: 'EUR', setup: '0', salePercent: '', monthly: '' });
  const plan = useQuery({
    queryKey: ['network-fees', workspace.id],
    queryFn: () =>
      api<Plan>('GET', `/admin/workspaces/${workspace.id}/network-fees`).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
  });
  const save = useMutation({
    mutationFn: () =>
      api<Plan>('PUT', `/admin/workspaces/${workspace.id}/network-fees`, {
        currency: v.currency.toUpperCase(),
        setupFeeAmount: toMinor(v.setup),
        saleFeeBps: Math.round(Number(v.salePercent.replace(',', '.')) * 100),
        monthlyFeeAmount: v.monthly.trim() ? toMinor(v.monthly) : null,
      }),
    onSuccess: (p) => client.setQueryData(['network-fees', workspace.id], p),
  });
  const e = save.error ? errorsOf(save.error) : { fields: {} as Record<string, string> };
  const p = plan.data;
  return (
    <div className="fee-plan">
      <h3>{workspace.name}</h3>
      <p className="muted small">
        {p
          ? t('operator.plan', {
              setup: money(p.setupFeeAmount, p.currency),
              sale: percent(p.saleFeeBps),
              monthly: p.monthlyFeeAmount === null ? '–' : money(p.monthlyFeeAmount, p.currency),
            })
          : t('operator.noPlan')}
      </p>
      <form
        className="inline-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          save.mutate();
        }}
      >
        <Field label={t('program.currency')} error={e.fields.currency}>
          {(f) => (
            <input
              {...f}
              size={4}
              maxLength={3}
              value={v.currency}
              onChange={(ev) => setV({ ...v, currency: ev.target.value })}
            />
          )}
        </Field>
        <Field label={t('operator.setupFee')} error={e.fields.setupFeeAmount}>
          {(f) => (
            <input
              {...f}
              inputMode="decimal"
              value={v.setup}
              onChange={(ev) => setV({ ...v, setup: ev.target.value })}
            />
          )}
        </Field>
        <Field label={t('operator.saleFee')} error={e.fields.saleFeeBps}>
          {(f) => (
            <input
              {...f}
              inputMode="decimal"
              value={v.salePercent}
              onChange={(ev) => setV({ ...v, salePercent: ev.target.value })}
            />
          )}
        </Field>
        <Field label={t('operator.monthlyFee')} error={e.fields.monthlyFeeAmount}>
          {(f) => (
            <input
              {...f}
              inputMode="decimal"
              value={v.monthly}
              onChange={(ev) => setV({ ...v, monthly: ev.target.value })}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {t('app.save')}
        </button>
      </form>
      <FormError message={e.message} />
    </div>
  );
}

/** The instance operator's screens: exchange rates, the network's fees per brand, and the fee report. */
export function Operator() {
  const { t } = useT();
  const workspaces = useQuery({
    queryKey: ['admin-workspaces'],
    queryFn: () => api<Page<Workspace>>('GET', '/admin/workspaces?limit=200'),
  });
  return (
    <>
      <PageTitle>{t('operator.title')}</PageTitle>
      <ExchangeRates />
      <NetworkReport />
      <Card title={t('operator.fees')}>
        <p className="help">{t('operator.feesHelp')}</p>
        <QueryState query={workspaces} empty={(w) => w.data.length === 0}>
          {(w) => (
            <>
              {w.data.map((ws) => (
                <FeePlan key={ws.id} workspace={ws} />
              ))}
            </>
          )}
        </QueryState>
      </Card>
    </>
  );
}
