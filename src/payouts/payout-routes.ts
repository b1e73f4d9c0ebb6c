import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import type { PayoutExportsService } from './exports.js';
import type { PayoutLifecycleService } from './lifecycle.js';
import { type PayoutReadsService, payoutViewerOf } from './reads.js';
import { actorOf } from './routes.js';
import {
  exportQuery,
  failBody,
  listPayoutsQuery,
  markPaidBody,
  payoutDetailSchema,
  payoutSchema,
  runActionBody,
  sendRunResultSchema,
} from './schemas.js';

const fileResponse = z.any().meta({
  description: 'The payout file: SEPA pain.001 XML, or a PayPal or Wise batch CSV, streamed',
});

/** Payouts, their files and their statuses. */
export const payoutItemRoutes: FastifyPluginAsyncZod<{
  reads: PayoutReadsService;
  exports: PayoutExportsService;
  lifecycle: PayoutLifecycleService;
}> = async (app, { reads, exports, lifecycle }) => {
  app.get(
    '/api/v1/payouts',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['payouts'],
        summary: "Payouts, newest first: a brand's, or a creator's own with a sentence on each status",
        querystring: listPayoutsQuery,
        response: { 200: listOf(payoutSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      const rows = await reads.list(payoutViewerOf(request.principal!), {
        limit: limit + 1,
        before: decodeCursor(cursor),
        ...filters,
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/payouts/:id',
    {
      config: { access: 'brandOrCreator', resource: 'payout' },
      schema: {
        tags: ['payouts'],
        summary: 'A payout with its entries and the history of its status',
        params: idParams,
        response: { 200: payoutDetailSchema, ...errorResponses },
      },
    },
    async (request) => reads.get(payoutViewerOf(request.principal!), request.params.id),
  );

  const sendFile = async (
    request: { principal: Parameters<typeof workspaceScope>[0]; query: z.infer<typeof exportQuery> },
    reply: { header(k: string, v: string): unknown; type(t: string): unknown; send(b: unknown): unknown },
    target: { runId: string } | { payoutId: string },
  ) => {
    const file = await exports.build(workspaceScope(request.principal), target, request.query.format, {
      version: request.query.version,
      executionDate: request.query.executionDate,
    });
    reply.type(file.contentType);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    reply.header('x-kumppani-payout-count', String(file.count));
    reply.header('x-kumppani-payout-sum', String(file.sum));
    return reply.send(Readable.from(file.body));
  };

  app.get(
    '/api/v1/payouts/:id/export',
    {
      config: { access: 'viewer', resource: 'payoutOrRun' },
      schema: {
        tags: ['payouts'],
        summary:
          'The payout file of a payout (po_…) or of a whole run (prun_…): SEPA pain.001.001.09 (version=03 for older banks), PayPal or Wise CSV',
        params: idParams,
        querystring: exportQuery,
        response: { 200: fileResponse, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) =>
      sendFile(
        request,
        reply,
        request.params.id.startsWith('prun_') ? { runId: request.params.id } : { payoutId: request.params.id },
      ),
  );

  app.get(
    '/api/v1/payout-runs/:id/export',
    {
      config: { access: 'viewer', resource: 'payoutRun' },
      schema: {
        tags: ['payouts'],
        summary: "A run's payout file for one method: every payout of the run still to be sent",
        params: idParams,
        querystring: exportQuery,
        response: { 200: fileResponse, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => sendFile(request, reply, { runId: request.params.id }),
  );

  app.post(
    '/api/v1/payouts/:id/mark-paid',
    {
      config: { access: 'manager', resource: 'payout' },
      schema: {
        tags: ['payouts'],
        summary: 'Mark a payout paid (a manual payment, or the bank, PayPal or Wise confirmed it), with a reference',
        params: idParams,
        body: markPaidBody,
        response: { 200: payoutSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      lifecycle.markPaid(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.reference,
      ),
  );

  app.post(
    '/api/v1/payouts/:id/fail',
    {
      config: { access: 'manager', resource: 'payout' },
      schema: {
        tags: ['payouts'],
        summary:
          "Record that a payout failed (bank return, PayPal denied or unclaimed, …): its entries return to the creator's balance",
        params: idParams,
        body: failBody,
        response: { 200: payoutSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      lifecycle.fail(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.code,
        request.body.reason,
      ),
  );

  app.post(
    '/api/v1/payouts/:id/send',
    {
      config: { access: 'manager', resource: 'payout' },
      schema: {
        tags: ['payouts'],
        summary: 'Send a payout: a Stripe Connect transfer, or for a file method mark it processing',
        params: idParams,
        response: { 200: payoutSchema, ...errorResponses, 409: errorBody, 422: errorBody, 503: errorBody },
      },
    },
    async (request) => lifecycle.send(workspaceScope(request.principal), request.params.id, actorOf(request.principal)),
  );

  app.post(
    '/api/v1/payout-runs/:id/send',
    {
      config: { access: 'manager', resource: 'payoutRun' },
      schema: {
        tags: ['payouts'],
        summary: 'Send every payout of a run still to be sent (optionally of one method)',
        params: idParams,
        body: runActionBody,
        response: { 200: sendRunResultSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) =>
      lifecycle.sendRun(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.method,
      ),
  );

  app.post(
    '/api/v1/payout-runs/:id/mark-paid',
    {
      config: { access: 'manager', resource: 'payoutRun' },
      schema: {
        tags: ['payouts'],
        summary: 'Mark every pending or processing payout of a run (optionally of one method) paid, with a reference',
        params: idParams,
        body: runActionBody,
        response: { 200: z.object({ paid: z.number().int() }), ...errorResponses, 409: errorBody },
      },
    },
    async (request) =>
      lifecycle.markRunPaid(
        workspaceScope(request.principal),
        request.params.id,
        actorOf(request.principal),
        request.body.method,
        request.body.reference,
      ),
  );
};
