import '../pages.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Product } from '../types.js';
import { FormError } from '../ui/kit.js';
import { fieldErrors, Input } from '../ui/pages.js';
import { bpsOf } from '../ui/resolver.js';

/**
 * One product of the program with its own rate, editable in place: a percentage, or empty for the
 * program's default. The server checks the rate as it checks every rate.
 */
export function ProductRateRow({ product, programId }: { product: Product; programId: string }) {
  const { t, percent, money } = useT();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ rate: product.rate?.type === 'percent' ? String(product.rate.bps / 100) : '' });
  const save = useMutation({
    mutationFn: () =>
      api<Product>('PATCH', `/products/${product.id}`, {
        rate: draft.rate.trim() ? { type: 'percent', bps: bpsOf(draft.rate) } : null,
      }),
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
        : money(product.rate.amount, product.currency);
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
          <Input
            label={t('products.rateOf', { name: product.name })}
            help={t('products.rateHelp')}
            name="rate"
            values={draft}
            set={setDraft}
            error={errors.fields['rate.bps'] ?? errors.fields.rate}
            inputMode="decimal"
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
