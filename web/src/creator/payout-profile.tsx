import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { payoutProfileBody } from '../../../src/payouts/schemas.js';
import { api } from '../api.js';
import { useT } from '../i18n/index.js';
import type { PayoutProfile } from '../types.js';
import { applyServerErrors, Card, Field, FormError } from '../ui/kit.js';
import { Badge, getOrNull } from '../ui/pages.js';
import { serverSchemaResolver } from '../ui/resolver.js';

const methods = ['sepa', 'paypal', 'wise', 'stripe', 'manual'] as const;

interface ProfileForm {
  method: (typeof methods)[number];
  iban: string;
  bic: string;
  accountName: string;
  paypalEmail: string;
  wiseEmail: string;
  currency: string;
  stripeAccountId: string;
  note: string;
  legalName: string;
  line1: string;
  postalCode: string;
  city: string;
  country: string;
  businessId: string;
  vatNumber: string;
  vatRegistered: boolean;
}

const blank: ProfileForm = {
  method: 'sepa',
  iban: '',
  bic: '',
  accountName: '',
  paypalEmail: '',
  wiseEmail: '',
  currency: 'EUR',
  stripeAccountId: '',
  note: '',
  legalName: '',
  line1: '',
  postalCode: '',
  city: '',
  country: '',
  businessId: '',
  vatNumber: '',
  vatRegistered: false,
};

/** The API's body from the form: only the method's own fields, and what was filled in. */
function toBody(v: ProfileForm) {
  const given = (s: string) => (s.trim() === '' ? undefined : s);
  const perMethod: Record<ProfileForm['method'], Record<string, unknown>> = {
    sepa: { iban: v.iban, bic: given(v.bic), accountName: v.accountName },
    paypal: { paypalEmail: v.paypalEmail },
    wise: { wiseEmail: given(v.wiseEmail), iban: given(v.iban), accountName: v.accountName, currency: v.currency },
    stripe: { stripeAccountId: v.stripeAccountId },
    manual: { note: given(v.note) },
  };
  const anyAddress = v.line1 || v.postalCode || v.city;
  return {
    method: v.method,
    ...perMethod[v.method],
    legalName: given(v.legalName),
    ...(anyAddress
      ? { address: { line1: v.line1, postalCode: v.postalCode, city: v.city, country: v.country || 'FI' } }
      : {}),
    country: given(v.country),
    businessId: given(v.businessId),
    vatNumber: given(v.vatNumber),
    vatRegistered: v.vatRegistered,
  };
}

const fieldOf = (path: string) => (path.startsWith('address.') ? path.slice('address.'.length) : path);

function Current({ profile }: { profile: PayoutProfile }) {
  const { t } = useT();
  return (
    <div className="current-profile">
      <p>
        {t('profile.current', { method: t(`method.${profile.method}`) })}{' '}
        {Object.values(profile.details).map((d) => (
          <code key={d}>{d}</code>
        ))}
      </p>
      {profile.underReview && <Badge tone="warn">{t('profile.underReview')}</Badge>}
      {!profile.invoicingComplete && <p className="muted small">{t('profile.invoicingMissing')}</p>}
    </div>
  );
}

/** How the creator is paid: the method and its details (checked by the server's own schema), and tax details. */
export function PayoutProfileForm() {
  const { t } = useT();
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const profile = useQuery({
    queryKey: ['payout-profile'],
    queryFn: () => getOrNull<PayoutProfile>('/creators/me/payout-profile'),
  });
  const form = useForm<ProfileForm>({
    defaultValues: blank,
    resolver: serverSchemaResolver(payoutProfileBody, toBody, fieldOf),
  });
  const save = useMutation({
    mutationFn: (v: ProfileForm) => api<PayoutProfile>('PUT', '/creators/me/payout-profile', toBody(v)),
    onMutate: () => {
      setError(undefined);
      setSaved(false);
    },
    onSuccess: async (p) => {
      client.setQueryData(['payout-profile'], p);
      form.reset({ ...blank, method: form.getValues('method') });
      setSaved(true);
    },
    onError: (err) => setError(applyServerErrors(form, err, fieldOf)),
  });
  const method = form.watch('method');
  const e = form.formState.errors;
  const input = (name: keyof ProfileForm, label: string, help?: string, type = 'text') => (
    <Field label={label} help={help} error={e[name]?.message}>
      {(p) => <input {...p} type={type} autoComplete="off" {...form.register(name)} />}
    </Field>
  );
  return (
    <Card title={t('profile.title')}>
      {profile.data && <Current profile={profile.data} />}
      <form className="form" onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <Field label={t('profile.method')} help={t('profile.methodHelp')}>
          {(p) => (
            <select {...p} {...form.register('method')}>
              {methods.map((m) => (
                <option key={m} value={m}>
                  {t(`method.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {(method === 'sepa' || method === 'wise') && input('iban', t('profile.iban'), t('profile.ibanHelp'))}
        {method === 'sepa' && input('bic', t('profile.bic'), t('profile.bicHelp'))}
        {(method === 'sepa' || method === 'wise') && input('accountName', t('profile.accountName'))}
        {method === 'paypal' && input('paypalEmail', t('profile.paypalEmail'), undefined, 'email')}
        {method === 'wise' && input('wiseEmail', t('profile.wiseEmail'), t('profile.wiseEmailHelp'), 'email')}
        {method === 'wise' && input('currency', t('program.currency'))}
        {method === 'stripe' && input('stripeAccountId', t('profile.stripeAccountId'), t('profile.stripeHelp'))}
        {method === 'manual' && input('note', t('profile.note'), t('profile.noteHelp'))}
        <fieldset className="fieldset">
          <legend>{t('profile.tax')}</legend>
          <p className="help">{t('profile.taxHelp')}</p>
          {input('legalName', t('profile.legalName'))}
          {input('line1', t('profile.line1'))}
          {input('postalCode', t('profile.postalCode'))}
          {input('city', t('profile.city'))}
          {input('country', t('profile.country'), t('profile.countryHelp'))}
          {input('businessId', t('profile.businessId'))}
          {input('vatNumber', t('profile.vatNumber'), t('profile.vatNumberHelp'))}
          <label className="check">
            <input type="checkbox" {...form.register('vatRegistered')} /> {t('profile.vatRegistered')}
          </label>
        </fieldset>
        <FormError message={error} />
        <div className="actions">
          <button className="btn btn-primary" type="submit" disabled={save.isPending}>
            {t('app.save')}
          </button>
          {saved && (
            <span className="ok" role="status">
              {t('app.saved')}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}
