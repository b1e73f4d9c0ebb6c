import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { createLinkBody } from '../../../src/links/schemas.js';
import { api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Link } from '../types.js';
import { applyServerErrors, Card, CopyButton, Field, FormError, PageTitle, QueryState, useDraft } from '../ui/kit.js';
import { useDownload } from '../ui/pages.js';
import { serverSchemaResolver } from '../ui/resolver.js';
import { useMyEnrollments } from './programs.js';

const placements = ['bio', 'caption', 'comment', 'story', 'other'] as const;

interface LinkForm {
  programId: string;
  destinationUrl: string;
  placement: (typeof placements)[number];
}

function NewLink() {
  const { t } = useT();
  const client = useQueryClient();
  const enrollments = useMyEnrollments();
  const approved = enrollments.data?.data.filter((e) => e.status === 'approved') ?? [];
  const [error, setError] = useState<string>();
  const form = useForm<LinkForm>({
    defaultValues: { programId: '', destinationUrl: 'https://', placement: 'caption' },
    resolver: serverSchemaResolver(createLinkBody, (v: LinkForm) => v),
  });
  const clearDraft = useDraft('new-link', form);
  const first = approved[0]?.programId;
  useEffect(() => {
    if (first && !form.getValues('programId')) form.setValue('programId', first);
  }, [first, form]);
  const create = useMutation({
    mutationFn: (v: LinkForm) =>
      api<Link>('POST', '/links', { ...v, programId: v.programId || approved[0]?.programId }),
    onSuccess: async () => {
      clearDraft();
      form.reset({ programId: form.getValues('programId'), destinationUrl: 'https://', placement: 'caption' });
      await client.invalidateQueries({ queryKey: ['links'] });
    },
    onError: (err) => setError(applyServerErrors(form, err)),
  });
  const e = form.formState.errors;
  return (
    <Card title={t('my.links.new')}>
      <form
        className="form"
        onSubmit={form.handleSubmit((v) =>
          create.mutate({ ...v, programId: v.programId || (approved[0]?.programId ?? '') }),
        )}
        noValidate
      >
        <Field label={t('my.links.program')} error={e.programId?.message}>
          {(p) => (
            <select {...p} {...form.register('programId')}>
              {approved.map((en) => (
                <option key={en.programId} value={en.programId}>
                  {en.programName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('my.links.destination')} help={t('my.links.destinationHelp')} error={e.destinationUrl?.message}>
          {(p) => <input {...p} type="url" inputMode="url" spellCheck={false} {...form.register('destinationUrl')} />}
        </Field>
        <fieldset className="chips">
          <legend>{t('my.links.placement')}</legend>
          {placements.map((pl) => (
            <label key={pl} className="chip">
              <input type="radio" value={pl} {...form.register('placement')} />
              <span>{t(`placement.${pl}`)}</span>
            </label>
          ))}
        </fieldset>
        <FormError message={error} />
        <button className="btn btn-primary btn-wide" type="submit" disabled={create.isPending || approved.length === 0}>
          {t('my.links.create')}
        </button>
      </form>
    </Card>
  );
}

export function MyLinks() {
  const { t, date } = useT();
  const links = useQuery({ queryKey: ['links'], queryFn: () => api<Page<Link>>('GET', '/links?limit=100') });
  // The QR code comes with the session token (an image tag could not send it), saved under the server's name.
  const qr = useDownload();
  return (
    <>
      <PageTitle>{t('my.links.title')}</PageTitle>
      <NewLink />
      <FormError message={qr.error} />
      <QueryState query={links}>
        {(page) =>
          page.data.length === 0 ? (
            <Card>
              <p>{t('my.links.none')}</p>
            </Card>
          ) : (
            <ul className="cards">
              {page.data.map((l) => (
                <li key={l.id} className="card link-card">
                  <div className="link-url">
                    <code>{l.shortUrl}</code>
                  </div>
                  <p className="muted small">
                    {t(`placement.${l.placement}`)} · {date(l.createdAt)} · {new URL(l.destinationUrl).hostname}
                  </p>
                  <div className="row-actions">
                    <CopyButton text={l.shortUrl} label={l.slug} />
                    <button
                      className="btn btn-small"
                      type="button"
                      onClick={() =>
                        qr.get(`/links/${l.id}/qr?format=png&size=600`, `${l.slug.replaceAll('/', '-')}.png`)
                      }
                    >
                      {t('my.links.qr')}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}
