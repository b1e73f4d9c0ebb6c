import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api.js';
import { useT } from '../i18n/index.js';
import type { AnalyticsAnswer, Enrollment } from '../types.js';
import { Field } from '../ui/kit.js';

/** Each creator's last 30 days in each program (clicks, sales, commissions): one request per program, side by side. */
export function useCreatorResults(programIds: string[]) {
  const answers = useQueries({
    queries: programIds.map((programId) => ({
      queryKey: ['analytics', 'creators', 'last30', programId],
      queryFn: () =>
        api<AnalyticsAnswer>(
          'GET',
          `/analytics?programId=${programId}&groupBy=creator&limit=1000&metrics=clicks,sales,netGmv,commissions`,
        ),
    })),
  });
  const rows = new Map<string, { row: AnalyticsAnswer['data'][number]; currency: string | null }>();
  answers.forEach((a, i) => {
    for (const row of a.data?.data ?? [])
      rows.set(`${programIds[i]}:${row.key}`, { row, currency: a.data?.currency ?? null });
  });
  return (programId: string, creatorId: string) => rows.get(`${programId}:${creatorId}`);
}

export function CreatorResults({
  row,
  currency,
}: {
  row: AnalyticsAnswer['data'][number] | undefined;
  currency: string | null;
}) {
  const { t, money, number } = useT();
  if (!row) return <span className="muted small">–</span>;
  return (
    <span className="small">
      {t('creators.results', {
        clicks: row.clicks ?? 0,
        sales: row.sales ?? 0,
        commissions: currency ? money(row.commissions ?? 0, currency) : number(row.commissions ?? 0),
      })}
    </span>
  );
}

/** The creator's own rate in the program (a percentage), or the program's rules when cleared. */
export function OwnRate({ enrollment, currency }: { enrollment: Enrollment; currency: string }) {
  const { t, percent, money } = useT();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(enrollment.rate?.type === 'percent' ? String(enrollment.rate.bps / 100) : '');
  const [error, setError] = useState<string>();
  const save = useMutation({
    mutationFn: (rate: { type: 'percent'; bps: number } | null) =>
      api<Enrollment>('PATCH', `/enrollments/${enrollment.id}`, { rate }),
    onSuccess: async () => {
      setEditing(false);
      await client.invalidateQueries({ queryKey: ['enrollments'] });
    },
    onError: (err) =>
      setError(err instanceof ApiError && err.fields[0] ? err.fields[0].message : (err as Error).message),
  });
  const shown = enrollment.rate
    ? enrollment.rate.type === 'percent'
      ? percent(enrollment.rate.bps)
      : money(enrollment.rate.amount, currency)
    : t('creators.defaultRate');
  if (!editing) {
    return (
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(true)}>
        {shown}
        <span className="sr-only"> {t('creators.changeRate', { name: enrollment.creatorName })}</span>
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(value.replace(',', '.'));
        if (value.trim() === '') save.mutate(null);
        else if (!Number.isFinite(n)) setError(t('creators.rateInvalid'));
        else save.mutate({ type: 'percent', bps: Math.round(n * 100) });
      }}
    >
      <Field label={t('creators.ownRate')} help={t('creators.ownRateHelp')} error={error}>
        {(p) => <input {...p} inputMode="decimal" size={5} value={value} onChange={(e) => setValue(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-small btn-primary" disabled={save.isPending}>
        {t('app.save')}
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(false)}>
        {t('app.cancel')}
      </button>
    </form>
  );
}
