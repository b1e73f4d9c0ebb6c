import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Code, CodeAlert, Enrollment, Program } from '../types.js';
import { Field, FormError } from '../ui/kit.js';
import { fieldErrors, Input } from '../ui/pages.js';
import { bpsOf, toMinor } from '../ui/resolver.js';
import { minorDigits } from './product-rate.js';

/**
 * A new coupon code for an approved creator of a program: a vanity code or one made from the
 * creator's name, and what it gives the shopper (a percentage off, or an amount off the order).
 */
export function NewCode({ programs }: { programs: Program[] }) {
  const { t } = useT();
  const client = useQueryClient();
  const [chosen, setProgramId] = useState('');
  const programId = chosen || programs[0]?.id || '';
  // The program's approved creators, whatever the page's list of enrollments is filtered by.
  const enrollments = useQuery({
    queryKey: ['enrollments', 'approved', programId],
    queryFn: () => api<Page<Enrollment>>('GET', `/enrollments${query({ programId, status: 'approved', limit: 200 })}`),
    enabled: programId !== '',
  });
  const approved = enrollments.data?.data ?? [];
  const empty = { creatorId: '', code: '', discountType: 'percent' as 'percent' | 'flat', discount: '' };
  const [values, setValues] = useState(empty);
  const [made, setMade] = useState<string>();
  const program = programs.find((p) => p.id === programId);
  const currency = program?.currency ?? 'EUR';
  const create = useMutation({
    mutationFn: () =>
      api<Code>('POST', `/programs/${programId}/codes`, {
        creatorId: values.creatorId || approved[0]?.creatorId || '',
        ...(values.code.trim() ? { code: values.code.trim() } : {}),
        discount:
          values.discountType === 'percent'
            ? { type: 'percent', bps: bpsOf(values.discount) }
            : { type: 'flat', amount: toMinor(values.discount, minorDigits(currency)) },
      }),
    onSuccess: async (code) => {
      setMade(code.code);
      setValues(empty);
      await client.invalidateQueries({ queryKey: ['codes'] });
    },
  });
  const errors = fieldErrors(create.error);
  if (programs.length === 0) return null;
  return (
    <form
      className="form new-code"
      aria-label={t('codes.new')}
      onSubmit={(e) => {
        e.preventDefault();
        setMade(undefined);
        create.mutate();
      }}
    >
      <h3>{t('codes.new')}</h3>
      <div className="row">
        <Field label={t('creators.program')}>
          {(p) => (
            <select {...p} value={programId} onChange={(e) => setProgramId(e.target.value)}>
              {programs.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('creators.name')} error={errors.fields.creatorId}>
          {(p) => (
            <select
              {...p}
              value={values.creatorId || approved[0]?.creatorId || ''}
              onChange={(e) => setValues({ ...values, creatorId: e.target.value })}
            >
              {approved.map((e) => (
                <option key={e.creatorId} value={e.creatorId}>
                  {e.creatorName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Input
          label={t('codes.code')}
          help={t('codes.codeHelp')}
          name="code"
          values={values}
          set={setValues}
          error={errors.fields.code}
          autoComplete="off"
        />
      </div>
      <div className="row">
        <Field label={t('codes.discountType')}>
          {(p) => (
            <select
              {...p}
              value={values.discountType}
              onChange={(e) => setValues({ ...values, discountType: e.target.value as 'percent' | 'flat' })}
            >
              <option value="percent">{t('codes.discountType.percent')}</option>
              <option value="flat">{t('codes.discountType.flat', { currency })}</option>
            </select>
          )}
        </Field>
        <Input
          label={
            values.discountType === 'percent' ? t('codes.discountPercent') : t('codes.discountAmount', { currency })
          }
          name="discount"
          values={values}
          set={setValues}
          error={errors.fields['discount.bps'] ?? errors.fields['discount.amount'] ?? errors.fields.discount}
          inputMode="decimal"
        />
      </div>
      <FormError message={errors.message} />
      {made && (
        <p className="ok" role="status">
          {t('codes.made', { code: made })}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending || approved.length === 0}>
          {t('codes.create')}
        </button>
        {approved.length === 0 && <span className="muted small">{t('codes.noApproved')}</span>}
      </div>
    </form>
  );
}

/**
 * An open leak alert settled by the brand: not leaked releases the commissions it held; leaked
 * leaves them held for review (and the code is best rotated). A note says why.
 */
export function ResolveAlert({ alert, codeId }: { alert: CodeAlert; codeId: string }) {
  const { t } = useT();
  const client = useQueryClient();
  const [values, setValues] = useState({ note: '' });
  const resolve = useMutation({
    mutationFn: (resolution: 'leaked' | 'not_leaked') =>
      api<CodeAlert>('POST', `/code-alerts/${alert.id}/resolve`, {
        resolution,
        ...(values.note.trim() ? { note: values.note.trim() } : {}),
      }),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['code-health', codeId] }),
        client.invalidateQueries({ queryKey: ['code-alerts'] }),
        client.invalidateQueries({ queryKey: ['to-do'] }),
      ]);
    },
  });
  const errors = fieldErrors(resolve.error);
  return (
    <div className="resolve-alert">
      <Input
        label={t('codes.alert.note')}
        name="note"
        values={values}
        set={setValues}
        error={errors.fields.note}
        maxLength={1000}
      />
      <div className="actions">
        <button
          type="button"
          className="btn btn-small"
          disabled={resolve.isPending}
          onClick={() => resolve.mutate('not_leaked')}
        >
          {t('codes.alert.markNotLeaked')}
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          disabled={resolve.isPending}
          onClick={() => resolve.mutate('leaked')}
        >
          {t('codes.alert.markLeaked')}
        </button>
      </div>
      <FormError message={errors.message} />
    </div>
  );
}
