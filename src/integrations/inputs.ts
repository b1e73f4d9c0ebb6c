/**
 * What each platform's event becomes: one input of the conversion contract. Pure; nothing here
 * attributes a sale or computes a commission.
 */
import type { RefundInput, SaleInput } from '../conversions/contract.js';
import type { ShopifyOrder, ShopifyRefund } from './shopify.js';
import type { StripeSale } from './stripe.js';
import type { TestOrder } from './test-orders.js';
import type { WooCommerceOrder } from './woocommerce.js';

export function saleFromShopify(programId: string, order: ShopifyOrder): SaleInput {
  return {
    programId,
    orderId: order.orderId,
    source: 'shopify',
    currency: order.currency,
    clickId: order.clickId,
    customerId: order.customerId,
    customerEmail: order.customerEmail,
    couponCodes: order.discountCodes,
    referrer: order.referrer,
    aliases: order.orderNumber ? [`#${order.orderNumber}`] : [],
    grossTotal: order.grossTotal,
    updatedAt: order.updatedAt,
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      name: l.title || null,
      amount: l.amount,
      quantity: Math.max(1, l.quantity),
      ...(l.discount > 0 ? { discountAmount: l.discount } : {}),
    })),
  };
}

/**
 * A Shopify refund: its lines' net amounts, or an amount refunded apart from lines. A refund of
 * shipping only takes nothing from the commissionable base: null, with the reason.
 */
export function refundFromShopify(programId: string, refund: ShopifyRefund): RefundInput | string {
  const base = { programId, orderId: refund.orderId, refundId: refund.refundId, source: 'shopify' as const };
  if (refund.lines.length > 0) {
    return {
      ...base,
      currency: refund.currency,
      lines: refund.lines.map((l) => ({ lineId: l.lineId, amount: l.amount })),
    };
  }
  if (refund.otherAmount > 0) return { ...base, currency: refund.currency, amount: refund.otherAmount };
  return refund.shippingAmount > 0
    ? `refund ${refund.refundId} of order ${refund.orderId} takes back shipping only: nothing on the commissionable base`
    : `refund ${refund.refundId} of order ${refund.orderId} names no line and no amount: nothing to reverse`;
}

/** A cancelled order: whatever is left of each line is reversed. */
export function cancellationFromShopify(programId: string, order: ShopifyOrder): RefundInput {
  return {
    programId,
    orderId: order.orderId,
    refundId: `cancel:${order.orderId}`,
    source: 'shopify',
    currency: order.currency,
    lines: order.lines.map((l) => ({ lineId: l.lineId, amount: l.amount })),
    reason: `order cancelled${order.financialStatus ? ` (${order.financialStatus})` : ''}`,
  };
}

export function saleFromStripe(programId: string, sale: StripeSale): SaleInput {
  return {
    programId,
    orderId: sale.orderId,
    source: 'stripe',
    currency: sale.currency,
    clickId: sale.clickId,
    customerId: sale.customerId,
    customerEmail: sale.customerEmail,
    couponCodes: sale.couponCode ? [sale.couponCode] : [],
    subscriptionId: sale.subscriptionId,
    aliases: sale.aliases,
    grossTotal: sale.grossTotal,
    lines: sale.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      amount: l.amount,
      quantity: Math.max(1, l.quantity),
      ...(l.discount > 0 ? { discountAmount: l.discount } : {}),
    })),
  };
}

export function saleFromWooCommerce(programId: string, order: WooCommerceOrder): SaleInput {
  return {
    programId,
    orderId: order.orderId,
    source: 'woocommerce',
    currency: order.currency,
    clickId: order.clickId,
    customerId: order.customerId,
    customerEmail: order.customerEmail,
    couponCodes: order.couponCodes,
    grossTotal: order.grossTotal,
    updatedAt: order.updatedAt,
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      name: l.name || null,
      amount: l.amount,
      quantity: Math.max(1, l.quantity),
      ...(l.discount > 0 ? { discountAmount: l.discount } : {}),
    })),
  };
}

/**
 * WooCommerce lists an order's refunds by id and gross total only: each reverses the same part
 * of the lines as it is of the order's total (lines, shipping, fees, tax). A refund of exactly
 * the order's shipping takes nothing from the lines. A refunded order with none listed is one
 * refund of the whole order, and a paid order later cancelled reverses what is left of it.
 */
export function refundsFromWooCommerce(
  programId: string,
  order: WooCommerceOrder,
): { inputs: RefundInput[]; notes: string[] } {
  const base = { programId, orderId: order.orderId, source: 'woocommerce' as const, currency: order.currency };
  const whole = (refundId: string, reason: string): RefundInput => ({
    ...base,
    refundId,
    lines: order.lines.map((l) => ({ lineId: l.lineId, amount: l.amount })),
    reason,
  });
  const inputs: RefundInput[] = [];
  const notes: string[] = [];
  for (const r of order.refunds) {
    if (order.shippingTotal > 0 && r.amount === order.shippingTotal) {
      notes.push(
        `refund ${r.refundId} of order ${order.orderId} is exactly its shipping: nothing on the commissionable base`,
      );
      continue;
    }
    inputs.push({ ...base, refundId: r.refundId, amount: r.amount, ofGross: order.grossTotal || null });
  }
  if (order.refunds.length === 0 && order.status === 'refunded') {
    inputs.push(whole(`order-${order.orderId}-refunded`, 'order refunded'));
  }
  if (order.status === 'cancelled' && order.datePaid) {
    inputs.push(whole(`order-${order.orderId}-cancelled`, 'order cancelled after it was paid'));
  }
  return { inputs, notes };
}

/** A Shopify test order (`test: true`), as it is kept apart. */
export function testOrderFromShopify(order: ShopifyOrder): TestOrder {
  return {
    orderId: order.orderId,
    currency: order.currency,
    amount: order.lines.reduce((sum, l) => sum + l.amount, 0),
    grossAmount: order.grossTotal,
    lineCount: order.lines.length,
    clickId: order.clickId,
    couponCodes: order.discountCodes,
  };
}

/** A sale of Stripe's test mode (`livemode: false`), as it is kept apart. */
export function testOrderFromStripe(sale: StripeSale): TestOrder {
  return {
    orderId: sale.orderId,
    currency: sale.currency,
    amount: sale.lines.reduce((sum, l) => sum + l.amount, 0),
    grossAmount: sale.grossTotal,
    lineCount: sale.lines.length,
    clickId: sale.clickId,
    couponCodes: sale.couponCode ? [sale.couponCode] : [],
  };
}
