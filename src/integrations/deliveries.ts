import { createHash } from 'node:crypto';
import type { RefundInput, SaleInput } from '../conversions/contract.js';
import type { DbOrTx } from '../db/database.js';
import type { WebhookDeliveriesTable } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import {
  refundFromShopify,
  refundsFromStripe,
  refundsFromWooCommerce,
  saleFromShopify,
  saleFromStripe,
  saleFromWooCommerce,
} from './inputs.js';
import type { IntegrationPlatform } from './schemas.js';
import { parseShopifyOrder, parseShopifyRefund } from './shopify.js';
import { verifyShopify, verifyStripe, verifyWooCommerce } from './signatures.js';
import { readChargeRefunded, readCheckoutSession, readInvoicePaid } from './stripe.js';
import { parseWooCommerceOrder } from './woocommerce.js';

export type Action = { kind: 'sale'; input: SaleInput } | { kind: 'refund'; input: RefundInput };

/** What a delivery says once its signature is checked: the sales and refunds it carries. */
export type Reading =
  | { verified: false; refusal: string; topic: string | null; deliveryId: string | null; ping?: boolean }
  | { verified: true; topic: string | null; deliveryId: string | null; actions: Action[]; ignored: string | null };

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The Stripe events Kumppani reads; any other type is acknowledged and logged as ignored. */
const STRIPE_EVENTS = new Set(['checkout.session.completed', 'invoice.paid', 'charge.refunded']);

/**
 * Checks a delivery's signature with the program's secret and reads it into sales and refunds.
 * Throws the platform's payload error when a verified body is not what the platform sends.
 */
export async function readDelivery(
  platform: IntegrationPlatform,
  programId: string,
  raw: Buffer,
  headers: Headers,
  secret: string,
): Promise<Reading> {
  if (platform === 'shopify') {
    const topic = header(headers, 'x-shopify-topic') ?? null;
    const deliveryId = header(headers, 'x-shopify-webhook-id') ?? null;
    if (!verifyShopify(raw, header(headers, 'x-shopify-hmac-sha256'), secret)) {
      return {
        verified: false,
        refusal: 'X-Shopify-Hmac-Sha256 is missing or does not match the body',
        topic,
        deliveryId,
      };
    }
    if (topic === 'orders/paid') {
      return {
        verified: true,
        topic,
        deliveryId,
        actions: [{ kind: 'sale', input: saleFromShopify(programId, parseShopifyOrder(raw)) }],
        ignored: null,
      };
    }
    if (topic === 'refunds/create') {
      return {
        verified: true,
        topic,
        deliveryId,
        actions: [{ kind: 'refund', input: refundFromShopify(programId, parseShopifyRefund(raw)) }],
        ignored: null,
      };
    }
    return { verified: true, topic, deliveryId, actions: [], ignored: `topic ${topic ?? '(none)'} is not read` };
  }

  if (platform === 'woocommerce') {
    const topic = header(headers, 'x-wc-webhook-topic') ?? null;
    const deliveryId = header(headers, 'x-wc-webhook-delivery-id') ?? null;
    const signature = header(headers, 'x-wc-webhook-signature');
    // WooCommerce pings the URL, unsigned, when a webhook is saved.
    if (!signature && /^webhook_id=\d+$/.test(raw.toString().trim())) {
      return {
        verified: false,
        refusal: 'the unsigned ping WooCommerce sends when a webhook is saved',
        topic: 'ping',
        deliveryId,
        ping: true,
      };
    }
    if (!verifyWooCommerce(raw, signature, secret)) {
      return {
        verified: false,
        refusal: 'X-WC-Webhook-Signature is missing or does not match the body',
        topic,
        deliveryId,
      };
    }
    if (topic !== 'order.created' && topic !== 'order.updated') {
      return { verified: true, topic, deliveryId, actions: [], ignored: `topic ${topic ?? '(none)'} is not read` };
    }
    const order = parseWooCommerceOrder(raw);
    const refunds = refundsFromWooCommerce(programId, order);
    const actions: Action[] = [];
    if (order.paid || refunds.length > 0) actions.push({ kind: 'sale', input: saleFromWooCommerce(programId, order) });
    for (const input of refunds) actions.push({ kind: 'refund', input });
    return {
      verified: true,
      topic,
      deliveryId,
      actions,
      ignored: actions.length === 0 ? `order ${order.orderId} is ${order.status}, not paid yet` : null,
    };
  }

  const check = await verifyStripe<{ id?: string; type?: string }>(raw, header(headers, 'stripe-signature'), secret);
  if (!check.ok) return { verified: false, refusal: check.reason, topic: null, deliveryId: null };
  const topic = check.event.type ?? null;
  const deliveryId = check.event.id ?? null;
  if (!topic || !STRIPE_EVENTS.has(topic)) {
    return { verified: true, topic, deliveryId, actions: [], ignored: `event type ${topic ?? '(none)'} is not read` };
  }
  if (topic === 'charge.refunded') {
    const actions = refundsFromStripe(programId, readChargeRefunded(check.event)).map((input) => ({
      kind: 'refund' as const,
      input,
    }));
    return { verified: true, topic, deliveryId, actions, ignored: null };
  }
  const sale = topic === 'invoice.paid' ? readInvoicePaid(check.event) : readCheckoutSession(check.event);
  return {
    verified: true,
    topic,
    deliveryId,
    actions: [{ kind: 'sale', input: saleFromStripe(programId, sale) }],
    ignored: null,
  };
}

export interface DeliveryRecord {
  workspaceId: string;
  programId: string;
  platform: IntegrationPlatform;
  topic: string | null;
  deliveryId: string | null;
  test: boolean;
  verified: boolean;
  refusal: string | null;
  outcome: WebhookDeliveriesTable['outcome'];
  conversionId: string | null;
  summary: string | null;
  errorCode: string | null;
  body: Buffer;
  at: Date;
}

export async function logDelivery(db: DbOrTx, d: DeliveryRecord): Promise<string> {
  const id = newId('webhookDelivery', d.at.getTime());
  await db
    .insertInto('webhook_deliveries')
    .values({
      id,
      workspace_id: d.workspaceId,
      program_id: d.programId,
      platform: d.platform,
      topic: d.topic,
      delivery_id: d.deliveryId,
      test: d.test ? 1 : 0,
      verified: d.verified ? 1 : 0,
      refusal: d.refusal,
      outcome: d.outcome,
      conversion_id: d.conversionId,
      summary: d.summary,
      error_code: d.errorCode,
      body_bytes: d.body.length,
      body_sha256: createHash('sha256').update(d.body).digest('hex'),
      received_at: d.at.toISOString(),
    })
    .execute();
  return id;
}

/** A verified delivery with this platform id already did its work: the platform sent it again. */
export async function alreadyDelivered(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
  deliveryId: string,
) {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .where('delivery_id', '=', deliveryId)
    .where('verified', '=', 1)
    .where('test', '=', 0)
    .where('outcome', 'not in', ['failed', 'refused'])
    .executeTakeFirst();
  return row !== undefined;
}

export async function listDeliveries(
  db: DbOrTx,
  workspaceId: string,
  programId: string,
  platform: IntegrationPlatform,
  opts: { limit: number; before?: string | undefined },
) {
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('program_id', '=', programId)
    .where('platform', '=', platform);
  if (opts.before) q = q.where('id', '<', opts.before);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    platform: r.platform,
    topic: r.topic,
    deliveryId: r.delivery_id,
    test: r.test === 1,
    verified: r.verified === 1,
    refusal: r.refusal,
    outcome: r.outcome,
    conversionId: r.conversion_id,
    summary: r.summary,
    errorCode: r.error_code,
    bodyBytes: r.body_bytes,
    bodySha256: r.body_sha256,
    receivedAt: r.received_at,
  }));
}
