import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { createEnrollmentBody } from '../../../src/enrollments/schemas.js';
import { api, type Page, query } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Enrollment } from '../types.js';
import { Card, Field, FormError, PageTitle, QueryState, useDraft } from '../ui/kit.js';
import { Badge, statusTone, Table } from '../ui/pages.js';
import { CreatorCodes } from './creator-codes.js';
import { CreatorResults, OwnRate, useCreatorResults } from './creator-row.js';
import { usePrograms } from './programs.js';

const statuses = ['invited', 'applied', 'approved', 'rejected', 'suspended'] as const;

interface InviteForm {
  programId: string;
  emails: string;
}

function Invite() {
  const { t } = useT();
  const programs = usePrograms();
  const client = useQueryClient();
  const [sent, setSent] = useState<number>();
  const [error, setError] = useState<string>();
  const form = useForm<InviteForm>({ defaultValues: { programId: '', emails: '' } });
  const clearDraft = useDraft('invite', form);
  const first = programs.data?.data.find((pr) => pr.status === 'active')?.id;
  useEffect(() => {
    if (first && !form.getValues('programId')) form.setValue('programId', first);
  }, [first, form]);
  const invite = useMutation({
    mutationFn: async (v: InviteForm) => {
      const emails = v.emails.split(/[\s,;]+/).filter(Boolean);
      // Every address is checked with the server's own schema before anything is sent.
      const bad = emails.filter((creatorEmail) => !createEnrollmentBody.safeParse({ creatorEmail }).success);
      if (bad.length > 0 || emails.length === 0) {
        form.setError('emails', { message: bad.length ? bad.join(', ') : t('creators.inviteEmailsHelp') });
        throw new Error('invalid');
      }
      const programId = v.programId || programs.data?.data.find((pr) => pr.status === 'active')?.id;
      for (const creatorEmail of emails) await api('POST', `/programs/${programId}/enrollments`, { creatorEmail });
      return emails.length;
    },
    onSuccess: async (n) => {
      setSent(n);
      clearDraft();
      form.reset({ programId: form.getValues('programId'), emails: '' });
      await client.invalidateQueries({ queryKey: ['enrollments'] });
    },
    onError: (err) => setError(err.message === 'invalid' ? undefined : err.message),
  });
  const e = form.formState.errors;
  return (
    <Card title={t('creators.invite')}>
      <form className="form" onSubmit={form.handleSubmit((v) => invite.mutate(v))} noValidate>
        <Field label={t('creators.inviteProgram')}>
          {(p) => (
            <select {...p} {...form.register('programId')}>
              {programs.data?.data
                .filter((pr) => pr.status === 'active')
                .map((pr) => (
                  <option key={pr.id} value={pr.id}>
                    {pr.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label={t('creators.inviteEmails')} help={t('creators.inviteEmailsHelp')} error={e.emails?.message}>
          {(p) => <textarea {...p} rows={3} spellCheck={false} {...form.register('emails')} />}
        </Field>
        <FormError message={error} />
        <div className="actions">
          <button className="btn btn-primary" type="submit" disabled={invite.isPending || !programs.data?.data.length}>
            {t('creators.inviteSend')}
          </button>
          {sent !== undefined && (
            <span className="ok" role="status">
              {t('creators.invited', { count: sent })}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}

function Decide({ enrollment }: { enrollment: Enrollment }) {
  const { t } = useT();
  const client = useQueryClient();
  const [asking, setAsking] = useState<'rejected' | 'suspended'>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const change = useMutation({
    mutationFn: (body: { status: string; reason?: string }) => api('PATCH', `/enrollments/${enrollment.id}`, body),
    onSuccess: async () => {
      setAsking(undefined);
      await client.invalidateQueries({ queryKey: ['enrollments'] });
    },
    onError: (err) => setError(err.message),
  });
  const s = enrollment.status;
  if (asking) {
    return (
      <form
        className="inline-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          change.mutate({ status: asking, reason });
        }}
      >
        <Field label={t('creators.reason')} help={t('creators.reasonHelp')} error={error}>
          {(p) => <input {...p} value={reason} onChange={(ev) => setReason(ev.target.value)} required />}
        </Field>
        <button className="btn btn-danger" type="submit">
          {t('creators.confirm')}
        </button>
        <button className="btn btn-ghost" type="button" onClick={() => setAsking(undefined)}>
          {t('app.cancel')}
        </button>
      </form>
    );
  }
  return (
    <div className="row-actions">
      {(s === 'applied' || s === 'suspended') && (
        <button className="btn btn-small" type="button" onClick={() => change.mutate({ status: 'approved' })}>
          {t('creators.approve')}
        </button>
      )}
      {s === 'applied' && (
        <button className="btn btn-small btn-ghost" type="button" onClick={() => setAsking('rejected')}>
          {t('creators.reject')}
        </button>
      )}
      {s === 'approved' && (
        <button className="btn btn-small btn-ghost" type="button" onClick={() => setAsking('suspended')}>
          {t('creators.suspend')}
        </button>
      )}
    </div>
  );
}

export function Creators() {
  const { t, date } = useT();
  const [status, setStatus] = useState('');
  const enrollments = useQuery({
    queryKey: ['enrollments', status],
    queryFn: () => api<Page<Enrollment>>('GET', `/enrollments${query({ limit: 100, status })}`),
  });
  const programs = usePrograms();
  const resultsOf = useCreatorResults(programs.data?.data.map((p) => p.id) ?? []);
  const currencyOf = (programId: string) => programs.data?.data.find((p) => p.id === programId)?.currency ?? 'EUR';
  return (
    <>
      <PageTitle>{t('creators.title')}</PageTitle>
      <Invite />
      <Card
        title={t('creators.title')}
        actions={
          <label className="filter">
            {t('creators.filter')}{' '}
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('creators.all')}</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <QueryState query={enrollments} empty={(p) => p.data.length === 0}>
          {(page) => (
            <Table
              rows={page.data}
              rowKey={(en) => en.id}
              columns={[
                { head: t('creators.name'), cell: (en) => en.creatorName },
                { head: t('creators.program'), cell: (en) => en.programName },
                {
                  head: t('creators.filter'),
                  cell: (en) => (
                    <>
                      <Badge tone={statusTone[en.status] ?? 'muted'}>{t(`status.${en.status}`)}</Badge>
                      {en.reason && <span className="muted small"> {en.reason}</span>}
                    </>
                  ),
                },
                {
                  head: t('creators.rate'),
                  cell: (en) => <OwnRate enrollment={en} currency={currencyOf(en.programId)} />,
                },
                {
                  head: t('creators.last30'),
                  cell: (en) => {
                    const results = resultsOf(en.programId, en.creatorId);
                    return <CreatorResults row={results?.row} currency={results?.currency ?? null} />;
                  },
                },
                { head: t('creators.since'), cell: (en) => date(en.createdAt) },
                {
                  head: <span className="sr-only">{t('creators.confirm')}</span>,
                  cell: (en) => <Decide enrollment={en} />,
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
      <CreatorCodes programs={programs.data?.data ?? []} enrollments={enrollments.data?.data ?? []} />
    </>
  );
}
