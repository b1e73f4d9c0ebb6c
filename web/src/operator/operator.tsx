import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { planSchema, reportSchema } from '../../../src/network-fees/schemas.js';
import { api, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import { Card, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { fieldErrors, getOrNull, Input, Table, thisMonth, useDownload, ymd } from '../ui/pages.js';
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

const currency = { size: 4, maxLength: 3 };
const decimal = { inputMode: 'decimal' } as const;

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
  const e = fieldErrors(save.error);
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
        <Input label={t('operator.from')} name="from" values={v} set={setV} error={e.fields.from} {...currency} />
        <Input label={t('operator.to')} name="to" values={v} set={setV} error={e.fields.to} {...currency} />
        <Input label={t('operator.rate')} name="rate" values={v} set={setV} error={e.fields.rate} {...decimal} />
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
  const files = useDownload();
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
          onClick={() => files.get(`/admin/network-fees/report${query({ ...range, format: 'csv' })}`)}
        >
          {t('statements.csv')}
        </button>
      </div>
      <FormError message={files.error} />
      <QueryState query={report} empty={(r) => r.data.length === 0}>
        {(r) => (
          <Table
            rows={r.data}
            rowKey={(row) => `${row.workspaceId}:${row.currency}`}
            columns={[
              { head: t('operator.workspace'), cell: (row) => row.workspaceName },
              {
                head: t('statements.sales'),
                num: true,
                cell: (row) => `${row.sales} · ${money(row.salesAmount, row.currency)}`,
              },
              {
                head: t('operator.saleFees'),
                num: true,
                cell: (row) => money(row.saleFees + row.reversedFees, row.currency),
              },
              {
                head: t('operator.otherFees'),
                num: true,
                cell: (row) => money(row.setupFees + row.monthlyFees, row.currency),
              },
              {
                head: t('operator.total'),
                num: true,
                cell: (row) => <strong>{money(row.total, row.currency)}</strong>,
              },
            ]}
          />
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
    queryFn: () => getOrNull<Plan>(`/admin/workspaces/${workspace.id}/network-fees`),
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
  const e = fieldErrors(save.error);
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
        <Input
          label={t('program.currency')}
          name="currency"
          values={v}
          set={setV}
          error={e.fields.currency}
          {...currency}
        />
        <Input
          label={t('operator.setupFee')}
          name="setup"
          values={v}
          set={setV}
          error={e.fields.setupFeeAmount}
          {...decimal}
        />
        <Input
          label={t('operator.saleFee')}
          name="salePercent"
          values={v}
          set={setV}
          error={e.fields.saleFeeBps}
          {...decimal}
        />
        <Input
          label={t('operator.monthlyFee')}
          name="monthly"
          values={v}
          set={setV}
          error={e.fields.monthlyFeeAmount}
          {...decimal}
        />
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
