/**
 * What each platform's event becomes: one input of the conversion contract. Pure; nothing here
 * attributes a sale or computes a commission.
 */
import type { RefundInput, SaleInput } from '../conversions/contract.js';
import type { ShopifyOrder, ShopifyRefund } from './shopify.js';
import type { StripeRefunds, StripeSale } from './stripe.js';
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
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      name: l.title || null,
      amount: l.amount,
      quantity: Math.max(1, l.quantity),
    })),
  };
}

export function refundFromShopify(programId: string, refund: ShopifyRefund): RefundInput {
  return {
    programId,
    orderId: refund.orderId,
    refundId: refund.refundId,
    source: 'shopify',
    currency: refund.currency,
    lines: refund.lines.map((l) => ({ lineId: l.lineId, amount: l.amount })),
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
    lines: sale.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      amount: l.amount,
      quantity: Math.max(1, l.quantity),
    })),
  };
}

/** A charge's refunds, each by its own id; the order is found by the payment intent (or the charge). */
export function refundsFromStripe(programId: string, refunds: StripeRefunds): RefundInput[] {
  return refunds.refunds.map((r) => ({
    programId,
    orderId: refunds.paymentIntentId ?? refunds.chargeId,
    refundId: r.refundId,
    source: 'stripe',
    currency: refunds.currency,
    amount: r.amount,
  }));
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
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      name: l.name || null,
      amount: l.amount,
      quantity: Math.max(1, l.quantity),
    })),
  };
}

/**
 * WooCommerce lists an order's refunds by id and total; a refunded order with none listed is
 * one refund of the whole order.
 */
export function refundsFromWooCommerce(programId: string, order: WooCommerceOrder): RefundInput[] {
  const base = { programId, orderId: order.orderId, source: 'woocommerce' as const, currency: order.currency };
  if (order.refunds.length > 0) return order.refunds.map((r) => ({ ...base, refundId: r.refundId, amount: r.amount }));
  if (order.status !== 'refunded') return [];
  return [
    {
      ...base,
      refundId: `order-${order.orderId}-refunded`,
      lines: order.lines.map((l) => ({ lineId: l.lineId, amount: l.amount })),
    },
  ];
}
