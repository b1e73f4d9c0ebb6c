import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { putBioBody } from '../../../src/bio/schemas.js';
import { api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { BioPage, Link } from '../types.js';
import { applyServerErrors, Card, Field, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { getOrNull } from '../ui/pages.js';
import { serverSchemaResolver } from '../ui/resolver.js';

interface BioForm {
  handle: string;
  title: string;
  bio: string;
  avatarUrl: string;
  language: 'auto' | 'en' | 'fi';
  background: string;
  text: string;
  button: string;
  buttonText: string;
  links: { linkId: string; label: string }[];
}

const toBody = (v: BioForm) => ({
  handle: v.handle,
  title: v.title,
  bio: v.bio.trim() === '' ? null : v.bio,
  avatarUrl: v.avatarUrl.trim() === '' ? null : v.avatarUrl.trim(),
  language: v.language,
  theme: { background: v.background, text: v.text, button: v.button, buttonText: v.buttonText },
  links: v.links,
});

const fieldOf = (path: string) => (path.startsWith('theme.') ? path.slice(6) : path);

/** The page as visitors will see it, drawn from what is typed: the same layout and colours. */
function Preview({ v, links }: { v: BioForm; links: Link[] }) {
  const { t } = useT();
  return (
    <section className="phone" aria-label={t('bio.preview')}>
      <div className="bio-preview" style={{ background: v.background, color: v.text }}>
        {v.avatarUrl.startsWith('https://') && <img src={v.avatarUrl} alt="" className="bio-avatar" />}
        <p className="bio-title">{v.title || '…'}</p>
        {v.bio && <p className="bio-text">{v.bio}</p>}
        {v.links.map((l) => (
          <div key={l.linkId} className="bio-link-wrap">
            <span className="bio-link" style={{ background: v.button, color: v.buttonText }}>
              {l.label || links.find((x) => x.id === l.linkId)?.slug}
            </span>
            <span className="bio-disclosure">{t('bio.disclosure')}</span>
          </div>
        ))}
      </div>
    </section>
  );
}

function Editor({ page, links }: { page: BioPage | null; links: Link[] }) {
  const { t } = useT();
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const form = useForm<BioForm>({
    defaultValues: {
      handle: page?.handle ?? '',
      title: page?.title ?? '',
      bio: page?.bio ?? '',
      avatarUrl: page?.avatarUrl ?? '',
      language: page?.language ?? 'auto',
      background: page?.theme?.background ?? '#f6f4f0',
      text: page?.theme?.text ?? '#1d1b19',
      button: page?.theme?.button ?? '#1d1b19',
      buttonText: page?.theme?.buttonText ?? '#ffffff',
      links: page?.links.map((l) => ({ linkId: l.linkId, label: l.label })) ?? [],
    },
    resolver: serverSchemaResolver(putBioBody, toBody, fieldOf),
  });
  const list = useFieldArray({ control: form.control, name: 'links' });
  const values = form.watch();
  const save = useMutation({
    mutationFn: (v: BioForm) => api<BioPage>('PUT', '/creators/me/bio', toBody(v)),
    onSuccess: async () => {
      setSaved(true);
      await client.invalidateQueries({ queryKey: ['bio'] });
    },
    onError: (err) => setError(applyServerErrors(form, err, fieldOf)),
  });
  const e = form.formState.errors;
  const unused = links.filter((l) => !values.links.some((x) => x.linkId === l.id));
  const url = `${location.origin}/@${values.handle || '…'}`;
  return (
    <div className="bio-editor">
      <form
        className="form"
        onSubmit={form.handleSubmit((v) => save.mutate(v))}
        noValidate
        onChange={() => setSaved(false)}
      >
        <Card>
          <Field label={t('bio.handle')} help={t('bio.handleHelp', { url })} error={e.handle?.message}>
            {(p) => <input {...p} autoCapitalize="none" spellCheck={false} {...form.register('handle')} />}
          </Field>
          <Field label={t('bio.pageTitle')} error={e.title?.message}>
            {(p) => <input {...p} {...form.register('title')} />}
          </Field>
          <Field label={t('bio.text')} error={e.bio?.message}>
            {(p) => <textarea {...p} rows={2} maxLength={280} {...form.register('bio')} />}
          </Field>
          <Field label={t('bio.avatar')} error={e.avatarUrl?.message}>
            {(p) => <input {...p} type="url" spellCheck={false} {...form.register('avatarUrl')} />}
          </Field>
          <Field label={t('bio.language')}>
            {(p) => (
              <select {...p} {...form.register('language')}>
                {(['auto', 'en', 'fi'] as const).map((l) => (
                  <option key={l} value={l}>
                    {t(`bio.language.${l}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="colours">
            <legend>{t('bio.colours')}</legend>
            {(['background', 'text', 'button', 'buttonText'] as const).map((c) => (
              <Field key={c} label={t(`bio.colour.${c}`)} error={e[c]?.message}>
                {(p) => <input {...p} type="color" {...form.register(c)} />}
              </Field>
            ))}
          </fieldset>
        </Card>
        <Card title={t('bio.links')}>
          <ol className="bio-links">
            {list.fields.map((f, i) => {
              const link = links.find((l) => l.id === f.linkId);
              const check = page?.links.find((l) => l.linkId === f.linkId)?.destinationCheck;
              return (
                <li key={f.id}>
                  <Field
                    label={`${t('bio.label')} · ${link?.slug ?? f.linkId}`}
                    error={e.links?.[i]?.label?.message ?? e.links?.[i]?.linkId?.message}
                  >
                    {(p) => <input {...p} {...form.register(`links.${i}.label`)} />}
                  </Field>
                  {check?.broken && (
                    <p className="error" role="alert">
                      {t('bio.broken', { status: check.httpStatus ?? '' })}
                    </p>
                  )}
                  <div className="row-actions">
                    {i > 0 && (
                      <button className="btn btn-small btn-ghost" type="button" onClick={() => list.move(i, i - 1)}>
                        {t('bio.up')}
                      </button>
                    )}
                    <button className="btn btn-small btn-ghost" type="button" onClick={() => list.remove(i)}>
                      {t('bio.remove')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
          {unused.length > 0 && (
            <label className="add-link">
              {t('bio.addLink')}{' '}
              <select
                value=""
                onChange={(ev) => {
                  const l = links.find((x) => x.id === ev.target.value);
                  if (l)
                    list.append({ linkId: l.id, label: new URL(l.destinationUrl).pathname.split('/').pop() || l.slug });
                }}
              >
                <option value="">…</option>
                {unused.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.slug} → {new URL(l.destinationUrl).hostname}
                    {new URL(l.destinationUrl).pathname}
                  </option>
                ))}
              </select>
            </label>
          )}
        </Card>
        <FormError message={error} />
        <div className="actions">
          <button className="btn btn-primary" type="submit" disabled={save.isPending}>
            {save.isPending ? t('app.saving') : t('app.save')}
          </button>
          {saved && (
            <>
              <span className="ok" role="status">
                {t('app.saved')}
              </span>
              <a className="btn btn-ghost" href={`/@${values.handle}`} target="_blank" rel="noreferrer">
                {t('bio.open')}
              </a>
            </>
          )}
        </div>
      </form>
      <Preview v={values} links={links} />
    </div>
  );
}

export function BioEditor() {
  const { t } = useT();
  const bio = useQuery({
    queryKey: ['bio'],
    queryFn: () => getOrNull<BioPage>('/creators/me/bio'),
  });
  const links = useQuery({ queryKey: ['links'], queryFn: () => api<Page<Link>>('GET', '/links?limit=100') });
  return (
    <>
      <PageTitle>{t('bio.title')}</PageTitle>
      <QueryState query={bio}>
        {(page) => (
          <QueryState query={links}>
            {(l) => <Editor page={page} links={l.data.filter((x) => x.status === 'enabled')} />}
          </QueryState>
        )}
      </QueryState>
    </>
  );
}
