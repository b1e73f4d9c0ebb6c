import type { RefundInput, SaleInput } from '../conversions/contract.js';
import {
  cancellationFromShopify,
  refundFromShopify,
  refundsFromWooCommerce,
  saleFromShopify,
  saleFromStripe,
  saleFromWooCommerce,
  testOrderFromShopify,
  testOrderFromStripe,
} from './inputs.js';
import type { IntegrationPlatform } from './schemas.js';
import { MONEY_TAKEN, parseShopifyOrder, parseShopifyRefund, ShopifyPayloadError } from './shopify.js';
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
import type { TestOrder, TestOrderChange } from './test-orders.js';
import { parseWooCommerceOrder, WooCommercePayloadError } from './woocommerce.js';

export type Action =
  /**
   * A sale; `conflicts` says what an order recorded before with other contents is: an edit of
   * the order, read again (`edit`), or an earlier state that changes nothing (`report`).
   */
  | { kind: 'sale'; input: SaleInput; conflicts?: 'report' | 'edit' }
  /**
   * A refund; with `onlyIfRecorded`, one that reverses a recorded sale and otherwise records
   * nothing (an order cancelled before it was paid), for the reason given there.
   */
  | { kind: 'refund'; input: RefundInput; onlyIfRecorded?: string }
  /** A test order: never a sale, kept apart or ignored as the integration says. */
  | { kind: 'testOrder'; order: TestOrder }
  /** A refund or cancellation of a test order. */
  | { kind: 'testChange'; change: TestOrderChange }
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
    if (topic === 'orders/paid' || topic === 'orders/updated') {
      const order = parseShopifyOrder(raw);
      const status = order.financialStatus ?? 'of no financial status';
      if (topic === 'orders/updated') {
        // Any change of an order is an update: only a paid, not cancelled one is read again.
        if (order.cancelledAt) return done(`order ${order.orderId} is cancelled: orders/cancelled reverses it`);
        if (!MONEY_TAKEN.has(order.financialStatus ?? '')) {
          return done(`order ${order.orderId} is ${status}, not paid: nothing to record`);
        }
      }
      // A test order never earns (Shopify's Bogus Gateway, or a provider in test mode).
      if (order.test) return done({ kind: 'testOrder', order: testOrderFromShopify(order) });
      // An update of a paid order is an edit: read again, the commission adjusted. An orders/paid
      // that comes after an update finds the order recorded in a later state: nothing changes.
      return done({
        kind: 'sale',
        input: saleFromShopify(programId, order),
        conflicts: topic === 'orders/updated' ? 'edit' : 'report',
      });
    }
    if (topic === 'orders/cancelled') {
      const order = parseShopifyOrder(raw);
      if (order.test) return done({ kind: 'testChange', change: { orderId: order.orderId, status: 'cancelled' } });
      const input = cancellationFromShopify(programId, order);
      // Cancelled before any money was taken (pending, authorized then voided, expired): there
      // is no sale to reverse, now or later, so nothing waits for one.
      return done(
        MONEY_TAKEN.has(order.financialStatus ?? '')
          ? { kind: 'refund', input }
          : {
              kind: 'refund',
              input,
              onlyIfRecorded: `order ${order.orderId} was cancelled before it was paid (${
                order.financialStatus ?? 'no financial status'
              }): no sale was recorded, nothing to reverse`,
            },
      );
    }
    if (topic === 'refunds/create') {
      const parsed = parseShopifyRefund(raw);
      if (parsed.test) return done({ kind: 'testChange', change: { orderId: parsed.orderId, status: 'refunded' } });
      const refund = refundFromShopify(programId, parsed);
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

  const check = await verifyStripe<{ id?: string; type?: string; livemode?: boolean }>(
    raw,
    header(headers, 'stripe-signature'),
    secret,
  );
  if (!check.ok) return { verified: false, refusal: check.reason, topic: null, deliveryId: null };
  const topic = check.event.type ?? null;
  const deliveryId = check.event.id ?? null;
  if (!topic || !STRIPE_EVENTS.has(topic)) {
    return { verified: true, topic, deliveryId, actions: [], ignored: `event type ${topic ?? '(none)'} is not read` };
  }
  // An event of Stripe's test mode moved no money: its sales are test orders, its refunds
  // reverse nothing.
  const test = check.event.livemode === false;
  const read = (): Action | string => {
    if (test && (topic === 'charge.refunded' || topic === 'refund.created' || topic === 'refund.updated')) {
      return `a refund in Stripe's test mode (livemode: false): test orders never earn, nothing to reverse`;
    }
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
    if ('ignored' in sale) return sale.ignored;
    return test
      ? { kind: 'testOrder', order: testOrderFromStripe(sale) }
      : { kind: 'sale', input: saleFromStripe(programId, sale) };
  };
  const action = read();
  return typeof action === 'string'
    ? { verified: true, topic, deliveryId, actions: [], ignored: action }
    : { verified: true, topic, deliveryId, actions: [action], ignored: null };
}
