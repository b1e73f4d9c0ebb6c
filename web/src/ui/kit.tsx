import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useState } from 'react';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { ApiError } from '../api.js';
import { useT } from '../i18n/index.js';

export function Card({ title, children, actions }: { title?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card">
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

/** A labelled input with its help text and its error, both tied to it for screen readers. */
export function Field({
  label,
  help,
  error,
  children,
}: {
  label: ReactNode;
  help?: ReactNode;
  error?: string | undefined;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true } : {}),
      })}
      {help && (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Puts the API's field errors (`body.x.y`) next to the fields of a form; what is left is returned. */
export function applyServerErrors<T extends FieldValues>(
  form: UseFormReturn<T>,
  err: unknown,
  map: (path: string) => string = (p) => p,
): string | undefined {
  if (!(err instanceof ApiError)) return String(err);
  let placed = false;
  for (const f of err.fields) {
    const name = map(f.path.replace(/^body\./, ''));
    if (name) {
      form.setError(name as Path<T>, { message: f.message });
      placed = true;
    }
  }
  return placed ? undefined : err.message;
}

/** Keeps what is typed in a form across a lost session: restored when the form comes back. */
export function useDraft<T extends FieldValues>(key: string, form: UseFormReturn<T>) {
  useEffect(() => {
    const saved = sessionStorage.getItem(`draft:${key}`);
    if (saved) form.reset({ ...form.getValues(), ...(JSON.parse(saved) as T) });
    const sub = form.watch((values) => sessionStorage.setItem(`draft:${key}`, JSON.stringify(values)));
    return () => sub.unsubscribe();
  }, [key, form]);
  return () => sessionStorage.removeItem(`draft:${key}`);
}

/** Loading, failure (with a retry) and empty states for a query: never a blank page. */
export function QueryState<T>({
  query,
  children,
  empty,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  empty?: (data: T) => boolean;
}) {
  const { t } = useT();
  if (query.isPending) {
    return (
      <p className="state" aria-live="polite">
        {t('app.loading')}
      </p>
    );
  }
  if (query.isError) {
    const offline = query.error instanceof ApiError && query.error.status === 0;
    return (
      <div className="state state-error" role="alert">
        <p>{offline ? t('app.offline') : t('app.error', { message: query.error.message })}</p>
        <button type="button" className="btn" onClick={() => void query.refetch()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  if (empty?.(query.data)) return <p className="state">{t('app.empty')}</p>;
  return <>{children(query.data)}</>;
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useT();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        })
      }
      aria-label={label ? `${t('app.copy')} ${label}` : undefined}
    >
      {done ? t('app.copied') : t('app.copy')}
    </button>
  );
}

export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
