// The pages the account emails link to: confirming the address, setting a new password, and
// asking for either link again. Loaded only when one of them is opened.
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { emailLinkRequestBody, passwordResetBody } from '../../../src/accounts/schemas.js';
import { ApiError, api, session } from '../api.js';
import { useT } from '../i18n/index.js';
import { applyServerErrors, Field, FormError } from '../ui/kit.js';
import { AuthFrame } from './auth.js';

const isInvalidToken = (err: unknown) => err instanceof ApiError && err.code === 'INVALID_TOKEN';

/** Where a confirmed or reset account goes on: into the app when signed in, else to the login. */
function OnwardLink() {
  const { t } = useT();
  return session.token() ? (
    <Link className="btn btn-primary btn-wide" to="/">
      {t('recovery.continue')}
    </Link>
  ) : (
    <Link className="btn btn-primary btn-wide" to="/login">
      {t('auth.login.submit')}
    </Link>
  );
}

/** /verify-email?token=…: the link sent at signup. A token is used once, so it is sent once. */
export function VerifyEmail() {
  const { t } = useT();
  const token = useSearchParams()[0].get('token') ?? '';
  const client = useQueryClient();
  const verified = useQuery({
    queryKey: ['verify-email', token],
    queryFn: async () => {
      const body = await api<{ user: unknown }>('POST', '/auth/verify-email', { token });
      void client.invalidateQueries({ queryKey: ['me'] });
      return body;
    },
    enabled: token !== '',
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  if (token !== '' && verified.isPending) {
    return (
      <AuthFrame title={t('verify.title')}>
        <p className="state" aria-live="polite">
          {t('verify.checking')}
        </p>
      </AuthFrame>
    );
  }
  if (verified.isSuccess) {
    return (
      <AuthFrame title={t('verify.done.title')}>
        <p className="notice" role="status">
          {t('verify.done')}
        </p>
        <OnwardLink />
      </AuthFrame>
    );
  }
  if (token !== '' && !isInvalidToken(verified.error)) {
    return (
      <AuthFrame title={t('verify.title')}>
        <div className="state state-error" role="alert">
          <p>{t('app.error', { message: verified.error?.message ?? '' })}</p>
          <button type="button" className="btn" onClick={() => void verified.refetch()}>
            {t('app.retry')}
          </button>
        </div>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title={t('verify.invalid.title')}>
      <p className="form-error" role="alert">
        {t('verify.invalid')}
      </p>
      <NewConfirmationLink />
      <p className="switch">{t('verify.alreadyConfirmed', { link: (c) => <Link to="/login">{c}</Link> })}</p>
    </AuthFrame>
  );
}

/**
 * "Send a new link": with a session, to the signed-in person's address; without one (an account
 * waiting for confirmation cannot sign in), to the address typed, answered alike for every address.
 */
function NewConfirmationLink() {
  const { t } = useT();
  const [sentTo, setSentTo] = useState<string>();
  const [error, setError] = useState<string>();
  const form = useForm<EmailInput>({ resolver: zodResolver(emailLinkRequestBody), defaultValues: { email: '' } });
  if (sentTo !== undefined) {
    return (
      <p className="notice" role="status">
        {sentTo ? t('verify.newLink.sentTo', { email: sentTo }) : t('verify.newLink.sent')}
      </p>
    );
  }
  if (session.token()) {
    const resend = async () => {
      setError(undefined);
      try {
        await api('POST', '/auth/verify-email/resend');
        setSentTo('');
      } catch (err) {
        setError(
          err instanceof ApiError && err.code === 'EMAIL_ALREADY_VERIFIED'
            ? t('verify.newLink.alreadyVerified')
            : String((err as Error).message),
        );
      }
    };
    return (
      <>
        <FormError message={error} />
        <button type="button" className="btn btn-wide" onClick={() => void resend()}>
          {t('verify.newLink')}
        </button>
      </>
    );
  }
  const submit = form.handleSubmit(async (values) => {
    setError(undefined);
    try {
      await api('POST', '/auth/verify-email/request', values);
      setSentTo(values.email);
    } catch (err) {
      setError(applyServerErrors(form, err));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Field label={t('auth.email')} help={t('verify.newLink.help')} error={form.formState.errors.email?.message}>
        {(p) => <input {...p} type="email" autoComplete="email" {...form.register('email')} />}
      </Field>
      <FormError message={error} />
      <button className="btn btn-wide" type="submit" disabled={form.formState.isSubmitting}>
        {t('verify.newLink')}
      </button>
    </form>
  );
}

type EmailInput = z.input<typeof emailLinkRequestBody>;
type ResetInput = z.input<typeof passwordResetBody>;

/** /reset-password?token=…: a new password; without a token, asking for the link. */
export function ResetPassword() {
  const token = useSearchParams()[0].get('token');
  return token ? <NewPassword token={token} /> : <ForgotPassword />;
}

function ForgotPassword() {
  const { t } = useT();
  const typed = (useLocation().state as { email?: string } | null)?.email ?? '';
  const [sentTo, setSentTo] = useState<string>();
  const [error, setError] = useState<string>();
  const form = useForm<EmailInput>({ resolver: zodResolver(emailLinkRequestBody), defaultValues: { email: typed } });
  const submit = form.handleSubmit(async (values) => {
    setError(undefined);
    try {
      await api('POST', '/auth/password-reset', values);
      setSentTo(values.email);
    } catch (err) {
      setError(applyServerErrors(form, err));
    }
  });
  return (
    <AuthFrame title={t('reset.request.title')}>
      {sentTo ? (
        <p className="notice" role="status">
          {t('reset.request.sent', { email: sentTo })}
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p className="muted">{t('reset.request.intro')}</p>
          <Field label={t('auth.email')} error={form.formState.errors.email?.message}>
            {(p) => <input {...p} type="email" autoComplete="email" {...form.register('email')} />}
          </Field>
          <FormError message={error} />
          <button className="btn btn-primary btn-wide" type="submit" disabled={form.formState.isSubmitting}>
            {t('reset.request.submit')}
          </button>
        </form>
      )}
      <p className="switch">{t('reset.backToLogin', { link: (c) => <Link to="/login">{c}</Link> })}</p>
    </AuthFrame>
  );
}

function NewPassword({ token }: { token: string }) {
  const { t } = useT();
  const [state, setState] = useState<'form' | 'done' | 'invalid'>('form');
  const [error, setError] = useState<string>();
  const form = useForm<ResetInput>({
    resolver: zodResolver(passwordResetBody),
    defaultValues: { token, password: '' },
  });
  const submit = form.handleSubmit(async (values) => {
    setError(undefined);
    try {
      await api('POST', '/auth/password-reset/confirm', values);
      // Every session of the account ended with the change, this browser's too.
      session.clear();
      setState('done');
    } catch (err) {
      if (isInvalidToken(err)) setState('invalid');
      else setError(applyServerErrors(form, err));
    }
  });
  if (state === 'done') {
    return (
      <AuthFrame title={t('reset.done.title')}>
        <p className="notice" role="status">
          {t('reset.done')}
        </p>
        <OnwardLink />
      </AuthFrame>
    );
  }
  if (state === 'invalid' || form.formState.errors.token) {
    return (
      <AuthFrame title={t('reset.invalid.title')}>
        <p className="form-error" role="alert">
          {t('reset.invalid')}
        </p>
        <Link className="btn btn-primary btn-wide" to="/reset-password">
          {t('reset.invalid.again')}
        </Link>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title={t('reset.title')}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('reset.password')}
          help={t('auth.passwordHelp')}
          error={form.formState.errors.password?.message}
        >
          {(p) => <input {...p} type="password" autoComplete="new-password" {...form.register('password')} />}
        </Field>
        <FormError message={error} />
        <button className="btn btn-primary btn-wide" type="submit" disabled={form.formState.isSubmitting}>
          {t('reset.submit')}
        </button>
      </form>
    </AuthFrame>
  );
}
