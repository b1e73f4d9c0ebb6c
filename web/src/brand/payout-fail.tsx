import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.js';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/index.js';
import type { Payout } from '../types.js';
import { Field, FormError } from '../ui/kit.js';
import { fieldErrors } from '../ui/pages.js';

const codes = ['bank_return', 'paypal_denied', 'paypal_unclaimed', 'stripe_error', 'wise_failed', 'other'] as const;
/** What can still go wrong after a payout was confirmed paid: the money comes back later. */
const late = new Set<string>(['bank_return', 'paypal_unclaimed', 'wise_failed']);

/**
 * "Mark failed" on one payout, with what happened and why: the payout's commissions go back to the
 * creator's balance, and the creator is told the reason. A paid payout can still come back (a
 * bank return, an unclaimed PayPal payment, a failed Wise transfer).
 */
export function FailPayout({ payout }: { payout: Payout }) {
  const { t } = useT();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const allowed = payout.status === 'paid' ? codes.filter((c) => late.has(c)) : codes;
  const [code, setCode] = useState<string>(allowed[0] ?? 'other');
  const [reason, setReason] = useState('');
  const fail = useMutation({
    mutationFn: () => api<Payout>('POST', `/payouts/${payout.id}/fail`, { code, reason }),
    onSuccess: async () => {
      setOpen(false);
      await Promise.all([
        client.invalidateQueries({ queryKey: ['payout-runs'] }),
        client.invalidateQueries({ queryKey: ['to-do'] }),
      ]);
    },
  });
  if (!['pending', 'processing', 'paid'].includes(payout.status)) return null;
  if (!open) {
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
        {t('payouts.fail')}
      </button>
    );
  }
  const errors = fieldErrors(fail.error);
  return (
    <form
      className="fail-payout"
      onSubmit={(e) => {
        e.preventDefault();
        fail.mutate();
      }}
    >
      <Field label={t('payouts.fail.code')} error={errors.fields.code}>
        {(p) => (
          <select {...p} value={code} onChange={(e) => setCode(e.target.value)}>
            {allowed.map((c) => (
              <option key={c} value={c}>
                {t(`payouts.fail.code.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('payouts.fail.reason')} help={t('payouts.fail.reasonHelp')} error={errors.fields.reason}>
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <FormError message={errors.message} />
      <div className="actions">
        <button type="submit" className="btn btn-danger btn-small" disabled={fail.isPending}>
          {t('payouts.fail.submit')}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpen(false)}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
