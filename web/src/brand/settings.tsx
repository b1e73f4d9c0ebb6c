import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { createApiKeyBody } from '../../../src/accounts/schemas.js';
import { api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { ApiKey, CreatedApiKey, Member } from '../types.js';
import { applyServerErrors, Card, CopyButton, Field, PageTitle, QueryState } from '../ui/kit.js';

type KeyInput = z.input<typeof createApiKeyBody>;

function ApiKeys() {
  const { t, date } = useT();
  const client = useQueryClient();
  const [created, setCreated] = useState<CreatedApiKey>();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api<Page<ApiKey>>('GET', '/api-keys') });
  const form = useForm<KeyInput>({
    resolver: zodResolver(createApiKeyBody),
    defaultValues: { name: '', role: 'manager' },
  });
  const create = useMutation({
    mutationFn: (v: KeyInput) => api<CreatedApiKey>('POST', '/api-keys', v),
    onSuccess: async (k) => {
      setCreated(k);
      form.reset({ name: '', role: 'manager' });
      await client.invalidateQueries({ queryKey: ['api-keys'] });
    },
    onError: (err) => applyServerErrors(form, err),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api-keys/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <Card title={t('settings.keys')}>
      <p className="muted">{t('settings.keysHelp')}</p>
      {created && (
        <div className="notice secret" role="status">
          <p>{t('settings.keyShownOnce')}</p>
          <code>{created.key}</code> <CopyButton text={created.key} label={created.name} />
        </div>
      )}
      <form className="row" onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
        <Field label={t('settings.keyName')} error={form.formState.errors.name?.message}>
          {(p) => <input {...p} {...form.register('name')} />}
        </Field>
        <Field label={t('settings.keyRole')}>
          {(p) => (
            <select {...p} {...form.register('role')}>
              {(['viewer', 'manager', 'owner'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field field-button">
          <button className="btn btn-primary" type="submit" disabled={create.isPending}>
            {t('settings.keyCreate')}
          </button>
        </div>
      </form>
      <QueryState query={keys} empty={(p) => p.data.length === 0}>
        {(page) => (
          <ul className="plain keys">
            {page.data.map((k) => (
              <li key={k.id}>
                <strong>{k.name}</strong> <code>{k.prefix}…</code>{' '}
                {t(`role.${k.role === 'creator' ? 'viewer' : k.role}`)} · {date(k.createdAt)}{' '}
                <button className="btn btn-small btn-ghost" type="button" onClick={() => revoke.mutate(k.id)}>
                  {t('settings.keyRevoke')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Card>
  );
}

function Members() {
  const { t, date } = useT();
  const members = useQuery({ queryKey: ['members'], queryFn: () => api<Page<Member>>('GET', '/workspace/members') });
  return (
    <Card title={t('settings.members')}>
      <QueryState query={members}>
        {(page) => (
          <ul className="plain">
            {page.data.map((m) => (
              <li key={m.userId}>
                <strong>{m.name}</strong> {m.email} · {t(`role.${m.role}`)} · {date(m.since)}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Card>
  );
}

export function Settings() {
  const { t } = useT();
  return (
    <>
      <PageTitle>{t('settings.title')}</PageTitle>
      <ApiKeys />
      <Members />
    </>
  );
}
