import { createHmac } from 'node:crypto';
import type { IntegrationPlatform } from './schemas.js';

/**
 * A sample event of each platform, signed with the program's secret exactly as the platform
 * signs it, so that a store developer can see the secret and the wiring work end to end.
 */
export async function sampleDelivery(
  platform: IntegrationPlatform,
  secret: string,
  currency: string,
  now: Date,
): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const hmac = (body: Buffer) => createHmac('sha256', secret).update(body).digest('base64');
  if (platform === 'shopify') {
    // Shopify's ids are 64-bit: written as digits, beyond what a JavaScript number holds exactly.
    const body = Buffer.from(
      `{"id":9007199254740993123,"order_number":1001,"currency":"${currency}","email":"test.buyer@example.com",` +
        `"taxes_included":false,"discount_codes":[],"note_attributes":[],"landing_site":"/","referring_site":null,` +
        `"customer":{"id":7390123456789012345,"email":"test.buyer@example.com"},` +
        `"line_items":[{"id":1301234567890123456,"product_id":8801234567890123456,"variant_id":4401234567890123456,` +
        `"title":"Test product","quantity":1,"price":"10.00","discount_allocations":[],"tax_lines":[]}]}`,
    );
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/paid',
        'x-shopify-webhook-id': `test-${now.getTime()}`,
        'x-shopify-hmac-sha256': hmac(body),
      },
    };
  }
  if (platform === 'woocommerce') {
    const body = Buffer.from(
      JSON.stringify({
        id: 1001,
        status: 'processing',
        currency,
        customer_id: 0,
        billing: { email: 'test.buyer@example.com' },
        coupon_lines: [],
        meta_data: [],
        refunds: [],
        line_items: [{ id: 1, product_id: 10, variation_id: 0, name: 'Test product', quantity: 1, total: '10.00' }],
      }),
    );
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-topic': 'order.updated',
        'x-wc-webhook-delivery-id': `test-${now.getTime()}`,
        'x-wc-webhook-signature': hmac(body),
      },
    };
  }
  const { default: Stripe } = await import('stripe');
  const body = Buffer.from(
    JSON.stringify({
      id: `evt_test_${now.getTime()}`,
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(now.getTime() / 1000),
      data: {
        object: {
          id: `cs_test_${now.getTime()}`,
          object: 'checkout.session',
          currency: currency.toLowerCase(),
          amount_subtotal: 1000,
          amount_total: 1000,
          total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
          client_reference_id: null,
          customer: null,
          customer_details: { email: 'test.buyer@example.com' },
          metadata: {},
          payment_intent: `pi_test_${now.getTime()}`,
          payment_status: 'paid',
        },
      },
    }),
  );
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body.toString(),
    secret,
    timestamp: Math.floor(now.getTime() / 1000),
  });
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
}
