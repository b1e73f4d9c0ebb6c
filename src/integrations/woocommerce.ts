import { decimalToMinor } from '../commissions/arithmetic.js';

/**
 * A WooCommerce order webhook (`order.created` / `order.updated`), as the WooCommerce REST API
 * (v3) shapes an order: money amounts are decimal strings; a line's `total` is after coupon
 * discounts and without tax. The click id is read from the order's meta data (`kclid` or
 * `_kclid`), where the shop's checkout stores what `window.kumppani.clickId()` gave it.
 */
export interface WooCommerceOrder {
  orderId: string;
  status: string;
  paid: boolean;
  currency: string;
  customerId: string | null;
  customerEmail: string | null;
  couponCodes: string[];
  clickId: string | null;
  /** Refunds of the order, each with its own id; amounts positive, in minor units. */
  refunds: { refundId: string; amount: number }[];
  /** When the order was paid (`date_paid_gmt`), if it was. */
  datePaid: string | null;
  /** What the shopper paid in all (`total`): lines, shipping, fees, tax. */
  grossTotal: number;
  /**
   * When the order was last changed (`date_modified_gmt`, an ISO instant): WooCommerce may deliver
   * an order's updates out of order.
   */
  updatedAt: string | null;
  /** Shipping with its tax (`shipping_total` + `shipping_tax`). */
  shippingTotal: number;
  lines: {
    lineId: string;
    productId: string | null;
    variationId: string | null;
    name: string;
    quantity: number;
    amount: number;
    /** What coupons took off the line (`subtotal` − `total`). */
    discount: number;
  }[];
}

export class WooCommercePayloadError extends Error {}

const CLICK_ID = /^clk_[0-9a-hjkmnp-tv-z]{26}$/;
/** Order statuses in which the shop has been paid. */
const PAID = new Set(['processing', 'completed']);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const idOf = (v: unknown): string | null =>
  (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) || (typeof v === 'string' && /^[1-9]\d*$/.test(v))
    ? String(v)
    : null;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** A `…_gmt` time of the REST API: UTC, written without an offset. Null when absent or not a time. */
const gmt = (v: unknown): string | null => {
  const t = text(v);
  if (t === null) return null;
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

export function parseWooCommerceOrder(rawBody: Buffer | string): WooCommerceOrder {
  let order: Json | undefined;
  try {
    order = obj(JSON.parse(rawBody.toString()));
  } catch (err) {
    throw new WooCommercePayloadError(`the body is not JSON: ${(err as Error).message}`);
  }
  if (!order) throw new WooCommercePayloadError('the body is not an order object');
  const orderId = idOf(order.id);
  if (!orderId) throw new WooCommercePayloadError('id is missing');
  const currency = text(order.currency)?.toUpperCase();
  if (!currency || !/^[A-Z]{3}$/.test(currency)) throw new WooCommercePayloadError('currency is missing');
  const status = text(order.status) ?? 'unknown';

  const lines = arr(order.line_items).map((item, i) => {
    const li = obj(item);
    if (!li) throw new WooCommercePayloadError(`line_items[${i}] is not an object`);
    const quantity = li.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
      throw new WooCommercePayloadError(`line_items[${i}].quantity is not a whole number`);
    }
    const total = li.total;
    if (typeof total !== 'string') throw new WooCommercePayloadError(`line_items[${i}].total is missing`);
    let amount: number;
    try {
      amount = decimalToMinor(total, currency);
    } catch (err) {
      throw new WooCommercePayloadError(`line_items[${i}].total: ${(err as Error).message}`);
    }
    let before = amount;
    if (typeof li.subtotal === 'string') {
      try {
        before = decimalToMinor(li.subtotal, currency);
      } catch (err) {
        throw new WooCommercePayloadError(`line_items[${i}].subtotal: ${(err as Error).message}`);
      }
    }
    return {
      lineId: idOf(li.id) ?? String(i),
      productId: idOf(li.product_id),
      variationId: idOf(li.variation_id),
      name: text(li.name) ?? '',
      quantity,
      amount,
      discount: Math.max(0, before - amount),
    };
  });

  const money = (value: unknown, field: string): number => {
    if (value === undefined || value === null || value === '') return 0;
    if (typeof value !== 'string') throw new WooCommercePayloadError(`${field} is not a decimal string`);
    try {
      return decimalToMinor(value, currency);
    } catch (err) {
      throw new WooCommercePayloadError(`${field}: ${(err as Error).message}`);
    }
  };
  let clickId: string | null = null;
  for (const m of arr(order.meta_data)) {
    const meta = obj(m);
    if (
      meta &&
      (meta.key === 'kclid' || meta.key === '_kclid') &&
      typeof meta.value === 'string' &&
      CLICK_ID.test(meta.value)
    ) {
      clickId = meta.value;
    }
  }
  return {
    orderId,
    status,
    paid: PAID.has(status),
    currency,
    customerId: idOf(order.customer_id),
    customerEmail: text(obj(order.billing)?.email)?.toLowerCase() ?? null,
    couponCodes: arr(order.coupon_lines)
      .map((c) => text(obj(c)?.code))
      .filter((c): c is string => c !== null),
    clickId,
    datePaid: text(order.date_paid_gmt) ?? text(order.date_paid),
    grossTotal: money(order.total, 'total'),
    updatedAt: gmt(order.date_modified_gmt),
    shippingTotal: money(order.shipping_total, 'shipping_total') + money(order.shipping_tax, 'shipping_tax'),
    refunds: arr(order.refunds).map((r, i) => {
      const refund = obj(r);
      const id = idOf(refund?.id);
      const total = text(refund?.total);
      if (!id || !total) throw new WooCommercePayloadError(`refunds[${i}] has no id or total`);
      try {
        // WooCommerce lists refunds with negative totals ("-10.00").
        return { refundId: id, amount: Math.abs(decimalToMinor(total, currency)) };
      } catch (err) {
        throw new WooCommercePayloadError(`refunds[${i}].total: ${(err as Error).message}`);
      }
    }),
    lines,
  };
}
