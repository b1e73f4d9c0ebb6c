import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { errorResponses, idParams } from '../http/schemas.js';
import { AppError, notFound } from '../shared/errors.js';
import { workspaceScope } from '../shared/principal.js';
import { brandStatement } from './brand-statement.js';
import { creatorStatement } from './creator-statement.js';
import { brandCsv, brandHtml, creatorCsv, creatorHtml } from './render.js';
import {
  brandCreatorStatementQuery,
  brandStatementQuery,
  brandStatementSchema,
  creatorStatementQuery,
  creatorStatementSchema,
} from './schemas.js';

/** Printable pages: their own inline styles, nothing else. */
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/** Sets the answer's type for the format and gives the body: the statement, or its CSV or HTML text. */
function render<T>(
  reply: { type(t: string): unknown; header(k: string, v: string): unknown },
  format: 'json' | 'csv' | 'html',
  name: string,
  statement: T,
  csv: (s: T) => string,
  html: (s: T) => string,
): T | string {
  if (format === 'csv') {
    reply.type('text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${name}.csv"`);
    return csv(statement);
  }
  if (format === 'html') {
    reply.type('text/html; charset=utf-8');
    reply.header('content-security-policy', HTML_CSP);
    return html(statement);
  }
  return statement;
}

export const statementRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/v1/statements/creator',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['statements'],
        summary: "The creator's statement for a month and program: every entry with its explanation",
        querystring: creatorStatementQuery,
        response: { 200: creatorStatementSchema.or(z.string()), ...errorResponses },
      },
    },
    async (request, reply) => {
      const creatorId = request.principal?.creatorId;
      if (!creatorId) throw new AppError('FORBIDDEN', 'This needs a creator account');
      const { programId, month, format, lang } = request.query;
      const statement = await creatorStatement(db, { creatorId, programId, month });
      return render(reply, format, `statement-${month}-${programId}`, statement, creatorCsv, (s) =>
        creatorHtml(s, lang),
      );
    },
  );

  app.get(
    '/api/v1/programs/:id/statements/creator',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['statements'],
        summary: "A creator's statement for a month in one of the brand's programs",
        params: idParams,
        querystring: brandCreatorStatementQuery,
        response: { 200: creatorStatementSchema.or(z.string()), ...errorResponses },
      },
    },
    async (request, reply) => {
      workspaceScope(request.principal);
      const { creatorId, month, format, lang } = request.query;
      const statement = await creatorStatement(db, { creatorId, programId: request.params.id, month }).catch(
        (err: unknown) => {
          // The program is the brand's (checked before); an unknown creator is what is missing.
          if (err instanceof AppError && err.code === 'NOT_FOUND') throw notFound('Creator');
          throw err;
        },
      );
      return render(reply, format, `statement-${month}-${creatorId}`, statement, creatorCsv, (s) =>
        creatorHtml(s, lang),
      );
    },
  );

  app.get(
    '/api/v1/statements/brand',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['statements'],
        summary: "The brand's statement for a month: sales, commissions, payouts and network fees",
        querystring: brandStatementQuery,
        response: { 200: brandStatementSchema.or(z.string()), ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = workspaceScope(request.principal);
      const { month, format, lang } = request.query;
      const statement = await brandStatement(db, { workspaceId: scope.workspaceId, month });
      return render(reply, format, `statement-${month}`, statement, brandCsv, (s) => brandHtml(s, lang));
    },
  );
};
