import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { brandBillingBody, type brandBillingSchema, type invoiceSummarySchema } from '../../../src/invoices/schemas.js';
import { api, type Page } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { applyServerErrors, Card, Field, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { Badge, getOrNull, useDownload } from '../ui/pages.js';
import { serverSchemaResolver } from '../ui/resolver.js';

type InvoiceSummary = z.infer<typeof invoiceSummarySchema>;
type BrandBilling = z.infer<typeof brandBillingSchema>;

/** Self-billing invoices, newest first, each with its printable page and PDF. */
export function InvoiceList({ creatorName }: { creatorName?: (id: string) => string }) {
  const { t, money, date } = useT();
  const { locale } = useLocale();
  const files = useDownload();
  const invoices = useQuery({
    queryKey: ['invoices'],
    queryFn: () => api<Page<InvoiceSummary>>('GET', '/invoices?limit=50'),
  });
  const get = (i: InvoiceSummary, format: 'html' | 'pdf') =>
    files.get(`/payouts/${i.payoutId}/invoice?format=${format}&lang=${locale}`, `invoice-${i.number}.${format}`);
  const getCreditNote = (i: InvoiceSummary, number: number, format: 'html' | 'pdf') =>
    files.get(`/payouts/${i.payoutId}/credit-note?format=${format}&lang=${locale}`, `credit-note-${number}.${format}`);
  return (
    <Card title={t('invoices.title')}>
      <p className="help">{t('invoices.help')}</p>
      <FormError message={files.error} />
      <QueryState query={invoices}>
        {(page) =>
          page.data.length === 0 ? (
            <p className="state">{t('invoices.none')}</p>
          ) : (
            <ul className="plain invoices">
              {page.data.map((i) => (
                <li key={i.id} className="invoice">
                  <strong>{t('invoices.number', { number: i.number })}</strong>{' '}
                  <span className="muted small">
                    {i.series} · {date(i.issuedAt)}
                    {creatorName && ` · ${creatorName(i.creatorId)}`}
                  </span>
                  <p>
                    <span className="amount">{money(i.totalAmount, i.currency)}</span>{' '}
                    <Badge tone="muted">{t(`invoices.vat.${i.vatTreatment}`)}</Badge>{' '}
                    {i.vatAmount > 0 && (
                      <span className="muted small">
                        {t('invoices.vatAmount', { amount: money(i.vatAmount, i.currency) })}
                      </span>
                    )}
                  </p>
                  <div className="row-actions">
                    <button type="button" className="btn btn-small" onClick={() => get(i, 'html')}>
                      {t('invoices.html')}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => get(i, 'pdf')}>
                      PDF
                    </button>
                  </div>
                  {i.creditNote && (
                    <CreditNoteLine
                      number={i.creditNote.number}
                      issuedAt={date(i.creditNote.issuedAt)}
                      open={(format) => getCreditNote(i, i.creditNote?.number ?? 0, format)}
                    />
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Card>
  );
}

interface BillingForm {
  legalName: string;
  line1: string;
  postalCode: string;
  city: string;
  country: string;
  businessId: string;
  vatNumber: string;
}

const toBody = (v: BillingForm) => ({
  legalName: v.legalName,
  address: { line1: v.line1, postalCode: v.postalCode, city: v.city, country: v.country },
  businessId: v.businessId.trim() || null,
  vatNumber: v.vatNumber.trim() || null,
});
const fieldOf = (path: string) => (path.startsWith('address.') ? path.slice('address.'.length) : path);

/** The credit note that cancelled an invoice when its payout failed, with its page and PDF. */
function CreditNoteLine({
  number,
  issuedAt,
  open,
}: {
  number: number;
  issuedAt: string;
  open: (format: 'html' | 'pdf') => void;
}) {
  const { t } = useT();
  return (
    <p className="credit-note">
      <Badge tone="warn">{t('invoices.cancelled', { number, date: issuedAt })}</Badge>{' '}
      <button type="button" className="btn btn-small" onClick={() => open('html')}>
        {t('invoices.creditNote', { number })}
      </button>{' '}
      <button type="button" className="btn btn-small" onClick={() => open('pdf')}>
        PDF
      </button>
    </p>
  );
}

/** The brand's invoicing details: the buyer on every self-billing invoice it issues. */
function BillingCard({ billing }: { billing: BrandBilling | null }) {
  const { t } = useT();
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const form = useForm<BillingForm>({
    defaultValues: {
      legalName: billing?.legalName ?? '',
      line1: billing?.address?.line1 ?? '',
      postalCode: billing?.address?.postalCode ?? '',
      city: billing?.address?.city ?? '',
      country: billing?.address?.country ?? '',
      businessId: billing?.businessId ?? '',
      vatNumber: billing?.vatNumber ?? '',
    },
    resolver: serverSchemaResolver(brandBillingBody, toBody, fieldOf),
  });
  const save = useMutation({
    mutationFn: (v: BillingForm) => api<BrandBilling>('PUT', '/workspace/billing', toBody(v)),
    onMutate: () => setError(undefined),
    onSuccess: (b) => client.setQueryData(['billing'], b),
    onError: (err) => setError(applyServerErrors(form, err, fieldOf)),
  });
  const e = form.formState.errors;
  const input = (name: keyof BillingForm, label: string, help?: string) => (
    <Field label={label} help={help} error={e[name]?.message}>
      {(p) => <input {...p} {...form.register(name)} />}
    </Field>
  );
  return (
    <Card
      title={t('invoices.billing')}
      actions={
        billing?.complete ? (
          <Badge tone="ok">{t('invoices.billingComplete')}</Badge>
        ) : (
          <Badge tone="warn">{t('invoices.billingMissing')}</Badge>
        )
      }
    >
      <p className="help">{t('invoices.billingHelp')}</p>
      <form className="form" onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        {input('legalName', t('profile.legalName'))}
        <div className="row">
          {input('line1', t('profile.line1'))}
          {input('postalCode', t('profile.postalCode'))}
          {input('city', t('profile.city'))}
          {input('country', t('profile.country'), t('profile.countryHelp'))}
        </div>
        <div className="row">
          {input('businessId', t('profile.businessId'))}
          {input('vatNumber', t('profile.vatNumber'), t('profile.vatNumberHelp'))}
        </div>
        <FormError message={error} />
        <div className="actions">
          <button className="btn btn-primary" type="submit" disabled={save.isPending}>
            {t('app.save')}
          </button>
          {save.isSuccess && (
            <span className="ok" role="status">
              {t('app.saved')}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}

export function Invoices() {
  const { t } = useT();
  const billing = useQuery({
    queryKey: ['billing'],
    queryFn: () => getOrNull<BrandBilling>('/workspace/billing'),
  });
  return (
    <>
      <PageTitle>{t('invoices.title')}</PageTitle>
      <QueryState query={billing}>{(b) => <BillingCard billing={b} key={b ? 'set' : 'new'} />}</QueryState>
      <InvoiceList />
    </>
  );
}

/** The creator's consent to self-billing: brands may issue its invoices only once it agrees. */
export function SelfBillingConsent() {
  const { t, date } = useT();
  const client = useQueryClient();
  const consent = useQuery({
    queryKey: ['self-billing-consent'],
    queryFn: () => getOrNull<{ agreement: string; givenAt: string }>('/creators/me/self-billing-consent'),
  });
  const agree = useMutation({
    mutationFn: () => api('POST', '/creators/me/self-billing-consent', { agree: true }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['self-billing-consent'] }),
  });
  return (
    <Card title={t('invoices.consent')}>
      <QueryState query={consent}>
        {(c) =>
          c ? (
            <p>
              <Badge tone="ok">{t('invoices.consentGiven', { date: date(c.givenAt) })}</Badge>
            </p>
          ) : (
            <>
              <p>{t('invoices.consentHelp')}</p>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => agree.mutate()}
                disabled={agree.isPending}
              >
                {t('invoices.agree')}
              </button>
              <FormError message={agree.error?.message} />
            </>
          )
        }
      </QueryState>
    </Card>
  );
}
