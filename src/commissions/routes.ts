import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import {
  balanceQuery,
  balanceSchema,
  commissionSchema,
  listCommissionsQuery,
  rejectBody,
  releaseBody,
} from './schemas.js';
import { type CommissionsService, commissionViewerOf } from './service.js';

export const commissionRoutes: FastifyPluginAsyncZod<{ commissions: CommissionsService }> = async (
  app,
  { commissions },
) => {
  const actorOf = (p: { userId: string | null; credentialId: string } | undefined) =>
    p ? (p.userId ?? p.credentialId) : 'unknown';

  app.get(
    '/api/v1/commissions',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['commissions'],
        summary: "Ledger entries with their status and explanation: a brand's, or a creator's own",
        querystring: listCommissionsQuery,
        response: { 200: listOf(commissionSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      const rows = await commissions.list(commissionViewerOf(request.principal!), {
        limit: limit + 1,
        before: decodeCursor(cursor),
        ...filters,
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/commissions/:id',
    {
      config: { access: 'brandOrCreator', resource: 'commission' },
      schema: {
        tags: ['commissions'],
        summary: 'One ledger entry: what was earned or reversed, and why, in a sentence',
        params: idParams,
        response: { 200: commissionSchema, ...errorResponses },
      },
    },
    async (request) => commissions.get(commissionViewerOf(request.principal!), request.params.id),
  );

  app.post(
    '/api/v1/commissions/:id/release',
    {
      config: { access: 'manager', resource: 'commission' },
      schema: {
        tags: ['commissions'],
        summary: 'Release a commission held by a fraud flag after review: it is approved when its holding period ends',
        params: idParams,
        body: releaseBody,
        response: { 200: commissionSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) =>
      commissions.releaseHold(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.note,
      ),
  );

  app.post(
    '/api/v1/commissions/:id/approve',
    {
      config: { access: 'manager', resource: 'commission' },
      schema: {
        tags: ['commissions'],
        summary: 'Approve a pending commission before its holding period ends: it becomes payable now',
        description: 'A commission held for review must be released first (422 COMMISSION_LOCKED).',
        params: idParams,
        body: releaseBody,
        response: { 200: commissionSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) =>
      commissions.approveNow(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.note,
      ),
  );

  app.post(
    '/api/v1/commissions/:id/reject',
    {
      config: { access: 'manager', resource: 'commission' },
      schema: {
        tags: ['commissions'],
        summary: 'Reject a pending or approved commission, with a reason the creator sees',
        params: idParams,
        body: rejectBody,
        response: { 200: commissionSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      commissions.reject(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.reason,
      ),
  );

  app.get(
    '/api/v1/creators/:id/balance',
    {
      config: { access: 'brandOrCreator', resource: 'creator' },
      schema: {
        tags: ['commissions'],
        summary: "A creator's balance in one program, derived from the ledger",
        params: idParams,
        querystring: balanceQuery,
        response: { 200: balanceSchema, ...errorResponses },
      },
    },
    async (request) =>
      commissions.balance(commissionViewerOf(request.principal!), request.params.id, request.query.programId),
  );
};
