import { createHash } from 'node:crypto';
import type { RefundInput, SaleInput } from '../conversions/contract.js';
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { WebhookDeliveriesTable } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import {
  cancellationFromShopify,
  refundFromShopify,
  refundsFromWooCommerce,
  saleFromShopify,
  saleFromStripe,
  saleFromWooCommerce,
} from './inputs.js';
import type { IntegrationPlatform } from './schemas.js';
import { parseShopifyOrder, parseShopifyRefund } from './shopify.js';
import { verifyShopify, verifyStripe, verifyWooCommerce } from './signatures.js';
import {
  readChargeRefunded,
  readCheckoutSession,
  readInvoicePaid,
  readInvoicePayment,
  readRefund,
  type StripeRefunds,
} from './stripe.js';
import { parseWooCommerceOrder } from './woocommerce.js';

export type Action =
  | { kind: 'sale'; input: SaleInput }
  | { kind: 'refund'; input: RefundInput }
  /** Stripe refunds, reconciled against what the payment's earlier events said (stripe-refunds.ts). */
  | { kind: 'stripeRefunds'; refunds: StripeRefunds }
  /** Which payment paid a Stripe invoice (basil), so that the payment's refunds find its sale. */
  | { kind: 'stripeInvoicePayment'; invoiceId: string; payments: string[] };

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
export const STRIPE_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'invoice.paid',
  'invoice_payment.paid',
  'charge.refunded',
  'refund.created',
  'refund.updated',
]);

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
    const done = (action: Action | string): Reading =>
      typeof action === 'string'
        ? { verified: true, topic, deliveryId, actions: [], ignored: action }
        : { verified: true, topic, deliveryId, actions: [action], ignored: null };
    if (topic === 'orders/paid') {
      const order = parseShopifyOrder(raw);
      // A test order never earns (Shopify's Bogus Gateway, or a provider in test mode).
      if (order.test) return done(`order ${order.orderId} is a test order: not recorded, it never earns`);
      return done({ kind: 'sale', input: saleFromShopify(programId, order) });
    }
    if (topic === 'orders/cancelled') {
      const order = parseShopifyOrder(raw);
      if (order.test) return done(`order ${order.orderId} is a test order: nothing was recorded to reverse`);
      return done({ kind: 'refund', input: cancellationFromShopify(programId, order) });
    }
    if (topic === 'refunds/create') {
      const refund = refundFromShopify(programId, parseShopifyRefund(raw));
      return done(typeof refund === 'string' ? refund : { kind: 'refund', input: refund });
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
    const { inputs: refunds, notes } = refundsFromWooCommerce(programId, order);
    const actions: Action[] = [];
    const wasPaid = order.paid || order.datePaid !== null;
    if (order.paid || refunds.length > 0 || (wasPaid && notes.length > 0)) {
      actions.push({ kind: 'sale', input: saleFromWooCommerce(programId, order) });
    }
    for (const input of refunds) actions.push({ kind: 'refund', input });
    return {
      verified: true,
      topic,
      deliveryId,
      actions,
      ignored:
        notes.join('; ') ||
        (actions.length === 0 ? `order ${order.orderId} is ${order.status}, not paid: nothing to record` : null),
    };
  }

  const check = await verifyStripe<{ id?: string; type?: string }>(raw, header(headers, 'stripe-signature'), secret);
  if (!check.ok) return { verified: false, refusal: check.reason, topic: null, deliveryId: null };
  const topic = check.event.type ?? null;
  const deliveryId = check.event.id ?? null;
  if (!topic || !STRIPE_EVENTS.has(topic)) {
    return { verified: true, topic, deliveryId, actions: [], ignored: `event type ${topic ?? '(none)'} is not read` };
  }
  const read = (): Action | string => {
    if (topic === 'charge.refunded') return { kind: 'stripeRefunds', refunds: readChargeRefunded(check.event) };
    if (topic === 'refund.created' || topic === 'refund.updated') {
      const r = readRefund(check.event);
      return 'ignored' in r ? r.ignored : { kind: 'stripeRefunds', refunds: r };
    }
    if (topic === 'invoice_payment.paid') {
      const p = readInvoicePayment(check.event);
      return 'ignored' in p ? p.ignored : { kind: 'stripeInvoicePayment', ...p };
    }
    const sale = topic === 'invoice.paid' ? readInvoicePaid(check.event) : readCheckoutSession(check.event);
    return 'ignored' in sale ? sale.ignored : { kind: 'sale', input: saleFromStripe(programId, sale) };
  };
  const action = read();
  return typeof action === 'string'
    ? { verified: true, topic, deliveryId, actions: [], ignored: action }
    : { verified: true, topic, deliveryId, actions: [action], ignored: null };
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

/** Longest text kept of a value the sender chose (a header, a refusal): the log stays bounded. */
export const MAX_LOGGED_TEXT = 200;

/**
 * A sender's text as the log keeps it: printable characters only (control characters become
 * spaces) and at most `max` characters, the cut marked with `…`.
 */
export function bounded(value: string | null, max = MAX_LOGGED_TEXT): string | null {
  if (value === null) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * A delivery to a program or platform that has no webhook secret cannot be verified: only a
 * count and the time of the last one are kept, so nobody can grow the log without the secret.
 */
export async function countUnconfigured(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
  at: Date,
): Promise<void> {
  await db
    .insertInto('webhook_unconfigured_counts')
    .values({ program_id: programId, platform, count: 1, last_at: at.toISOString() })
    .onConflict((oc) =>
      oc.columns(['program_id', 'platform']).doUpdateSet({
        count: sql`webhook_unconfigured_counts.count + 1`,
        last_at: at.toISOString(),
      }),
    )
    .execute();
}

export async function unconfiguredCount(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
): Promise<{ count: number; lastReceivedAt: string } | null> {
  const row = await db
    .selectFrom('webhook_unconfigured_counts')
    .select(['count', 'last_at'])
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .executeTakeFirst();
  return row ? { count: Number(row.count), lastReceivedAt: row.last_at } : null;
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
      topic: bounded(d.topic),
      delivery_id: bounded(d.deliveryId),
      test: d.test ? 1 : 0,
      verified: d.verified ? 1 : 0,
      refusal: bounded(d.refusal, 500),
      outcome: d.outcome,
      conversion_id: d.conversionId,
      summary: bounded(d.summary, 2000),
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
