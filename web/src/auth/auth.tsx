import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { loginBody, signupBody } from '../../../src/accounts/schemas.js';
import { api, session } from '../api.js';
import { LanguageSwitch } from '../app.js';
import { useT } from '../i18n/index.js';
import type { SessionBody } from '../types.js';
import { applyServerErrors, Field, FormError } from '../ui/kit.js';

export function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useT();
  return (
    <div className="auth">
      <main className="auth-card" id="main">
        <div className="auth-brand">
          <span className="logo" aria-hidden="true">
            K
          </span>
          <span>{t('app.name')}</span>
          <LanguageSwitch />
        </div>
        <p className="tagline">{t('auth.tagline')}</p>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

/** Where to go after logging in: back where the session ended, or the home page. */
function useAfterLogin() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  return (body: SessionBody) => {
    session.set(body.token);
    client.clear();
    const next = params.get('next');
    navigate(next?.startsWith('/') && !next.startsWith('//') ? next : body.workspace ? '/overview' : '/me/programs');
  };
}

type LoginInput = z.input<typeof loginBody>;

export function Login() {
  const { t } = useT();
  const [params] = useSearchParams();
  const done = useAfterLogin();
  const [error, setError] = useState<string>();
  const form = useForm<LoginInput>({ resolver: zodResolver(loginBody), defaultValues: { email: '', password: '' } });
  const submit = form.handleSubmit(async (values) => {
    setError(undefined);
    try {
      done(await api<SessionBody>('POST', '/auth/login', values));
    } catch (err) {
      setError(applyServerErrors(form, err));
    }
  });
  const e = form.formState.errors;
  return (
    <AuthFrame title={t('auth.login.title')}>
      {params.get('expired') && (
        <p className="notice" role="status">
          {t('app.sessionExpired')}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field label={t('auth.email')} error={e.email?.message}>
          {(p) => <input {...p} type="email" autoComplete="email" {...form.register('email')} />}
        </Field>
        <Field label={t('auth.password')} error={e.password?.message}>
          {(p) => <input {...p} type="password" autoComplete="current-password" {...form.register('password')} />}
        </Field>
        <p className="forgot">
          <Link to="/reset-password" state={{ email: form.watch('email') }}>
            {t('auth.login.forgot')}
          </Link>
        </p>
        <FormError message={error} />
        <button className="btn btn-primary btn-wide" type="submit" disabled={form.formState.isSubmitting}>
          {t('auth.login.submit')}
        </button>
      </form>
      <p className="switch">{t('auth.login.noAccount', { link: (chunks) => <Link to="/signup">{chunks}</Link> })}</p>
    </AuthFrame>
  );
}

type SignupInput = z.input<typeof signupBody>;

export function Signup() {
  const { t } = useT();
  const done = useAfterLogin();
  const [error, setError] = useState<string>();
  // An instance the world can reach answers 202 alike for every address: the email says the rest.
  const [emailSent, setEmailSent] = useState<string>();
  const form = useForm<SignupInput>({
    resolver: zodResolver(signupBody),
    defaultValues: { kind: 'brand', email: '', password: '', name: '' },
  });
  const kind = form.watch('kind');
  const submit = form.handleSubmit(async (values) => {
    setError(undefined);
    try {
      const body = kind === 'creator' ? { ...values, workspaceName: undefined } : values;
      const answer = await api<SessionBody | { accepted: true }>('POST', '/auth/signup', body);
      if ('token' in answer) done(answer);
      else setEmailSent(values.email);
    } catch (err) {
      setError(applyServerErrors(form, err));
    }
  });
  const e = form.formState.errors;
  if (emailSent) {
    return (
      <AuthFrame title={t('auth.signup.checkEmail.title')}>
        <p role="status">{t('auth.signup.checkEmail', { email: emailSent })}</p>
        <p className="switch">
          {t('auth.signup.haveAccount', { link: (chunks) => <Link to="/login">{chunks}</Link> })}
        </p>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title={t('auth.signup.title')}>
      <form onSubmit={submit} noValidate>
        <fieldset className="kind">
          <legend>{t('auth.signup.kind')}</legend>
          {(['brand', 'creator'] as const).map((k) => (
            <label key={k} className={`choice${kind === k ? ' chosen' : ''}`}>
              <input type="radio" value={k} {...form.register('kind')} />
              <strong>{t(`auth.signup.kind.${k}`)}</strong>
              <span>{t(`auth.signup.kind.${k}Help`)}</span>
            </label>
          ))}
        </fieldset>
        <Field label={t('auth.name')} error={e.name?.message}>
          {(p) => <input {...p} autoComplete="name" {...form.register('name')} />}
        </Field>
        {kind === 'brand' && (
          <Field label={t('auth.workspaceName')} error={e.workspaceName?.message}>
            {(p) => (
              <input
                {...p}
                autoComplete="organization"
                {...form.register('workspaceName', { setValueAs: (v: string) => v || undefined })}
              />
            )}
          </Field>
        )}
        <Field label={t('auth.email')} error={e.email?.message}>
          {(p) => <input {...p} type="email" autoComplete="email" {...form.register('email')} />}
        </Field>
        <Field label={t('auth.password')} help={t('auth.passwordHelp')} error={e.password?.message}>
          {(p) => <input {...p} type="password" autoComplete="new-password" {...form.register('password')} />}
        </Field>
        <FormError message={error} />
        <button className="btn btn-primary btn-wide" type="submit" disabled={form.formState.isSubmitting}>
          {t('auth.signup.submit')}
        </button>
      </form>
      <p className="switch">{t('auth.signup.haveAccount', { link: (chunks) => <Link to="/login">{chunks}</Link> })}</p>
    </AuthFrame>
  );
}
