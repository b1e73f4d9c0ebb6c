import type { FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';

/**
 * Validates a form with one of the server's own schemas: the form's values (in the units people
 * type: 15 %, 50.00 €) are turned into the API's body, checked by the schema, and each issue is
 * put back on the field it came from. What the schema accepts is what the server accepts.
 */
export function serverSchemaResolver<F extends FieldValues, S extends z.ZodType>(
  schema: S,
  toBody: (values: F) => unknown,
  fieldOf: (path: string) => string = (p) => p,
): Resolver<F> {
  return async (values) => {
    const parsed = schema.safeParse(toBody(values));
    if (parsed.success) return { values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of parsed.error.issues) {
      const name = fieldOf(issue.path.join('.'));
      if (!errors[name]) errors[name] = { type: issue.code, message: issue.message };
    }
    return { values: {}, errors: errors as unknown as FieldErrors<F> };
  };
}

/** Text typed as a decimal amount, in minor units: "49,90" or "49.90" → 4990. NaN when it is not a number. */
export function toMinor(text: string, digits = 2): number {
  const n = Number(text.trim().replace(/\s/g, '').replace(',', '.'));
  return text.trim() === '' || !Number.isFinite(n) ? Number.NaN : Math.round(n * 10 ** digits);
}

export const fromMinor = (minor: number, digits = 2) => (minor / 10 ** digits).toFixed(digits);

/** A percentage as people type it ("12,5" or "12.5") in basis points: 1250. NaN when it is not a number. */
export const bpsOf = (text: string) => Math.round(Number(text.trim().replace(',', '.')) * 100);
