// Forms kept in plain React state (rows that come and go, a few inputs in a line); the larger
// forms use react-hook-form, with `applyServerErrors` and `serverSchemaResolver`.
import type { InputHTMLAttributes } from 'react';
import { ApiError } from '../api.js';
import { Field } from './kit.js';

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
