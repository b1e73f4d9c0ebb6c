import '../pages.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Product } from '../types.js';
import { Field, FormError } from '../ui/kit.js';
import { fieldErrors, Input } from '../ui/pages.js';
import { bpsOf, fromMinor, toMinor } from '../ui/resolver.js';

type Rate = NonNullable<Product['rate']>;

/** A product's own rate as typed: a percentage of the line, or a fixed amount per unit sold. */
export type RateDraft = {
  rateType: 'percent' | 'flat';
  rate: string;
};

/** How many decimals a currency's minor unit has (JPY 0, EUR 2, KWD 3). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function rateDraftOf(rate: Product['rate'], currency: string): RateDraft {
  if (!rate) return { rateType: 'percent', rate: '' };
  return rate.type === 'percent'
    ? { rateType: 'percent', rate: String(rate.bps / 100) }
    : { rateType: 'flat', rate: fromMinor(rate.amount, minorDigits(currency)) };
}

/** The rate a draft says, or null for the program's default when nothing is typed. */
export function rateOfDraft(draft: RateDraft, currency: string): Rate | null {
  if (!draft.rate.trim()) return null;
  return draft.rateType === 'percent'
    ? { type: 'percent', bps: bpsOf(draft.rate) }
    : { type: 'flat', amount: toMinor(draft.rate, minorDigits(currency)) };
}

/** The kind of rate and its value, side by side; the server's error shown on the value. */
export function RateFields<D extends RateDraft>({
  values,
  set,
  currency,
  label,
  help,
  error,
}: {
  values: D;
  set: (next: D) => void;
  currency: string;
  label: string;
  help?: string;
  error?: string | undefined;
}) {
  const { t } = useT();
  return (
    <>
      <Field label={t('products.rateType')}>
        {(p) => (
          <select
            {...p}
            name="rateType"
            value={values.rateType}
            onChange={(e) => set({ ...values, rateType: e.target.value as RateDraft['rateType'] })}
          >
            <option value="percent">{t('products.rateType.percent')}</option>
            <option value="flat">{t('products.rateType.flat', { currency })}</option>
          </select>
        )}
      </Field>
      <Input
        label={values.rateType === 'percent' ? label : t('products.rateAmount', { currency })}
        help={help}
        name="rate"
        values={values}
        set={set}
        error={error}
        inputMode="decimal"
      />
    </>
  );
}

/**
 * One product of the program with its own rate, editable in place: a percentage, a fixed amount
 * per unit, or empty for the program's default. The server checks the rate as it checks every rate.
 */
export function ProductRateRow({ product, programId }: { product: Product; programId: string }) {
  const { t, percent, money } = useT();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<RateDraft>(rateDraftOf(product.rate, product.currency));
  const save = useMutation({
    mutationFn: () => api<Product>('PATCH', `/products/${product.id}`, { rate: rateOfDraft(draft, product.currency) }),
    onSuccess: async () => {
      setEditing(false);
      await client.invalidateQueries({ queryKey: ['products', programId] });
    },
  });
  const errors = fieldErrors(save.error);
  const shown =
    product.rate === null
      ? t('creators.defaultRate')
      : product.rate.type === 'percent'
        ? percent(product.rate.bps)
        : t('products.perUnit', { amount: money(product.rate.amount, product.currency) });
  return (
    <li className="product-rate">
      <strong>{product.name}</strong> <span className="muted small">{product.externalId}</span> ·{' '}
      <span className="rate">{shown}</span>{' '}
      {editing ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <RateFields
            values={draft}
            set={setDraft}
            currency={product.currency}
            label={t('products.rateOf', { name: product.name })}
            help={t('products.rateHelp')}
            error={errors.fields['rate.bps'] ?? errors.fields['rate.amount'] ?? errors.fields.rate}
          />
          <FormError message={errors.message} />
          <button type="submit" className="btn btn-small" disabled={save.isPending}>
            {t('app.save')}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
            {t('app.cancel')}
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => setEditing(true)}
          aria-label={t('products.editRateOf', { name: product.name })}
        >
          {t('products.editRate')}
        </button>
      )}
    </li>
  );
}
