import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConversionOutcome, ConversionsPort } from '../conversions/contract.js';
import type { Db } from '../db/database.js';
import { decodeCursor, errorBody, errorResponses, listQuery, page, timestamp } from '../http/schemas.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { trustedScope, workspaceScope } from '../shared/principal.js';
import {
  type Action,
  alreadyDelivered,
  countUnconfigured,
  listDeliveries,
  logDelivery,
  readDelivery,
  unconfiguredCount,
} from './deliveries.js';
import { sampleDelivery } from './samples.js';
import { type IntegrationPlatform, integrationParams } from './schemas.js';
import type { IntegrationsService } from './service.js';
import { ShopifyPayloadError } from './shopify.js';
import { StripePayloadError } from './stripe.js';
import { linkInvoicePayment, planStripeRefund } from './stripe-refunds.js';
import { WooCommercePayloadError } from './woocommerce.js';

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

const isPayloadError = (err: unknown) =>
  err instanceof ShopifyPayloadError || err instanceof StripePayloadError || err instanceof WooCommercePayloadError;

type RecordAction = Extract<Action, { kind: 'sale' | 'refund' }>;

function describe(action: RecordAction): string {
  return action.kind === 'sale'
    ? `sale ${action.input.orderId} of ${action.input.lines.length} line(s)${action.input.clickId ? `, click ${action.input.clickId}` : ''}${
        action.input.couponCodes?.length ? `, codes ${action.input.couponCodes.join(', ')}` : ''
      }`
    : `refund ${action.input.refundId} of order ${action.input.orderId}`;
}

/**
 * The shop platforms' webhooks. Each delivery is verified with the program's secret against the
 * raw bytes received, logged (refused ones too), read into sales and refunds, and handed to the
 * one conversions service.
 */
export const webhookRoutes: FastifyPluginAsyncZod<{
  db: Db;
  clock: Clock;
  integrations: IntegrationsService;
  conversions: ConversionsPort;
  /** Deliveries per window from one address to one program's webhook URL. */
  rateLimit?: { max: number; windowMs: number } | undefined;
}> = async (app, { db, clock, integrations, conversions, rateLimit }) => {
  const limit = rateLimit ?? { max: 600, windowMs: 60_000 };
  // The signature covers the exact bytes: keep them, never a re-serialised JSON.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  async function receive(
    platform: IntegrationPlatform,
    programId: string,
    raw: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ) {
    const program = await db
      .selectFrom('programs')
      .select(['id', 'workspace_id'])
      .where('id', '=', programId)
      .executeTakeFirst();
    if (!program) throw notFound('Program');
    const at = clock.now();
    const base = { workspaceId: program.workspace_id, programId, platform, test: false, body: raw, at };
    const secret = await integrations.webhookSecret(programId, platform);
    if (!secret) {
      // Nothing can be verified: counted, never stored.
      await countUnconfigured(db, programId, platform, at);
      throw new AppError(
        'INTEGRATION_NOT_CONFIGURED',
        `Set the ${platform} webhook secret first: PUT /api/v1/programs/${programId}/integrations/${platform}`,
      );
    }
    let reading: Awaited<ReturnType<typeof readDelivery>>;
    try {
      reading = await readDelivery(platform, programId, raw, headers, secret);
    } catch (err) {
      if (!isPayloadError(err)) throw err;
      const id = await logDelivery(db, {
        ...base,
        topic: null,
        deliveryId: null,
        verified: true,
        refusal: null,
        outcome: 'failed',
        conversionId: null,
        summary: (err as Error).message,
        errorCode: 'INVALID_PAYLOAD',
      });
      throw new AppError(
        'INVALID_PAYLOAD',
        `The ${platform} payload could not be read (delivery ${id}): ${(err as Error).message}`,
      );
    }
    if (!reading.verified) {
      const id = await logDelivery(db, {
        ...base,
        topic: reading.topic,
        deliveryId: reading.deliveryId,
        verified: false,
        refusal: reading.refusal,
        outcome: reading.ping ? 'ignored' : 'refused',
        conversionId: null,
        summary: null,
        errorCode: reading.ping ? null : 'INVALID_SIGNATURE',
      });
      if (reading.ping)
        return {
          received: true as const,
          deliveryId: id,
          status: 'ignored',
          summary: reading.refusal,
          conversionIds: [],
        };
      throw new AppError('INVALID_SIGNATURE', `The ${platform} signature does not verify: ${reading.refusal}`);
    }
    const common = { ...base, topic: reading.topic, deliveryId: reading.deliveryId, verified: true, refusal: null };
    if (reading.deliveryId && (await alreadyDelivered(db, programId, platform, reading.deliveryId))) {
      const id = await logDelivery(db, {
        ...common,
        outcome: 'duplicate',
        conversionId: null,
        summary: `delivery ${reading.deliveryId} was received before: nothing changed`,
        errorCode: null,
      });
      return {
        received: true as const,
        deliveryId: id,
        status: 'duplicate',
        summary: 'received before: nothing changed',
        conversionIds: [],
      };
    }
    // Stripe's refunds are reconciled with what earlier events of the payment said; what they
    // said is kept once the refund is recorded.
    const actions: RecordAction[] = [];
    const notes: string[] = [];
    const commits: ((tx: Db) => Promise<void>)[] = [];
    for (const action of reading.actions) {
      if (action.kind === 'stripeRefunds') {
        const plan = await planStripeRefund(db, programId, action.refunds, at);
        commits.push(plan.commit);
        if (plan.input) actions.push({ kind: 'refund', input: plan.input });
        else notes.push(plan.summary);
      } else if (action.kind === 'stripeInvoicePayment') {
        await linkInvoicePayment(db, programId, action.invoiceId, action.payments, at);
        notes.push(
          `payment ${action.payments.join(', ')} of invoice ${action.invoiceId} noted: its refunds reverse that invoice's sale`,
        );
      } else actions.push(action);
    }
    if (actions.length === 0) {
      for (const commit of commits) await commit(db);
      const summary = [reading.ignored, ...notes].filter(Boolean).join('; ') || 'nothing to record';
      const id = await logDelivery(db, { ...common, outcome: 'ignored', conversionId: null, summary, errorCode: null });
      return { received: true as const, deliveryId: id, status: 'ignored', summary, conversionIds: [] };
    }
    const scope = trustedScope(program.workspace_id);
    const outcomes: ConversionOutcome[] = [];
    try {
      for (const action of actions) {
        try {
          outcomes.push(
            action.kind === 'sale'
              ? await conversions.recordSale(scope, action.input)
              : await conversions.recordRefund(scope, action.input),
          );
        } catch (err) {
          // A WooCommerce order update that changed the order's lines after it was recorded
          // still carries its refunds: those are recorded, the changed sale is logged. A Stripe
          // subscription's Checkout Session and its first invoice are one order: whichever comes
          // second finds it recorded.
          const conflict = action.kind === 'sale' && (err as AppError).code === 'CONVERSION_CONFLICT';
          if (!(conflict && ((platform === 'woocommerce' && actions.length > 1) || platform === 'stripe'))) {
            throw err;
          }
          outcomes.push({
            conversionId: null,
            duplicate: true,
            status: 'duplicate',
            attribution: null,
            creatorId: null,
            commissionIds: [],
            summary:
              platform === 'stripe'
                ? `order ${action.input.orderId} was recorded from its other event (the Checkout Session or its first invoice): one order, recorded once`
                : (err as Error).message,
          });
        }
      }
      for (const commit of commits) await commit(db);
    } catch (err) {
      await logDelivery(db, {
        ...common,
        outcome: 'failed',
        conversionId: null,
        summary: (err as Error).message,
        errorCode: err instanceof AppError ? err.code : 'INTERNAL',
      });
      throw err;
    }
    const summary = outcomes.map((o) => o.summary).join('; ');
    const first = outcomes.find((o) => o.conversionId) ?? outcomes[0];
    const status = outcomes.every((o) => o.duplicate)
      ? 'duplicate'
      : (outcomes.find((o) => !o.duplicate)?.status ?? 'recorded');
    const id = await logDelivery(db, {
      ...common,
      outcome: status,
      conversionId: first?.conversionId ?? null,
      summary,
      errorCode: null,
    });
    return {
      received: true as const,
      deliveryId: id,
      status,
      summary,
      conversionIds: [...new Set(outcomes.map((o) => o.conversionId).filter((c): c is string => c !== null))],
    };
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
        receive(
          platform,
          request.params.programId,
          Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          request.headers,
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
      const rows = await listDeliveries(db, scope.workspaceId, request.params.id, request.params.platform, {
        limit: request.query.limit + 1,
        before: decodeCursor(request.query.cursor),
      });
      return {
        ...page(rows, request.query.limit),
        unconfigured: await unconfiguredCount(db, request.params.id, request.params.platform),
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
      const scope = workspaceScope(request.principal);
      const { id: programId, platform } = request.params;
      const program = await db.selectFrom('programs').select('currency').where('id', '=', programId).executeTakeFirst();
      const secret = await integrations.webhookSecret(programId, platform);
      if (!program || !secret) {
        throw new AppError('INTEGRATION_NOT_CONFIGURED', `Set the ${platform} webhook secret first, then test it`);
      }
      // Signed now: the platforms' replay protection is checked against the real time.
      const sample = await sampleDelivery(platform, secret, program.currency, new Date());
      const reading = await readDelivery(platform, programId, sample.body, sample.headers, secret);
      const actions = (reading.verified ? reading.actions : []).filter(
        (a): a is RecordAction => a.kind === 'sale' || a.kind === 'refund',
      );
      const summary = reading.verified
        ? `the test event verified and would record: ${actions.map(describe).join('; ') || reading.ignored}`
        : `the test event did not verify: ${reading.refusal}`;
      const deliveryId = await logDelivery(db, {
        workspaceId: scope.workspaceId,
        programId,
        platform,
        topic: reading.topic,
        deliveryId: reading.deliveryId,
        test: true,
        verified: reading.verified,
        refusal: reading.verified ? null : reading.refusal,
        outcome: 'tested',
        conversionId: null,
        summary,
        errorCode: null,
        body: sample.body,
        at: clock.now(),
      });
      return {
        verified: reading.verified,
        topic: reading.topic,
        deliveryId,
        wouldRecord: actions.map((a) => ({ kind: a.kind, input: a.input as unknown as Record<string, unknown> })),
        summary,
      };
    },
  );
};
