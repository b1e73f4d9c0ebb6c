import type { RefundInput, SaleInput } from '../conversions/contract.js';
import {
  refundFromShopify,
  refundsFromStripe,
  refundsFromWooCommerce,
  saleFromShopify,
  saleFromStripe,
  saleFromWooCommerce,
} from './inputs.js';
import type { IntegrationPlatform } from './schemas.js';
import { parseShopifyOrder, parseShopifyRefund, ShopifyPayloadError } from './shopify.js';
import { verifyShopify, verifyStripe, verifyWooCommerce } from './signatures.js';
import { readChargeRefunded, readCheckoutSession, readInvoicePaid, StripePayloadError } from './stripe.js';
import { parseWooCommerceOrder, WooCommercePayloadError } from './woocommerce.js';

export type Action = { kind: 'sale'; input: SaleInput } | { kind: 'refund'; input: RefundInput };

/** What a delivery says once its signature is checked: the sales and refunds it carries. */
export type Reading =
  | { verified: false; refusal: string; topic: string | null; deliveryId: string | null; ping?: boolean }
  | { verified: true; topic: string | null; deliveryId: string | null; actions: Action[]; ignored: string | null }
  /** Verified, but not what the platform sends: why it could not be read. */
  | { invalid: string };

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The Stripe events Kumppani reads; any other type is acknowledged and logged as ignored. */
const STRIPE_EVENTS = new Set(['checkout.session.completed', 'invoice.paid', 'charge.refunded']);

/**
 * Checks a delivery's signature with the program's secret and reads it into sales and refunds;
 * a verified body that is not what the platform sends is read as `invalid`, with the reason the
 * platform's reader gave.
 */
export async function readDelivery(
  platform: IntegrationPlatform,
  programId: string,
  raw: Buffer,
  headers: Headers,
  secret: string,
): Promise<Reading> {
  try {
    return await read(platform, programId, raw, headers, secret);
  } catch (err) {
    // The readers throw their own error at the first field that is not as documented.
    if (
      err instanceof ShopifyPayloadError ||
      err instanceof StripePayloadError ||
      err instanceof WooCommercePayloadError
    ) {
      return { invalid: err.message };
    }
    throw err;
  }
}

async function read(
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
