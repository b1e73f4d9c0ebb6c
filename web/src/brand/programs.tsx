import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { createProgramBody, updateProgramBody } from '../../../src/programs/schemas.js';
import { api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Program } from '../types.js';
import { applyServerErrors, Card, Field, FormError, PageTitle, QueryState, useDraft } from '../ui/kit.js';
import { Badge, statusTone } from '../ui/pages.js';
import { fromMinor, serverSchemaResolver, toMinor } from '../ui/resolver.js';
import { FraudCard, PayoutSettingsCard, ProductRatesCard, TiersCard } from './program-extras.js';

export function usePrograms() {
  return useQuery({ queryKey: ['programs'], queryFn: () => api<Page<Program>>('GET', '/programs?limit=100') });
}

/** The brand's programs and the one a page shows, kept in the address (`?program=`): the first by default. */
export function useProgramParam() {
  const programs = usePrograms();
  const [params, setParams] = useSearchParams();
  const list = programs.data?.data ?? [];
  const programId = params.get('program') ?? list[0]?.id ?? '';
  const setProgramId = (id: string) => setParams({ program: id }, { replace: true });
  return { programs, list, programId, setProgramId, params };
}

export function ProgramTerms({ p }: { p: Program }) {
  const { t, money, percent } = useT();
  const rate = p.defaultRate.type === 'percent' ? percent(p.defaultRate.bps) : money(p.defaultRate.amount, p.currency);
  return (
    <p className="terms">
      {t('program.terms', {
        rate,
        window: p.attributionWindowDays,
        holding: p.holdingDays,
        min: money(p.minPayoutAmount, p.currency),
      })}
    </p>
  );
}

export function Programs() {
  const { t } = useT();
  const programs = usePrograms();
  return (
    <>
      <PageTitle
        actions={
          <Link className="btn btn-primary" to="/programs/new">
            {t('program.new')}
          </Link>
        }
      >
        {t('program.list.title')}
      </PageTitle>
      <QueryState query={programs}>
        {(page) =>
          page.data.length === 0 ? (
            <Card>
              <p>{t('overview.firstProgram')}</p>
            </Card>
          ) : (
            <div className="grid">
              {page.data.map((p) => (
                <Card
                  key={p.id}
                  title={<Link to={`/programs/${p.id}`}>{p.name}</Link>}
                  actions={<Badge tone={statusTone[p.status] ?? 'muted'}>{t(`program.status.${p.status}`)}</Badge>}
                >
                  {p.description && <p>{p.description}</p>}
                  <ProgramTerms p={p} />
                  <p className="muted">{p.allowedDomains.join(', ')}</p>
                </Card>
              ))}
            </div>
          )
        }
      </QueryState>
    </>
  );
}

interface ProgramForm {
  name: string;
  description: string;
  currency: string;
  allowedDomains: string;
  rateType: 'percent' | 'flat';
  rate: string;
  attributionWindowDays: number;
  holdingDays: number;
  minPayout: string;
  visibility: 'open' | 'invite';
  codeWinsOverClick: boolean;
  payIban: string;
  payBic: string;
  payName: string;
}

function toBody(v: ProgramForm, withCurrency: boolean) {
  return {
    name: v.name,
    description: v.description.trim() === '' ? null : v.description,
    ...(withCurrency ? { currency: v.currency.trim().toUpperCase() } : {}),
    allowedDomains: v.allowedDomains
      .split(/[\s,]+/)
      .map((d) => d.trim())
      .filter(Boolean),
    defaultRate:
      v.rateType === 'percent'
        ? { type: 'percent', bps: Math.round(Number(v.rate.replace(',', '.')) * 100) }
        : { type: 'flat', amount: toMinor(v.rate) },
    attributionWindowDays: Number(v.attributionWindowDays),
    holdingDays: Number(v.holdingDays),
    minPayoutAmount: toMinor(v.minPayout),
    visibility: v.visibility,
    codeWinsOverClick: v.codeWinsOverClick,
    // The account SEPA payouts are paid from: all three, or none.
    ...(v.payIban.trim() || v.payBic.trim() || v.payName.trim()
      ? { payoutAccount: { iban: v.payIban, bic: v.payBic, name: v.payName } }
      : withCurrency
        ? {}
        : { payoutAccount: null }),
  };
}

/** API paths to form fields: `defaultRate.bps` is typed in the rate field, and so on. */
function fieldOf(path: string): string {
  if (path.startsWith('defaultRate')) return 'rate';
  if (path.startsWith('allowedDomains')) return 'allowedDomains';
  if (path === 'minPayoutAmount') return 'minPayout';
  if (path === 'payoutAccount.iban') return 'payIban';
  if (path === 'payoutAccount.bic') return 'payBic';
  if (path.startsWith('payoutAccount')) return 'payName';
  return path;
}

function formOf(p: Program | undefined): ProgramForm {
  return {
    name: p?.name ?? '',
    description: p?.description ?? '',
    currency: p?.currency ?? 'EUR',
    allowedDomains: p?.allowedDomains.join('\n') ?? '',
    rateType: p?.defaultRate.type ?? 'percent',
    rate: p
      ? p.defaultRate.type === 'percent'
        ? String(p.defaultRate.bps / 100)
        : fromMinor(p.defaultRate.amount)
      : '15',
    attributionWindowDays: p?.attributionWindowDays ?? 30,
    holdingDays: p?.holdingDays ?? 30,
    minPayout: p ? fromMinor(p.minPayoutAmount) : '50.00',
    visibility: p?.visibility ?? 'invite',
    codeWinsOverClick: p?.codeWinsOverClick ?? true,
    payIban: p?.payoutAccount?.iban ?? '',
    payBic: p?.payoutAccount?.bic ?? '',
    payName: p?.payoutAccount?.name ?? '',
  };
}

function ProgramFormView({ program }: { program?: Program }) {
  const { t } = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const creating = program === undefined;
  const form = useForm<ProgramForm>({
    defaultValues: formOf(program),
    resolver: serverSchemaResolver(
      creating ? createProgramBody : updateProgramBody,
      (v: ProgramForm) => toBody(v, creating),
      fieldOf,
    ),
  });
  const clearDraft = useDraft(`program:${program?.id ?? 'new'}`, form);
  const save = useMutation({
    mutationFn: (v: ProgramForm) =>
      creating
        ? api<Program>('POST', '/programs', toBody(v, true))
        : api<Program>('PATCH', `/programs/${program.id}`, toBody(v, false)),
    onSuccess: async (p) => {
      clearDraft();
      await client.invalidateQueries({ queryKey: ['programs'] });
      navigate(`/programs/${p.id}`);
    },
    onError: (err) => setError(applyServerErrors(form, err, fieldOf)),
  });
  const e = form.formState.errors;
  const rateType = form.watch('rateType');
  return (
    <form className="form" onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
      <Card title={t('program.name')}>
        <Field label={t('program.name')} help={t('program.nameHelp')} error={e.name?.message}>
          {(p) => <input {...p} {...form.register('name')} />}
        </Field>
        <Field label={t('program.description')} help={t('program.descriptionHelp')} error={e.description?.message}>
          {(p) => <textarea {...p} rows={2} {...form.register('description')} />}
        </Field>
        <Field
          label={t('program.allowedDomains')}
          help={t('program.allowedDomainsHelp')}
          error={e.allowedDomains?.message}
        >
          {(p) => <textarea {...p} rows={2} spellCheck={false} {...form.register('allowedDomains')} />}
        </Field>
      </Card>
      <Card title={t('program.rateType')}>
        <div className="row">
          <Field label={t('program.rateType')}>
            {(p) => (
              <select {...p} {...form.register('rateType')}>
                <option value="percent">{t('program.rateType.percent')}</option>
                <option value="flat">{t('program.rateType.flat')}</option>
              </select>
            )}
          </Field>
          <Field
            label={rateType === 'percent' ? t('program.ratePercent') : t('program.rateAmount')}
            help={t('program.rateHelp')}
            error={e.rate?.message}
          >
            {(p) => <input {...p} inputMode="decimal" {...form.register('rate')} />}
          </Field>
          <Field label={t('program.currency')} help={t('program.currencyHelp')} error={e.currency?.message}>
            {(p) => <input {...p} disabled={!creating} maxLength={3} {...form.register('currency')} />}
          </Field>
        </div>
        <div className="row">
          <Field label={t('program.window')} help={t('program.windowHelp')} error={e.attributionWindowDays?.message}>
            {(p) => <input {...p} type="number" min={1} max={365} {...form.register('attributionWindowDays')} />}
          </Field>
          <Field label={t('program.holding')} help={t('program.holdingHelp')} error={e.holdingDays?.message}>
            {(p) => <input {...p} type="number" min={0} max={365} {...form.register('holdingDays')} />}
          </Field>
          <Field label={t('program.minPayout')} help={t('program.minPayoutHelp')} error={e.minPayout?.message}>
            {(p) => <input {...p} inputMode="decimal" {...form.register('minPayout')} />}
          </Field>
        </div>
      </Card>
      <Card title={t('program.visibility')}>
        <Field label={t('program.visibility')}>
          {(p) => (
            <select {...p} {...form.register('visibility')}>
              <option value="invite">{t('program.visibility.invite')}</option>
              <option value="open">{t('program.visibility.open')}</option>
            </select>
          )}
        </Field>
        <label className="check">
          <input type="checkbox" {...form.register('codeWinsOverClick')} />
          <span>
            <strong>{t('program.codeWins')}</strong>
            <span className="help">{t('program.codeWinsHelp')}</span>
          </span>
        </label>
      </Card>
      <Card title={t('program.payoutAccount')}>
        <p className="help">{t('program.payoutAccountHelp')}</p>
        <div className="row">
          <Field label={t('program.payIban')} error={e.payIban?.message}>
            {(p) => <input {...p} spellCheck={false} {...form.register('payIban')} />}
          </Field>
          <Field label={t('program.payBic')} error={e.payBic?.message}>
            {(p) => <input {...p} spellCheck={false} {...form.register('payBic')} />}
          </Field>
          <Field label={t('program.payName')} error={e.payName?.message}>
            {(p) => <input {...p} {...form.register('payName')} />}
          </Field>
        </div>
      </Card>
      <FormError message={error} />
      <div className="actions">
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>
          {save.isPending ? t('app.saving') : creating ? t('program.create') : t('app.save')}
        </button>
      </div>
    </form>
  );
}

export function ProgramNew() {
  const { t } = useT();
  return (
    <>
      <PageTitle>{t('program.new')}</PageTitle>
      <ProgramFormView />
    </>
  );
}

export function ProgramEdit() {
  const { t } = useT();
  const { id } = useParams();
  const program = useQuery({ queryKey: ['program', id], queryFn: () => api<Program>('GET', `/programs/${id}`) });
  return (
    <>
      <PageTitle>{t('program.edit')}</PageTitle>
      <QueryState query={program}>
        {(p) => (
          <>
            <ProgramFormView key={p.updatedAt} program={p} />
            <TiersCard key={`tiers:${p.updatedAt}`} program={p} />
            <ProductRatesCard program={p} />
            <PayoutSettingsCard programId={p.id} />
            <FraudCard programId={p.id} />
          </>
        )}
      </QueryState>
    </>
  );
}
