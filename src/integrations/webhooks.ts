import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, errorBody, errorResponses, listQuery, page, timestamp } from '../http/schemas.js';
import { AppError, notFound } from '../shared/errors.js';
import { workspaceScope } from '../shared/principal.js';
import { integrationParams } from './schemas.js';
import type { WebhookOutcome, WebhooksService } from './webhooks-service.js';

const webhookParams = z.strictObject({ programId: z.string().min(1).max(64) });

const webhookAnswer = z
  .object({
    received: z.literal(true),
    deliveryId: z.string(),
    status: z.string(),
    summary: z.string(),
    conversionIds: z.array(z.string()),
  })
  .meta({ id: 'WebhookReceived' });

const deliverySchema = z
  .object({
    id: z.string(),
    platform: z.enum(['shopify', 'stripe', 'woocommerce']),
    topic: z.string().nullable(),
    deliveryId: z.string().nullable().meta({ description: "The platform's own id of the delivery, when it gives one" }),
    test: z.boolean(),
    verified: z.boolean(),
    refusal: z.string().nullable(),
    outcome: z.string(),
    conversionId: z.string().nullable(),
    summary: z.string().nullable(),
    errorCode: z.string().nullable(),
    bodyBytes: z.number().int(),
    bodySha256: z.string(),
    receivedAt: timestamp,
  })
  .meta({ id: 'WebhookDelivery' });

const testAnswer = z
  .object({
    verified: z.boolean(),
    topic: z.string().nullable(),
    deliveryId: z.string(),
    wouldRecord: z.array(z.object({ kind: z.enum(['sale', 'refund']), input: z.record(z.string(), z.unknown()) })),
    summary: z.string(),
  })
  .meta({ id: 'WebhookTest' });

/**
 * The shop platforms' webhooks. Each delivery is verified with the program's secret against the
 * raw bytes received, logged (refused ones too), read into sales and refunds, and handed to the
 * one conversions service.
 */
export const webhookRoutes: FastifyPluginAsyncZod<{
  webhooks: WebhooksService;
  /** Deliveries per window from one address to one program's webhook URL. */
  rateLimit?: { max: number; windowMs: number } | undefined;
}> = async (app, { webhooks, rateLimit }) => {
  const limit = rateLimit ?? { max: 600, windowMs: 60_000 };
  // The signature covers the exact bytes: keep them, never a re-serialised JSON.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  /** The route's answer to each outcome of receiving a delivery. */
  function answer(outcome: WebhookOutcome) {
    switch (outcome.kind) {
      case 'received':
        return {
          received: true as const,
          deliveryId: outcome.deliveryId,
          status: outcome.status,
          summary: outcome.summary,
          conversionIds: outcome.conversionIds,
        };
      case 'unknown_program':
        throw notFound('Program');
      case 'not_configured':
        throw new AppError(
          'INTEGRATION_NOT_CONFIGURED',
          `Set the ${outcome.platform} webhook secret first: PUT /api/v1/programs/${outcome.programId}/integrations/${outcome.platform}`,
        );
      case 'invalid_payload':
        throw new AppError(
          'INVALID_PAYLOAD',
          `The ${outcome.platform} payload could not be read (delivery ${outcome.deliveryId}): ${outcome.message}`,
        );
      case 'invalid_signature':
        throw new AppError(
          'INVALID_SIGNATURE',
          `The ${outcome.platform} signature does not verify: ${outcome.refusal}`,
        );
      case 'failed':
        throw outcome.error;
    }
  }

  for (const platform of ['shopify', 'stripe', 'woocommerce'] as const) {
    app.post(
      `/api/v1/integrations/${platform}/:programId/webhook`,
      {
        config: {
          access: 'public',
          // Per program and sending address: one sender cannot fill a program's delivery log.
          rateLimit: {
            max: limit.max,
            timeWindow: limit.windowMs,
            keyGenerator: (request) =>
              `webhook:${platform}:${String((request.params as { programId?: string }).programId ?? '').slice(0, 64)}:${request.ip}`,
          },
        },
        schema: {
          tags: ['integrations'],
          summary: {
            shopify: 'Shopify orders/paid, orders/cancelled and refunds/create, verified with X-Shopify-Hmac-Sha256',
            stripe:
              'Stripe Checkout, invoice, invoice payment, charge and refund events, verified with Stripe-Signature',
            woocommerce: 'WooCommerce order webhooks, verified with X-WC-Webhook-Signature',
          }[platform],
          description:
            'Authenticated by the platform’s signature of the raw body with the program’s webhook secret, not by a token. ' +
            'Every delivery, refused ones included, is kept in the delivery log.',
          params: webhookParams,
          security: [],
          response: {
            200: webhookAnswer,
            400: errorBody,
            401: errorBody,
            404: errorBody,
            409: errorBody,
            422: errorBody,
            429: errorBody,
          },
        },
      },
      async (request) =>
        answer(
          await webhooks.receive(
            platform,
            request.params.programId,
            Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
            request.headers,
          ),
        ),
    );
  }

  app.get(
    '/api/v1/programs/:id/integrations/:platform/deliveries',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['integrations'],
        summary: 'The delivery log: every webhook received, verified or refused, and what it produced (newest first)',
        params: integrationParams,
        querystring: listQuery,
        response: {
          200: z.object({
            data: z.array(deliverySchema),
            nextCursor: z.string().nullable(),
            unconfigured: z.object({ count: z.number().int(), lastReceivedAt: timestamp }).nullable().meta({
              description:
                'Deliveries that came while the program had no secret for this platform: only counted, never stored',
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const scope = workspaceScope(request.principal);
      const rows = await webhooks.deliveries(scope, request.params.id, request.params.platform, {
        limit: request.query.limit + 1,
        before: decodeCursor(request.query.cursor),
      });
      return {
        ...page(rows, request.query.limit),
        unconfigured: await webhooks.unconfigured(request.params.id, request.params.platform),
      };
    },
  );

  app.post(
    '/api/v1/programs/:id/integrations/:platform/test',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['integrations'],
        summary:
          'Send a sample event, signed with the stored secret as the platform signs it, through verification and reading; records no sale',
        params: integrationParams,
        response: { 200: testAnswer, ...errorResponses, 409: errorBody },
      },
    },
    async (request) => {
      const { id: programId, platform } = request.params;
      const tested = await webhooks.test(workspaceScope(request.principal), programId, platform);
      if (tested.kind === 'not_configured') {
        throw new AppError('INTEGRATION_NOT_CONFIGURED', `Set the ${platform} webhook secret first, then test it`);
      }
      return {
        verified: tested.verified,
        topic: tested.topic,
        deliveryId: tested.deliveryId,
        wouldRecord: tested.wouldRecord.map((a) => ({
          kind: a.kind,
          input: a.input as unknown as Record<string, unknown>,
        })),
        summary: tested.summary,
      };
    },
  );
};
