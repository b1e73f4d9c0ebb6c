import type { RefundInput, SaleInput } from '../conversions/contract.js';
import {
  cancellationFromShopify,
  refundFromShopify,
  refundsFromWooCommerce,
  saleFromShopify,
  saleFromStripe,
  saleFromWooCommerce,
} from './inputs.js';
import type { IntegrationPlatform } from './schemas.js';
import { parseShopifyOrder, parseShopifyRefund, ShopifyPayloadError } from './shopify.js';
import { verifyShopify, verifyStripe, verifyWooCommerce } from './signatures.js';
import {
  readChargeRefunded,
  readCheckoutSession,
  readInvoicePaid,
  readInvoicePayment,
  readRefund,
  StripePayloadError,
  type StripeRefunds,
} from './stripe.js';
import { parseWooCommerceOrder, WooCommercePayloadError } from './woocommerce.js';

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
  | { verified: true; topic: string | null; deliveryId: string | null; actions: Action[]; ignored: string | null }
  /** Verified, but not what the platform sends: why it could not be read. */
  | { invalid: string };

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
