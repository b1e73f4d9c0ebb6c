import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, listQuery, page } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import { workspaceScope } from '../shared/principal.js';
import type { PayoutProfilesService } from './profiles.js';
import type { PayoutReadsService } from './reads.js';
import type { PayoutRunsService } from './runs.js';
import {
  listFlagsQuery,
  payoutFlagSchema,
  payoutProfileBody,
  payoutProfileSchema,
  payoutSettingsBody,
  payoutSettingsSchema,
  resolveFlagBody,
  runBody,
  runDetailSchema,
  runResultSchema,
} from './schemas.js';
import type { PayoutSettingsService } from './settings.js';

export interface PayoutServices {
  profiles: PayoutProfilesService;
  settings: PayoutSettingsService;
  runs: PayoutRunsService;
  reads: PayoutReadsService;
}

export const actorOf = (p: { userId: string | null; credentialId: string } | undefined) =>
  p ? (p.userId ?? p.credentialId) : 'unknown';

/** Payout profiles, a program's payout settings, payout runs and the duplicate-details flags. */
export const payoutRoutes: FastifyPluginAsyncZod<PayoutServices> = async (app, { profiles, settings, runs, reads }) => {
  const creatorOf = (p: { creatorId: string | null } | undefined): string => {
    if (!p?.creatorId) throw new AppError('FORBIDDEN', 'This needs a creator account');
    return p.creatorId;
  };

  app.get(
    '/api/v1/creators/me/payout-profile',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['payouts'],
        summary: "The creator's payout profile, bank details masked",
        response: { 200: payoutProfileSchema, ...errorResponses },
      },
    },
    async (request) => profiles.get(creatorOf(request.principal)),
  );

  app.put(
    '/api/v1/creators/me/payout-profile',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['payouts'],
        summary:
          'Set how the creator is paid (PayPal, SEPA, Wise, Stripe Connect or manual) and the tax and invoicing details',
        body: payoutProfileBody,
        response: { 200: payoutProfileSchema, ...errorResponses },
      },
    },
    async (request) => profiles.put(creatorOf(request.principal), request.body),
  );

  app.get(
    '/api/v1/programs/:id/payout-settings',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['payouts'],
        summary: "The program's payout methods, schedule and requirements",
        params: idParams,
        response: { 200: payoutSettingsSchema, ...errorResponses },
      },
    },
    async (request) => settings.get(workspaceScope(request.principal), request.params.id),
  );

  app.put(
    '/api/v1/programs/:id/payout-settings',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['payouts'],
        summary: "Change the program's payout methods, schedule (manual, weekly, monthly) and requirements",
        params: idParams,
        body: payoutSettingsBody,
        response: { 200: payoutSettingsSchema, ...errorResponses },
      },
    },
    async (request) => settings.put(workspaceScope(request.principal), request.params.id, request.body),
  );

  app.post(
    '/api/v1/programs/:id/payouts',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['payouts'],
        summary:
          "Run payouts: each creator's approved, unpaid entries, netted, paid once they reach the minimum; dryRun previews",
        params: idParams,
        body: runBody,
        response: { 200: runResultSchema, 201: runResultSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const result = await runs.run(workspaceScope(request.principal), request.params.id, request.body, {
        trigger: 'api',
        actor: actorOf(request.principal),
      });
      return reply.status(request.body.dryRun ? 200 : 201).send(result);
    },
  );

  app.get(
    '/api/v1/programs/:id/payout-runs',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['payouts'],
        summary: "The program's payout runs, newest first",
        params: idParams,
        querystring: listQuery,
        response: { 200: listOf(runDetailSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await reads.runs(workspaceScope(request.principal), request.params.id, {
        limit: limit + 1,
        before: decodeCursor(cursor),
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/payout-runs/:id',
    {
      config: { access: 'viewer', resource: 'payoutRun' },
      schema: {
        tags: ['payouts'],
        summary: 'A payout run: its totals by status and the creators carried forward or blocked',
        params: idParams,
        response: { 200: runDetailSchema, ...errorResponses },
      },
    },
    async (request) => reads.run(workspaceScope(request.principal), request.params.id),
  );

  app.get(
    '/api/v1/programs/:id/payout-flags',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['payouts'],
        summary: "Creators of the program whose payout details equal another creator's: paid only after review",
        params: idParams,
        querystring: listFlagsQuery,
        response: { 200: listOf(payoutFlagSchema), ...errorResponses },
      },
    },
    async (request) => ({
      data: await reads.flags(workspaceScope(request.principal), request.params.id, request.query.status),
      nextCursor: null,
    }),
  );

  app.post(
    '/api/v1/payout-flags/:id/resolve',
    {
      config: { access: 'manager', resource: 'payoutFlag' },
      schema: {
        tags: ['payouts'],
        summary: 'Review shared payout details: cleared lets both creators be paid; confirmed keeps them blocked',
        params: idParams,
        body: resolveFlagBody,
        response: { 200: payoutFlagSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) =>
      reads.resolveFlag(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.resolution,
        request.body.note,
      ),
  );
};
