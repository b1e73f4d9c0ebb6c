import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { FraudSettings, PayoutSettings, Product, Program } from '../types.js';
import { Card, Field, FormError } from '../ui/kit.js';
import { fieldErrors, Input } from '../ui/pages.js';
import { bpsOf, fromMinor, toMinor } from '../ui/resolver.js';
import { ProductRateRow, RateFields, rateOfDraft } from './product-rate.js';

function SaveRow({ pending, done, children }: { pending: boolean; done: boolean; children?: ReactNode }) {
  const { t } = useT();
  return (
    <div className="actions">
      {children}
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {t('app.save')}
      </button>
      {done && (
        <span className="ok" role="status">
          {t('app.saved')}
        </span>
      )}
    </div>
  );
}

const pct = (bps: number) => String(bps / 100);

/** Performance tiers: a higher rate once a creator's net sales in a calendar month pass a threshold. */
export function TiersCard({ program }: { program: Program }) {
  const { t } = useT();
  const client = useQueryClient();
  const [rows, setRows] = useState(
    program.tiers.map((tier) => ({
      threshold: fromMinor(tier.thresholdAmount),
      rate: tier.rate.type === 'percent' ? pct(tier.rate.bps) : '',
    })),
  );
  const save = useMutation({
    mutationFn: () =>
      api<Program>('PATCH', `/programs/${program.id}`, {
        tiers: rows.map((r) => ({
          thresholdAmount: toMinor(r.threshold),
          rate: { type: 'percent', bps: bpsOf(r.rate) },
        })),
      }),
    onSuccess: (p) => client.setQueryData(['program', program.id], p),
  });
  const errors = fieldErrors(save.error);
  const set = (i: number, key: 'threshold' | 'rate', value: string) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  return (
    <Card title={t('tiers.title')}>
      <p className="help">{t('tiers.help')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <div className="row" key={i}>
            <Field
              label={t('tiers.threshold', { n: i + 1 })}
              error={errors.fields[`tiers.${i}.thresholdAmount`] ?? errors.fields.tiers}
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={r.threshold}
                  onChange={(e) => set(i, 'threshold', e.target.value)}
                />
              )}
            </Field>
            <Field label={t('tiers.rate', { n: i + 1 })} error={errors.fields[`tiers.${i}.rate.bps`]}>
              {(p) => (
                <input {...p} inputMode="decimal" value={r.rate} onChange={(e) => set(i, 'rate', e.target.value)} />
              )}
            </Field>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              {t('bio.remove')}
            </button>
          </div>
        ))}
        <FormError message={errors.message} />
        <SaveRow pending={save.isPending} done={save.isSuccess}>
          <button type="button" className="btn" onClick={() => setRows([...rows, { threshold: '', rate: '' }])}>
            {t('tiers.add')}
          </button>
        </SaveRow>
      </form>
    </Card>
  );
}

/** Per-product rates: a product's own rate overrides the program's default. */
export function ProductRatesCard({ program }: { program: Program }) {
  const { t } = useT();
  const client = useQueryClient();
  const empty = { externalId: '', name: '', rateType: 'percent' as 'percent' | 'flat', rate: '' };
  const [draft, setDraft] = useState(empty);
  const products = useQuery({
    queryKey: ['products', program.id],
    queryFn: () => api<Page<Product>>('GET', `/programs/${program.id}/products?limit=200`),
  });
  const add = useMutation({
    mutationFn: () =>
      api<Product>('POST', `/programs/${program.id}/products`, {
        externalId: draft.externalId,
        name: draft.name,
        ...(draft.rate.trim() ? { rate: rateOfDraft(draft, program.currency) } : {}),
      }),
    onSuccess: async () => {
      setDraft(empty);
      await client.invalidateQueries({ queryKey: ['products', program.id] });
    },
  });
  const errors = fieldErrors(add.error);
  return (
    <Card title={t('products.title')}>
      <p className="help">{t('products.help')}</p>
      {products.data && products.data.data.length > 0 && (
        <ul className="plain product-rates">
          {products.data.data.map((p) => (
            <ProductRateRow key={p.id} product={p} programId={program.id} />
          ))}
        </ul>
      )}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <div className="row">
          <Input
            label={t('products.externalId')}
            help={t('products.externalIdHelp')}
            name="externalId"
            values={draft}
            set={setDraft}
            error={errors.fields.externalId}
          />
          <Input label={t('products.name')} name="name" values={draft} set={setDraft} error={errors.fields.name} />
          <RateFields
            values={draft}
            set={setDraft}
            currency={program.currency}
            label={t('products.rate')}
            error={errors.fields['rate.bps'] ?? errors.fields['rate.amount'] ?? errors.fields.rate}
          />
        </div>
        <FormError message={errors.message} />
        <div className="actions">
          <button className="btn" type="submit" disabled={add.isPending}>
            {t('products.add')}
          </button>
        </div>
      </form>
    </Card>
  );
}

/** The fraud checks' settings: the click-spam threshold and the program's own coupon sites. */
export function FraudCard({ programId }: { programId: string }) {
  const { t } = useT();
  const settings = useQuery({
    queryKey: ['fraud-settings', programId],
    queryFn: () => api<FraudSettings>('GET', `/programs/${programId}/fraud-settings`),
  });
  if (!settings.data) return null;
  return (
    <FraudForm programId={programId} settings={settings.data} key={settings.dataUpdatedAt} title={t('fraud.title')} />
  );
}

function FraudForm({ programId, settings, title }: { programId: string; settings: FraudSettings; title: string }) {
  const { t } = useT();
  const [threshold, setThreshold] = useState(String(settings.clickSpamThreshold));
  const [sites, setSites] = useState(settings.couponSiteDomains.join('\n'));
  const save = useMutation({
    mutationFn: () =>
      api<FraudSettings>('PUT', `/programs/${programId}/fraud-settings`, {
        clickSpamThreshold: Number(threshold),
        couponSiteDomains: sites.split(/[\s,]+/).filter(Boolean),
      }),
  });
  const errors = fieldErrors(save.error);
  const siteError = Object.entries(errors.fields).find(([k]) => k.startsWith('couponSiteDomains'))?.[1];
  return (
    <Card title={title}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label={t('fraud.threshold')} help={t('fraud.thresholdHelp')} error={errors.fields.clickSpamThreshold}>
          {(p) => (
            <input {...p} type="number" min={1} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
          )}
        </Field>
        <Field
          label={t('fraud.sites')}
          help={t('fraud.sitesHelp', { count: settings.builtInCouponSites.length })}
          error={siteError}
        >
          {(p) => (
            <textarea {...p} rows={3} spellCheck={false} value={sites} onChange={(e) => setSites(e.target.value)} />
          )}
        </Field>
        <FormError message={errors.message} />
        <SaveRow pending={save.isPending} done={save.isSuccess} />
      </form>
    </Card>
  );
}

const methods = ['sepa', 'paypal', 'wise', 'stripe', 'manual'] as const;

/** How and when the program pays: allowed methods, schedule, and what a creator must give first. */
export function PayoutSettingsCard({ programId }: { programId: string }) {
  const settings = useQuery({
    queryKey: ['payout-settings', programId],
    queryFn: () => api<PayoutSettings>('GET', `/programs/${programId}/payout-settings`),
  });
  if (!settings.data) return null;
  return <PayoutSettingsForm programId={programId} settings={settings.data} key={settings.dataUpdatedAt} />;
}

function PayoutSettingsForm({ programId, settings }: { programId: string; settings: PayoutSettings }) {
  const { t } = useT();
  const client = useQueryClient();
  const [v, setV] = useState(settings);
  const save = useMutation({
    mutationFn: () =>
      api<PayoutSettings>('PUT', `/programs/${programId}/payout-settings`, {
        allowedMethods: v.allowedMethods,
        schedule: v.schedule,
        scheduleDay: v.schedule === 'manual' ? null : (v.scheduleDay ?? 1),
        requireTaxForm: v.requireTaxForm,
        requireInvoicingDetails: v.requireInvoicingDetails,
      }),
    onSuccess: (s) => client.setQueryData(['payout-settings', programId], s),
  });
  const errors = fieldErrors(save.error);
  return (
    <Card title={t('payoutSettings.title')}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <fieldset className="fieldset">
          <legend>{t('payoutSettings.methods')}</legend>
          {methods.map((m) => (
            <label key={m} className="check">
              <input
                type="checkbox"
                checked={v.allowedMethods.includes(m)}
                onChange={(e) =>
                  setV({
                    ...v,
                    allowedMethods: e.target.checked
                      ? [...v.allowedMethods, m]
                      : v.allowedMethods.filter((x) => x !== m),
                  })
                }
              />{' '}
              {t(`method.${m}`)}
            </label>
          ))}
          {errors.fields.allowedMethods && <p className="error">{errors.fields.allowedMethods}</p>}
        </fieldset>
        <div className="row">
          <Field label={t('payoutSettings.schedule')} help={t('payoutSettings.scheduleHelp')}>
            {(p) => (
              <select
                {...p}
                value={v.schedule}
                onChange={(e) => setV({ ...v, schedule: e.target.value as PayoutSettings['schedule'] })}
              >
                {(['manual', 'weekly', 'monthly'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`payouts.schedule.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {v.schedule !== 'manual' && (
            <Field label={t('payoutSettings.day')} help={t('payoutSettings.dayHelp')} error={errors.fields.scheduleDay}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  max={28}
                  value={v.scheduleDay ?? 1}
                  onChange={(e) => setV({ ...v, scheduleDay: Number(e.target.value) })}
                />
              )}
            </Field>
          )}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={v.requireInvoicingDetails}
            onChange={(e) => setV({ ...v, requireInvoicingDetails: e.target.checked })}
          />{' '}
          {t('payoutSettings.requireInvoicing')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={v.requireTaxForm}
            onChange={(e) => setV({ ...v, requireTaxForm: e.target.checked })}
          />{' '}
          {t('payoutSettings.requireTaxForm')}
        </label>
        <FormError message={errors.message} />
        <SaveRow pending={save.isPending} done={save.isSuccess} />
      </form>
    </Card>
  );
}
