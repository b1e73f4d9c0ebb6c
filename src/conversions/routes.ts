import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { errorBody, errorResponses, idParams } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import type { ConversionOutcome, ConversionsPort } from './contract.js';
import { readConversion } from './read.js';
import { conversionSchema, trackLeadBody, trackRefundBody, trackResultSchema, trackSaleBody } from './schemas.js';

/** The track API answers with the conversion, read in the delivery's own transaction. */
const withView = { withView: true } as const;

/**
 * The track answers are serialised as they are built (`respond`), without a second pass of zod
 * over the conversion, its lines and its ledger entries: that pass cost a shop's busiest request
 * about a twentieth of its time. The answer is made from the rows the delivery wrote or read back,
 * in the shapes of `trackResultSchema`; the track tests parse every kind of answer with that
 * schema and compare it with what `GET /api/v1/conversions/{id}` (which keeps the check) answers.
 * The routes' serialiser then only writes their error bodies.
 */
const asBuilt = () => (data: unknown) => JSON.stringify(data);
/** The type of an answer sent as a string that is already JSON. */
const JSON_TYPE = 'application/json; charset=utf-8';

const trackResponses = {
  200: trackResultSchema,
  201: trackResultSchema,
  ...errorResponses,
  409: errorBody,
  422: errorBody,
};

export const conversionRoutes: FastifyPluginAsyncZod<{
  conversions: ConversionsPort;
  db: Db;
}> = async (app, { conversions, db }) => {
  /**
   * 201 for a new delivery, 200 for a repeated one, with the conversion as it is now: as the
   * conversions thread serialised it, or serialised here.
   */
  async function respond(reply: FastifyReply, scope: ReturnType<typeof workspaceScope>, outcome: ConversionOutcome) {
    const conversion =
      outcome.viewJson ??
      JSON.stringify(
        outcome.view ?? (outcome.conversionId ? await readConversion(db, scope, outcome.conversionId) : null),
      );
    return reply
      .status(outcome.duplicate ? 200 : 201)
      .type(JSON_TYPE)
      .send(
        `{"duplicate":${outcome.duplicate},"status":${JSON.stringify(outcome.status)},"summary":${JSON.stringify(outcome.summary)},"commissionIds":${JSON.stringify(outcome.commissionIds)},"conversion":${conversion}}`,
      );
  }

  app.post(
    '/api/v1/track/ping',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['tracking'],
        summary: 'Check that a key may track conversions: answers the workspace it belongs to, records nothing',
        response: { 200: z.object({ ok: z.literal(true), workspaceId: z.string() }), ...errorResponses },
      },
    },
    async (request) => ({ ok: true as const, workspaceId: workspaceScope(request.principal).workspaceId }),
  );

  app.post(
    '/api/v1/track/sale',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['tracking'],
        summary:
          'Record a sale from your server: attributed, its commissions written; the same orderId twice is one sale',
        body: trackSaleBody,
        response: trackResponses,
      },
      serializerCompiler: asBuilt,
    },
    async (request, reply) => {
      const scope = workspaceScope(request.principal);
      const { couponCode, couponCodes, ...body } = request.body;
      const outcome = await conversions.recordSale(
        scope,
        {
          ...body,
          source: 'track',
          couponCodes: [...(couponCode ? [couponCode] : []), ...(couponCodes ?? [])],
        },
        withView,
      );
      return respond(reply, scope, outcome);
    },
  );

  app.post(
    '/api/v1/track/lead',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['tracking'],
        summary: 'Record a lead (a signup, a trial); the program’s lead reward is earned when it is attributed',
        body: trackLeadBody,
        response: trackResponses,
      },
      serializerCompiler: asBuilt,
    },
    async (request, reply) => {
      const scope = workspaceScope(request.principal);
      const { couponCode, ...body } = request.body;
      const outcome = await conversions.recordLead(
        scope,
        {
          ...body,
          source: 'track',
          couponCodes: couponCode ? [couponCode] : [],
        },
        withView,
      );
      return respond(reply, scope, outcome);
    },
  );

  app.post(
    '/api/v1/track/refund',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['tracking'],
        summary:
          'Record a refund of an order: its commissions are reversed line by line; one that arrives before its sale is kept until the sale comes',
        body: trackRefundBody,
        response: trackResponses,
      },
      serializerCompiler: asBuilt,
    },
    async (request, reply) => {
      const scope = workspaceScope(request.principal);
      const outcome = await conversions.recordRefund(scope, { ...request.body, source: 'track' }, withView);
      return respond(reply, scope, outcome);
    },
  );

  app.get(
    '/api/v1/conversions/:id',
    {
      config: { access: 'viewer', resource: 'conversion' },
      schema: {
        tags: ['tracking'],
        summary: 'A sale or lead: its lines, how it was attributed and why, and every ledger entry it made',
        params: idParams,
        response: { 200: conversionSchema, ...errorResponses },
      },
    },
    async (request) => readConversion(db, workspaceScope(request.principal), request.params.id),
  );
};
