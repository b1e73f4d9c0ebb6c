import '../pages.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { putIntegrationBody } from '../../../src/integrations/schemas.js';
import { api, type Page } from '../api.js';
import { useT } from '../i18n/index.js';
import type { Integration } from '../types.js';
import { applyServerErrors, Card, CopyButton, Field, FormError, PageTitle, QueryState } from '../ui/kit.js';
import { Badge, ProgramSelect } from '../ui/pages.js';
import { serverSchemaResolver } from '../ui/resolver.js';
import { useProgramParam } from './programs.js';

const platforms = ['shopify', 'woocommerce', 'stripe'] as const;
type Platform = (typeof platforms)[number];
const names: Record<Platform, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce', stripe: 'Stripe' };

interface Delivery {
  id: string;
  topic: string | null;
  test: boolean;
  verified: boolean;
  refusal: string | null;
  outcome: string;
  summary: string | null;
  receivedAt: string;
}
interface TestAnswer {
  verified: boolean;
  summary: string;
}

function Deliveries({ programId, platform }: { programId: string; platform: Platform }) {
  const { t, dateTime } = useT();
  const log = useQuery({
    queryKey: ['deliveries', programId, platform],
    queryFn: () =>
      api<Page<Delivery> & { unconfigured: { count: number } | null }>(
        'GET',
        `/programs/${programId}/integrations/${platform}/deliveries?limit=10`,
      ),
  });
  return (
    <QueryState query={log}>
      {(page) =>
        page.data.length === 0 ? (
          <p className="muted small">{t('integrations.noDeliveries')}</p>
        ) : (
          <ul className="plain deliveries">
            {page.data.map((d) => (
              <li key={d.id}>
                <Badge tone={d.verified ? 'ok' : 'bad'}>
                  {d.verified ? t('integrations.verified') : t('integrations.refused')}
                </Badge>{' '}
                {d.test && <Badge tone="info">{t('integrations.test')}</Badge>}{' '}
                <span className="muted small">
                  {dateTime(d.receivedAt)} · {d.topic ?? '–'}
                </span>
                <p className="small">{d.refusal ?? d.summary ?? d.outcome}</p>
              </li>
            ))}
          </ul>
        )
      }
    </QueryState>
  );
}

function PlatformCard({
  programId,
  platform,
  current,
}: {
  programId: string;
  platform: Platform;
  current: Integration | undefined;
}) {
  const { t } = useT();
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const url = `${window.location.origin}/api/v1/integrations/${platform}/${programId}/webhook`;
  const form = useForm<{ webhookSecret: string }>({
    defaultValues: { webhookSecret: '' },
    resolver: serverSchemaResolver(putIntegrationBody, (v) => v as z.input<typeof putIntegrationBody>),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['integrations', programId] });
  const save = useMutation({
    mutationFn: (v: { webhookSecret: string }) =>
      api<Integration>('PUT', `/programs/${programId}/integrations/${platform}`, v),
    onMutate: () => setError(undefined),
    onSuccess: async () => {
      form.reset({ webhookSecret: '' });
      await refresh();
    },
    onError: (err) => setError(applyServerErrors(form, err)),
  });
  const test = useMutation({
    mutationFn: () => api<TestAnswer>('POST', `/programs/${programId}/integrations/${platform}/test`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['deliveries', programId, platform] }),
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/programs/${programId}/integrations/${platform}`),
    onSuccess: refresh,
  });
  return (
    <Card
      title={names[platform]}
      actions={
        current ? (
          <Badge tone="ok">{t('integrations.connected', { hint: current.secretHint })}</Badge>
        ) : (
          <Badge tone="muted">{t('integrations.notConnected')}</Badge>
        )
      }
    >
      <p className="help">{t(`integrations.help.${platform}`)}</p>
      <div className="link-url">
        <code>{url}</code> <CopyButton text={url} label={t('integrations.url')} />
      </div>
      <form className="inline-form" onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <Field
          label={t('integrations.secret')}
          help={t('integrations.secretHelp')}
          error={form.formState.errors.webhookSecret?.message}
        >
          {(p) => <input {...p} type="password" autoComplete="off" {...form.register('webhookSecret')} />}
        </Field>
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>
          {t('app.save')}
        </button>
      </form>
      <FormError message={error} />
      {current && (
        <div className="actions">
          <button className="btn" type="button" onClick={() => test.mutate()} disabled={test.isPending}>
            {t('integrations.sendTest')}
          </button>
          <button className="btn btn-ghost" type="button" onClick={() => remove.mutate()}>
            {t('integrations.remove')}
          </button>
        </div>
      )}
      {test.data && (
        <p className={test.data.verified ? 'ok' : 'error'} role="status">
          {test.data.summary}
        </p>
      )}
      <FormError message={test.error?.message ?? remove.error?.message} />
      <h3 className="small">{t('integrations.log')}</h3>
      <Deliveries programId={programId} platform={platform} />
    </Card>
  );
}

/** Each shop platform's webhook: its address, its signing secret, a test event and the delivery log. */
export function Integrations() {
  const { t } = useT();
  const { programs, list, programId, setProgramId } = useProgramParam();
  const integrations = useQuery({
    queryKey: ['integrations', programId],
    queryFn: () => api<Page<Integration>>('GET', `/programs/${programId}/integrations`),
    enabled: programId !== '',
  });
  return (
    <>
      <PageTitle>{t('integrations.title')}</PageTitle>
      <p className="muted">{t('integrations.intro')}</p>
      <QueryState query={programs} empty={(p) => p.data.length === 0}>
        {() => (
          <>
            {list.length > 1 && (
              <div className="filters">
                <ProgramSelect programs={list} value={programId} onChange={setProgramId} />
              </div>
            )}
            <QueryState query={integrations}>
              {(page) => (
                <>
                  {platforms.map((pl) => (
                    <PlatformCard
                      key={`${programId}:${pl}`}
                      programId={programId}
                      platform={pl}
                      current={page.data.find((i) => i.platform === pl)}
                    />
                  ))}
                </>
              )}
            </QueryState>
          </>
        )}
      </QueryState>
    </>
  );
}
