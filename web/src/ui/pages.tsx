// What only the pages use, not the shell or the login: kept out of kit.tsx, which loads with the
// first page, so that the first load does not carry it (the pages share this one chunk).
import { type InputHTMLAttributes, type Key, type ReactNode, useState } from 'react';
import { ApiError, api, download } from '../api.js';
import { useT } from '../i18n/index.js';
import { Field } from './kit.js';

// Calendar days and months as the API takes them.

/** A calendar day in the browser's own time zone, as the API takes it: YYYY-MM-DD. */
export const ymd = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** This month in the browser's own time zone, as the API takes it: YYYY-MM. */
export const thisMonth = () => ymd(new Date()).slice(0, 7);

// Requests beyond api().

/** Downloads files the API answers (`download`), keeping the name of the last one saved and the last failure to show. */
export function useDownload() {
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const get = (path: string, fallbackName?: string) => {
    setError(undefined);
    download(path, fallbackName).then(setSaved, (e: Error) => setError(e.message));
  };
  return { get, error, saved };
}

/** A GET of something that may not exist yet (a profile, a plan): null when the API answers 404. */
export function getOrNull<T>(path: string): Promise<T | null> {
  return api<T>('GET', path).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
}

// Forms kept in plain React state (rows that come and go, a few inputs in a line); the larger
// forms use react-hook-form, with `applyServerErrors` and `serverSchemaResolver`.

/**
 * A failed request's field errors by field (`body.x.y` → `x.y`, `params.x` → `x`) and anything else
 * as one message, for forms kept in plain state (forms of react-hook-form use `applyServerErrors`).
 * Derived from the mutation's error, so a new attempt clears it.
 */
export function fieldErrors(err: unknown): { fields: Record<string, string>; message?: string | undefined } {
  if (err instanceof ApiError && err.fields.length > 0) {
    return { fields: Object.fromEntries(err.fields.map((f) => [f.path.replace(/^(body|params)\./, ''), f.message])) };
  }
  return { fields: {}, message: err ? (err instanceof Error ? err.message : String(err)) : undefined };
}

/** One input of a form kept in plain state, with the API's error for it. */
export function Input<V extends Record<string, string>>({
  label,
  name,
  values,
  set,
  error,
  help,
  ...props
}: {
  label: string;
  name: keyof V & string;
  values: V;
  set: (values: V) => void;
  error: string | undefined;
  help?: string;
} & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} help={help} error={error}>
      {(f) => (
        <input {...f} {...props} value={values[name]} onChange={(ev) => set({ ...values, [name]: ev.target.value })} />
      )}
    </Field>
  );
}

export interface Column<T> {
  head: ReactNode;
  cell: (row: T) => ReactNode;
  /** A figure: right-aligned, in the header too. */
  num?: boolean;
  /** The row's name: a row header (`th scope="row"`) rather than a cell. */
  rowHeader?: boolean;
  /** Shown before the cell where a table stacks on a phone (`data-label`). */
  label?: string;
  className?: string;
}

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/** A table of rows, one column per field: headers scoped for screen readers, figures right-aligned. */
export function Table<T>({
  columns,
  rows,
  rowKey,
  className,
  rowClassName,
}: {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => Key | null;
  className?: string;
  rowClassName?: (row: T) => string;
}) {
  return (
    <table className={classes('table', className)}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their place is their identity
            <th key={i} scope="col" className={classes(c.num && 'num')}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)}>
            {columns.map((c, i) =>
              c.rowHeader ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: as above
                <th key={i} scope="row" className={c.className}>
                  {c.cell(row)}
                </th>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: as above
                <td key={i} className={classes(c.num && 'num', c.className)} data-label={c.label}>
                  {c.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The program a page shows, chosen among those given (with an "all programs" choice when `all` names it). */
export function ProgramSelect({
  programs,
  value,
  onChange,
  all,
}: {
  programs: { id: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
  all?: string;
}) {
  const { t } = useT();
  return (
    <label className="filter">
      {t('analytics.program')}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {all !== undefined && <option value="">{all}</option>}
        {programs.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'muted' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export const statusTone: Record<string, 'ok' | 'warn' | 'bad' | 'muted' | 'info'> = {
  approved: 'ok',
  paid: 'ok',
  active: 'ok',
  pending: 'warn',
  processing: 'info',
  failed: 'bad',
  invited: 'info',
  applied: 'warn',
  held: 'bad',
  rejected: 'bad',
  reversed: 'muted',
  suspended: 'muted',
  archived: 'muted',
};
