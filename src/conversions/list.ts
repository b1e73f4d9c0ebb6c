import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commissionsOfConversion } from '../commissions/repository.js';
import type { Db, DbOrTx } from '../db/database.js';
import { decodeCursor, errorResponses, listOf, page, timestamp } from '../http/schemas.js';
import { type WorkspaceScope, workspaceScope } from '../shared/principal.js';
import { conversionView } from './read.js';
import { linesOf, listWorkspaceConversions } from './repository.js';
import { type ConversionView, conversionSchema } from './schemas.js';

export const listConversionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
  programId: z.string().max(64).optional(),
  creatorId: z.string().max(64).optional(),
  kind: z.enum(['sale', 'lead']).optional(),
  attribution: z
    .enum(['code', 'click', 'customer', 'none'])
    .optional()
    .meta({ description: "How the conversion was attributed; 'none' for those no creator earned" }),
  from: timestamp.optional().meta({ description: 'Conversions that occurred at or after this time' }),
  to: timestamp.optional().meta({ description: 'Conversions that occurred before this time' }),
});

export type ListConversionsFilters = Omit<z.infer<typeof listConversionsQuery>, 'cursor' | 'limit'>;

/** The workspace's conversions, newest first (by id), with their lines and ledger entries. */
export async function listConversions(
  db: DbOrTx,
  scope: WorkspaceScope,
  opts: ListConversionsFilters & { limit: number; before: string | undefined },
): Promise<ConversionView[]> {
  const rows = await listWorkspaceConversions(db, scope, opts);
  const views: ConversionView[] = [];
  for (const c of rows) {
    views.push(conversionView(c, await linesOf(db, c.id), await commissionsOfConversion(db, c.id)));
  }
  return views;
}

export const conversionListRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/v1/conversions',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['tracking'],
        summary: "The workspace's sales and leads, newest first, each with how it was attributed and its commissions",
        querystring: listConversionsQuery,
        response: { 200: listOf(conversionSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      const rows = await listConversions(db, workspaceScope(request.principal), {
        ...filters,
        limit: limit + 1,
        before: decodeCursor(cursor),
      });
      return page(rows, limit);
    },
  );
};
