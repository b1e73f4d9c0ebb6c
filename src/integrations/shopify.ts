import { parse } from 'lossless-json';
import { decimalToMinor } from '../commissions/arithmetic.js';

/**
 * A Shopify `orders/paid` (or `orders/create`) webhook, read from its raw body as Shopify sends
 * it. Shopify's ids are 64-bit integers, beyond what a JavaScript number holds exactly, so the
 * body is parsed with every integer beyond 2^53 kept as its exact digits, and ids are kept as
 * strings throughout. Prices are decimal strings in the order's currency.
 */
export interface ShopifyOrder {
  orderId: string;
  orderNumber: string | null;
  currency: string;
  customerId: string | null;
  customerEmail: string | null;
  discountCodes: string[];
  /** The click id, from the cart attributes the snippet wrote, or from the landing page's query. */
  clickId: string | null;
  /** Where the buyer came from (`referring_site`), for coupon-site checks. */
  referrer: string | null;
  /** A test order (Shopify's Bogus Gateway, or a payment provider in test mode). */
  test: boolean;
  /** When the order was cancelled, if it was. */
  cancelledAt: string | null;
  financialStatus: string | null;
  /** What the shopper paid in all: lines, shipping, tax (`total_price`). */
  grossTotal: number | null;
  /** When Shopify last changed the order (`updated_at`): its updates may arrive out of order. */
  updatedAt: string | null;
  lines: {
    lineId: string;
    productId: string | null;
    variantId: string | null;
    title: string;
    quantity: number;
    amount: number;
    /** The discounts the order applied to the line (`discount_allocations`). */
    discount: number;
  }[];
}

export class ShopifyPayloadError extends Error {}

/** The financial statuses of an order whose money was taken, in part or in whole. */
export const MONEY_TAKEN = new Set(['paid', 'partially_paid', 'partially_refunded', 'refunded']);

const CLICK_ID = /^clk_[0-9a-hjkmnp-tv-z]{26}$/;

/** Integers that fit a number stay numbers; larger ones stay exact as strings; decimals stay strings. */
function parseNumber(text: string): number | string {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  return text;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const idOf = (v: unknown): string | null =>
  typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? String(v) : null;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** A time the payload gives, as an ISO instant; null when absent or not a time. */
const instant = (v: unknown): string | null => {
  const t = text(v);
  const ms = t === null ? Number.NaN : Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

function minor(value: unknown, currency: string, field: string): number {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string') throw new ShopifyPayloadError(`${field} is missing`);
  try {
    return decimalToMinor(s, currency);
  } catch (err) {
    throw new ShopifyPayloadError(`${field}: ${(err as Error).message}`);
  }
}

function clickIdFrom(order: Json): string | null {
  for (const attr of [...arr(order.note_attributes), ...arr(order.attributes)]) {
    const a = obj(attr);
    if (a && a.name === 'kclid' && typeof a.value === 'string' && CLICK_ID.test(a.value)) return a.value;
  }
  const landing = text(order.landing_site);
  if (landing) {
    try {
      const id = new URL(landing, 'https://shop.invalid').searchParams.get('kclid');
      if (id && CLICK_ID.test(id)) return id;
    } catch {
      // not a URL: no click id
    }
  }
  return null;
}

export function parseShopifyOrder(rawBody: Buffer | string): ShopifyOrder {
  let order: Json | undefined;
  try {
    order = obj(parse(rawBody.toString(), undefined, parseNumber));
  } catch (err) {
    throw new ShopifyPayloadError(`the body is not JSON: ${(err as Error).message}`);
  }
  if (!order) throw new ShopifyPayloadError('the body is not an order object');
  const orderId = idOf(order.id);
  if (!orderId) throw new ShopifyPayloadError('id is missing');
  const currency = text(order.currency)?.toUpperCase();
  if (!currency || !/^[A-Z]{3}$/.test(currency)) throw new ShopifyPayloadError('currency is missing');
  const taxesIncluded = order.taxes_included === true;

  const lines = arr(order.line_items).map((item, i) => {
    const li = obj(item);
    if (!li) throw new ShopifyPayloadError(`line_items[${i}] is not an object`);
    const quantity = li.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
      throw new ShopifyPayloadError(`line_items[${i}].quantity is not a whole number`);
    }
    const unit = minor(li.price, currency, `line_items[${i}].price`);
    const discounts = arr(li.discount_allocations).reduce<number>(
      (sum, d, j) => sum + minor(obj(d)?.amount, currency, `line_items[${i}].discount_allocations[${j}].amount`),
      0,
    );
    // Where prices include tax, the tax is taken out: commissions are paid on net amounts.
    const tax = taxesIncluded
      ? arr(li.tax_lines).reduce<number>(
          (sum, t, j) => sum + minor(obj(t)?.price, currency, `line_items[${i}].tax_lines[${j}].price`),
          0,
        )
      : 0;
    return {
      lineId: idOf(li.id) ?? String(i),
      productId: idOf(li.product_id),
      variantId: idOf(li.variant_id),
      title: text(li.title) ?? '',
      quantity,
      amount: Math.max(0, unit * quantity - discounts - tax),
      discount: discounts,
    };
  });

  const customer = obj(order.customer);
  return {
    orderId,
    orderNumber: order.order_number === undefined ? null : String(order.order_number),
    currency,
    customerId: idOf(customer?.id),
    customerEmail: (text(order.email) ?? text(customer?.email))?.toLowerCase() ?? null,
    discountCodes: arr(order.discount_codes)
      .map((d) => text(obj(d)?.code))
      .filter((c): c is string => c !== null),
    clickId: clickIdFrom(order),
    referrer: text(order.referring_site),
    test: order.test === true,
    cancelledAt: text(order.cancelled_at),
    financialStatus: text(order.financial_status),
    grossTotal:
      order.total_price === undefined || order.total_price === null
        ? null
        : minor(order.total_price, currency, 'total_price'),
    updatedAt: instant(order.updated_at),
    lines,
  };
}

/**
 * A Shopify `refunds/create` webhook: the refund's id, its order, and for each refunded line
 * item the net amount taken back (`subtotal`: after the line's discounts, without tax).
 */
export interface ShopifyRefund {
  refundId: string;
  orderId: string;
  currency: string | null;
  lines: { lineId: string; amount: number }[];
  /** Money refunded apart from lines, not shipping (`refund_discrepancy` adjustments). */
  otherAmount: number;
  /** Shipping refunded (`refund_shipping_lines`, or `shipping_refund` adjustments). */
  shippingAmount: number;
  /** A refund of a test order: its transactions are test transactions (`test: true`). */
  test: boolean;
}

export function parseShopifyRefund(rawBody: Buffer | string): ShopifyRefund {
  let refund: Json | undefined;
  try {
    refund = obj(parse(rawBody.toString(), undefined, parseNumber));
  } catch (err) {
    throw new ShopifyPayloadError(`the body is not JSON: ${(err as Error).message}`);
  }
  if (!refund) throw new ShopifyPayloadError('the body is not a refund object');
  const refundId = idOf(refund.id);
  const orderId = idOf(refund.order_id);
  if (!refundId || !orderId) throw new ShopifyPayloadError('id or order_id is missing');
  const items = arr(refund.refund_line_items).map((r) => obj(r) ?? {});
  const adjustments = arr(refund.order_adjustments).map((a) => obj(a) ?? {});
  const shippingLines = arr(refund.refund_shipping_lines).map((a) => obj(a) ?? {});
  const currency =
    text(obj(obj(items[0]?.subtotal_set)?.shop_money)?.currency_code) ??
    text(obj(arr(refund.transactions)[0])?.currency) ??
    text(obj(obj(shippingLines[0]?.subtotal_amount_set)?.shop_money)?.currency_code) ??
    text(obj(obj(adjustments[0]?.amount_set)?.shop_money)?.currency_code) ??
    null;
  const money = (value: unknown, field: string) => {
    if (!currency) throw new ShopifyPayloadError('the refund says no currency');
    return Math.abs(minor(value, currency, field));
  };
  const lines = items.map((item, i) => {
    const lineId = idOf(item.line_item_id);
    if (!lineId) throw new ShopifyPayloadError(`refund_line_items[${i}].line_item_id is missing`);
    return { lineId, amount: money(item.subtotal, `refund_line_items[${i}].subtotal`) };
  });
  // Adjustments are negative where money goes back to the buyer: shipping refunded, or an
  // amount refunded apart from the lines (a discrepancy).
  let otherAmount = 0;
  let shippingAmount = 0;
  adjustments.forEach((a, i) => {
    const amount = money(a.amount ?? '0', `order_adjustments[${i}].amount`);
    if (a.kind === 'shipping_refund') shippingAmount += amount;
    else if (a.kind === 'refund_discrepancy' && lines.length === 0) otherAmount += amount;
  });
  shippingLines.forEach((l, i) => {
    const subtotal = obj(obj(l.subtotal_amount_set)?.shop_money)?.amount ?? '0';
    shippingAmount += money(subtotal, `refund_shipping_lines[${i}].subtotal_amount_set`);
  });
  const test = arr(refund.transactions).some((t) => obj(t)?.test === true);
  return { refundId, orderId, currency: currency?.toUpperCase() ?? null, lines, otherAmount, shippingAmount, test };
}
