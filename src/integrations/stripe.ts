/**
 * Stripe events, read into what a sale, a renewal or a refund needs. The events are verified
 * first (signatures.ts); amounts are already integers in minor units; currencies are lowercase.
 * The shapes are those of API versions 2022-11-15 to basil (2025-03-31) and later.
 *
 * - `checkout.session.completed` / `checkout.session.async_payment_succeeded`: the click id is
 *   the session's `client_reference_id`, or `metadata.kclid`. Webhooks carry no line items, so
 *   the sale is one line: the subtotal after discounts, without tax and shipping. Promotion codes
 *   arrive as ids; a code typed by the shopper can be passed in `metadata.coupon_code`. A session
 *   whose payment is still `unpaid` (SEPA debit and other delayed methods) waits for
 *   `async_payment_succeeded`; a `setup` session takes no payment. A subscription's session and
 *   its first invoice are one order, named by the invoice.
 * - `invoice.paid`: a subscription's invoice; each line after its discounts.
 * - `charge.refunded`: how much of the charge is refunded so far (`amount_refunded`; since
 *   2022-11-15 the charge no longer lists its refunds), and `refund.created` / `refund.updated`:
 *   one refund by its id. The two are reconciled per payment (stripe-refunds.ts).
 * - `invoice_payment.paid` (basil): which payment intent paid which invoice, since basil invoices
 *   name no payment intent or charge.
 */
export class StripePayloadError extends Error {}

const CLICK_ID = /^clk_[0-9a-hjkmnp-tv-z]{26}$/;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const idOf = (v: unknown): string | null => text(v) ?? text(obj(v)?.id);
function int(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new StripePayloadError(`${field} is not a whole amount`);
  return v;
}
const clickId = (...candidates: unknown[]): string | null => {
  for (const c of candidates) if (typeof c === 'string' && CLICK_ID.test(c)) return c;
  return null;
};

export interface StripeSale {
  kind: 'checkout' | 'invoice';
  /** The order's id for idempotency: the Checkout Session or the invoice. */
  orderId: string;
  currency: string;
  customerId: string | null;
  customerEmail: string | null;
  subscriptionId: string | null;
  clickId: string | null;
  couponCode: string | null;
  promotionCodeIds: string[];
  /** Other ids a later refund may name the order by: the payment intent, the charge. */
  aliases: string[];
  lines: { lineId: string; productId: string | null; quantity: number; amount: number; discount: number }[];
  /** What the shopper paid in all, tax and shipping included (refunds are parts of it). */
  grossTotal: number | null;
}

/** What a refund event says of a payment's refunds. */
export interface StripeRefunds {
  chargeId: string | null;
  paymentIntentId: string | null;
  /** The invoice the charge paid, where the API version still says (before basil). */
  invoiceId: string | null;
  currency: string;
  /** Refunds named by their id (a refund event, or a charge that still lists them). */
  refunds: { refundId: string; amount: number }[];
  /** The charge's cumulative refunded amount, from `charge.refunded`. */
  amountRefunded: number | null;
  /** The charge's amount: refunds are parts of this gross amount. */
  chargeAmount: number | null;
}

/** A reading that records nothing, and why (answered 200: Stripe need not send it again). */
export interface StripeIgnored {
  ignored: string;
}

function dataObject(event: unknown, type: string): Json {
  const e = obj(event);
  if (!e || e.type !== type) throw new StripePayloadError(`not a ${type} event`);
  const o = obj(obj(e.data)?.object);
  if (!o) throw new StripePayloadError('data.object is missing');
  return o;
}

const CHECKOUT_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
]);

export function readCheckoutSession(event: unknown): StripeSale | StripeIgnored {
  const type = String(obj(event)?.type ?? '');
  if (!CHECKOUT_EVENTS.has(type)) throw new StripePayloadError('not a checkout.session event');
  const s = dataObject(event, type);
  const id = text(s.id);
  if (s.mode === 'setup') return { ignored: `session ${id} is a setup session: it takes no payment, so it is no sale` };
  if (type === 'checkout.session.async_payment_failed') {
    return { ignored: `the delayed payment of session ${id} failed: no sale` };
  }
  if (s.payment_status === 'unpaid') {
    return {
      ignored: `session ${id} is not paid yet (a delayed payment method): the sale is recorded on checkout.session.async_payment_succeeded`,
    };
  }
  const invoice = s.mode === 'subscription' ? idOf(s.invoice) : null;
  const currency = text(s.currency)?.toUpperCase();
  if (!id || !currency) throw new StripePayloadError('id or currency is missing');
  const discount =
    s.total_details === null || s.total_details === undefined
      ? 0
      : int(obj(s.total_details)?.amount_discount ?? 0, 'total_details.amount_discount');
  const subtotal = int(s.amount_subtotal, 'amount_subtotal');
  const metadata = obj(s.metadata) ?? {};
  return {
    kind: 'checkout',
    // A subscription's session and its first invoice are one order: the invoice names it.
    orderId: invoice ?? id,
    grossTotal: s.amount_total === null || s.amount_total === undefined ? null : int(s.amount_total, 'amount_total'),
    currency,
    customerId: idOf(s.customer),
    customerEmail: text(obj(s.customer_details)?.email)?.toLowerCase() ?? null,
    subscriptionId: idOf(s.subscription),
    clickId: clickId(s.client_reference_id, metadata.kclid),
    couponCode: text(metadata.coupon_code),
    promotionCodeIds: arr(s.discounts)
      .map((d) => idOf(obj(d)?.promotion_code))
      .filter((c): c is string => c !== null),
    aliases: [invoice ? id : null, idOf(s.payment_intent)].filter((a): a is string => a !== null),
    lines: [{ lineId: id, productId: null, quantity: 1, amount: Math.max(0, subtotal - discount), discount }],
  };
}

export function readInvoicePaid(event: unknown): StripeSale {
  const inv = dataObject(event, 'invoice.paid');
  const id = text(inv.id);
  const currency = text(inv.currency)?.toUpperCase();
  if (!id || !currency) throw new StripePayloadError('id or currency is missing');
  const metadata = obj(inv.metadata) ?? {};
  // The subscription's metadata, as the invoice carries it (basil: parent.subscription_details).
  const subscriptionDetails = obj(obj(inv.parent)?.subscription_details) ?? obj(inv.subscription_details);
  const subscriptionMetadata = obj(subscriptionDetails?.metadata) ?? {};
  // Basil invoices name their payments only in the (included) payments list.
  const payments = arr(obj(inv.payments)?.data).flatMap((p) => {
    const payment = obj(obj(p)?.payment);
    return [idOf(payment?.payment_intent), idOf(payment?.charge)];
  });
  const lines = arr(obj(inv.lines)?.data).map((l, i) => {
    const line = obj(l);
    if (!line) throw new StripePayloadError(`lines.data[${i}] is not an object`);
    const discounts = arr(line.discount_amounts).reduce<number>(
      (sum, d, j) => sum + int(obj(d)?.amount, `lines.data[${i}].discount_amounts[${j}].amount`),
      0,
    );
    const price = obj(line.price) ?? obj(obj(line.pricing)?.price_details);
    return {
      lineId: text(line.id) ?? String(i),
      productId: idOf(price?.product),
      quantity: typeof line.quantity === 'number' ? line.quantity : 1,
      amount: Math.max(0, int(line.amount, `lines.data[${i}].amount`) - discounts),
      discount: discounts,
    };
  });
  return {
    kind: 'invoice',
    orderId: id,
    currency,
    customerId: idOf(inv.customer),
    customerEmail: text(inv.customer_email)?.toLowerCase() ?? null,
    subscriptionId: idOf(inv.subscription) ?? idOf(subscriptionDetails?.subscription),
    clickId: clickId(metadata.kclid, subscriptionMetadata.kclid),
    couponCode: text(metadata.coupon_code) ?? text(subscriptionMetadata.coupon_code),
    promotionCodeIds: [],
    grossTotal: typeof inv.amount_paid === 'number' ? int(inv.amount_paid, 'amount_paid') : null,
    aliases: [...new Set([idOf(inv.payment_intent), idOf(inv.charge), ...payments])].filter(
      (a): a is string => a !== null,
    ),
    lines,
  };
}

export function readChargeRefunded(event: unknown): StripeRefunds {
  const charge = dataObject(event, 'charge.refunded');
  const id = text(charge.id);
  const currency = text(charge.currency)?.toUpperCase();
  if (!id || !currency) throw new StripePayloadError('id or currency is missing');
  return {
    chargeId: id,
    paymentIntentId: idOf(charge.payment_intent),
    invoiceId: idOf(charge.invoice),
    currency,
    // Before 2022-11-15 (or with the list expanded) the charge still lists its refunds.
    refunds: arr(obj(charge.refunds)?.data).flatMap((r, i) => {
      const refund = obj(r);
      const refundId = text(refund?.id);
      if (!refundId) throw new StripePayloadError(`refunds.data[${i}].id is missing`);
      if (refund?.status === 'failed' || refund?.status === 'canceled') return [];
      return [{ refundId, amount: int(refund?.amount, `refunds.data[${i}].amount`) }];
    }),
    amountRefunded: int(charge.amount_refunded ?? 0, 'amount_refunded'),
    chargeAmount: charge.amount === undefined ? null : int(charge.amount, 'amount'),
  };
}

/** `refund.created` / `refund.updated`: one refund of a charge or payment intent. */
export function readRefund(event: unknown): StripeRefunds | StripeIgnored {
  const type = String(obj(event)?.type ?? '');
  if (type !== 'refund.created' && type !== 'refund.updated') throw new StripePayloadError('not a refund event');
  const refund = dataObject(event, type);
  const id = text(refund.id);
  const currency = text(refund.currency)?.toUpperCase();
  if (!id || !currency) throw new StripePayloadError('id or currency is missing');
  if (refund.status === 'failed' || refund.status === 'canceled') {
    return { ignored: `refund ${id} is ${refund.status}: nothing was taken back` };
  }
  const chargeId = idOf(refund.charge);
  const paymentIntentId = idOf(refund.payment_intent);
  if (!chargeId && !paymentIntentId) return { ignored: `refund ${id} names no charge or payment intent` };
  return {
    chargeId,
    paymentIntentId,
    invoiceId: null,
    currency,
    refunds: [{ refundId: id, amount: int(refund.amount, 'amount') }],
    amountRefunded: null,
    chargeAmount: null,
  };
}

/** `invoice_payment.paid` (basil): the payment intent or charge that paid an invoice. */
export function readInvoicePayment(event: unknown): { invoiceId: string; payments: string[] } | StripeIgnored {
  const p = dataObject(event, 'invoice_payment.paid');
  const invoiceId = idOf(p.invoice);
  const payment = obj(p.payment);
  const payments = [idOf(payment?.payment_intent), idOf(payment?.charge)].filter((x): x is string => x !== null);
  if (!invoiceId || payments.length === 0) return { ignored: 'the invoice payment names no invoice or payment' };
  return { invoiceId, payments };
}
