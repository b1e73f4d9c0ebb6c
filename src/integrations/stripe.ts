/**
 * Stripe events, read into what a sale, a renewal or a refund needs. The events are verified
 * first (signatures.ts); amounts are already integers in minor units; currencies are lowercase.
 *
 * - `checkout.session.completed`: the click id is the session's `client_reference_id`, or
 *   `metadata.kclid`. Webhooks carry no line items, so the sale is one line: the subtotal after
 *   discounts, without tax and shipping. Promotion codes arrive as ids; a code typed by the
 *   shopper can be passed in `metadata.coupon_code`.
 * - `invoice.paid`: a subscription's invoice; each line after its discounts.
 * - `charge.refunded`: the refunds of a payment, each with its own id, so a repeated delivery is
 *   one refund.
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
  lines: { lineId: string; productId: string | null; quantity: number; amount: number }[];
}

export interface StripeRefunds {
  chargeId: string;
  paymentIntentId: string | null;
  currency: string;
  refunds: { refundId: string; amount: number }[];
}

function dataObject(event: unknown, type: string): Json {
  const e = obj(event);
  if (!e || e.type !== type) throw new StripePayloadError(`not a ${type} event`);
  const o = obj(obj(e.data)?.object);
  if (!o) throw new StripePayloadError('data.object is missing');
  return o;
}

export function readCheckoutSession(event: unknown): StripeSale {
  const s = dataObject(event, 'checkout.session.completed');
  const id = text(s.id);
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
    orderId: id,
    currency,
    customerId: idOf(s.customer),
    customerEmail: text(obj(s.customer_details)?.email)?.toLowerCase() ?? null,
    subscriptionId: idOf(s.subscription),
    clickId: clickId(s.client_reference_id, metadata.kclid),
    couponCode: text(metadata.coupon_code),
    promotionCodeIds: arr(s.discounts)
      .map((d) => idOf(obj(d)?.promotion_code))
      .filter((c): c is string => c !== null),
    aliases: [idOf(s.payment_intent)].filter((a): a is string => a !== null),
    lines: [{ lineId: id, productId: null, quantity: 1, amount: Math.max(0, subtotal - discount) }],
  };
}

export function readInvoicePaid(event: unknown): StripeSale {
  const inv = dataObject(event, 'invoice.paid');
  const id = text(inv.id);
  const currency = text(inv.currency)?.toUpperCase();
  if (!id || !currency) throw new StripePayloadError('id or currency is missing');
  const metadata = obj(inv.metadata) ?? {};
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
    };
  });
  return {
    kind: 'invoice',
    orderId: id,
    currency,
    customerId: idOf(inv.customer),
    customerEmail: text(inv.customer_email)?.toLowerCase() ?? null,
    subscriptionId: idOf(inv.subscription) ?? idOf(obj(obj(inv.parent)?.subscription_details)?.subscription),
    clickId: clickId(metadata.kclid),
    couponCode: text(metadata.coupon_code),
    promotionCodeIds: [],
    aliases: [idOf(inv.payment_intent), idOf(inv.charge)].filter((a): a is string => a !== null),
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
    currency,
    refunds: arr(obj(charge.refunds)?.data).map((r, i) => {
      const refund = obj(r);
      const refundId = text(refund?.id);
      if (!refundId) throw new StripePayloadError(`refunds.data[${i}].id is missing`);
      return { refundId, amount: int(refund?.amount, `refunds.data[${i}].amount`) };
    }),
  };
}
