import { z } from 'zod';
import { AppError } from '../shared/errors.js';

/** Shapes shared by every domain's routes. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      requestId: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

export const idParams = z.strictObject({ id: z.string().min(1).max(64) });

export const timestamp = z.string().meta({ format: 'date-time', example: '2026-11-28T09:30:00.000Z' });

/** A page is fetched with one extra row; its presence tells whether there is a next page. */
export function page<T extends { id: string }>(rows: T[], limit: number): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? Buffer.from(last.id).toString('base64url') : null };
}

/**
 * The id a page's `nextCursor` names. Anything else — not base64url, or not an id once decoded —
 * is refused with 400 INVALID_CURSOR instead of silently starting again from the first page.
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z]{1,8}_[0-9a-z_]{1,64}$/.test(id) || Buffer.from(id).toString('base64url') !== cursor) {
    throw new AppError('INVALID_CURSOR', 'The cursor is not one a page of this list gave: use nextCursor as it came', [
      { path: 'querystring.cursor', message: 'not a cursor of this list' },
    ]);
  }
  return id;
}

/** Responses every protected route can give, so they appear in the OpenAPI document. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
};
