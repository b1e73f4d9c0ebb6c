import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyStripe } from './signatures.js';
import { readChargeRefunded, readCheckoutSession, readInvoicePaid, StripePayloadError } from './stripe.js';

const secret = 'whsec_test_0123456789abcdef';
const kclid = 'clk_01m8h806hasyb62kvd5hwh90f1';

/** An event as Stripe sends it, signed by the official package and verified as the webhook will. */
async function delivered(event: object): Promise<unknown> {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  const check = await verifyStripe(Buffer.from(payload), header, secret);
  if (!check.ok) throw new Error(check.reason);
  return check.event;
}

describe('Stripe events', () => {
  it('reads a completed Checkout Session: click id, customer, net amount without tax and shipping', async () => {
    const event = await delivered({
      id: 'evt_1',
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: 'cs_test_a1',
          object: 'checkout.session',
          client_reference_id: kclid,
          currency: 'eur',
          amount_subtotal: 6000,
          amount_total: 6325,
          total_details: { amount_discount: 900, amount_shipping: 490, amount_tax: 735 },
          customer: 'cus_123',
          customer_details: { email: 'Shopper@Example.com' },
          discounts: [{ coupon: null, promotion_code: 'promo_abc' }],
          metadata: { coupon_code: 'DANA15' },
          subscription: null,
        },
      },
    });
    expect(readCheckoutSession(event)).toEqual({
      kind: 'checkout',
      orderId: 'cs_test_a1',
      currency: 'EUR',
      customerId: 'cus_123',
      customerEmail: 'shopper@example.com',
      subscriptionId: null,
      clickId: kclid,
      couponCode: 'DANA15',
      promotionCodeIds: ['promo_abc'],
      aliases: [],
      lines: [{ lineId: 'cs_test_a1', productId: null, quantity: 1, amount: 5100, discount: 900 }],
      grossTotal: 6325,
    });
  });

  it('reads a paid subscription invoice line by line after its discounts', async () => {
    const event = await delivered({
      id: 'evt_2',
      object: 'event',
      type: 'invoice.paid',
      data: {
        object: {
          id: 'in_1',
          object: 'invoice',
          currency: 'usd',
          customer: 'cus_9',
          customer_email: 'sub@example.com',
          subscription: 'sub_1',
          metadata: { kclid },
          lines: {
            object: 'list',
            data: [
              {
                id: 'il_1',
                amount: 2900,
                quantity: 1,
                price: { id: 'price_1', product: 'prod_glow' },
                discount_amounts: [{ amount: 290, discount: 'di_1' }],
              },
            ],
          },
        },
      },
    });
    expect(readInvoicePaid(event)).toMatchObject({
      kind: 'invoice',
      orderId: 'in_1',
      currency: 'USD',
      subscriptionId: 'sub_1',
      clickId: kclid,
      lines: [{ lineId: 'il_1', productId: 'prod_glow', quantity: 1, amount: 2610 }],
    });
  });

  it('reads the refunds of a charge, each with its own id', async () => {
    const event = await delivered({
      id: 'evt_3',
      object: 'event',
      type: 'charge.refunded',
      data: {
        object: {
          id: 'ch_1',
          object: 'charge',
          currency: 'eur',
          payment_intent: 'pi_1',
          amount_refunded: 3000,
          refunds: {
            object: 'list',
            data: [
              { id: 're_2', amount: 1000 },
              { id: 're_1', amount: 2000 },
            ],
          },
        },
      },
    });
    expect(readChargeRefunded(event)).toEqual({
      chargeId: 'ch_1',
      paymentIntentId: 'pi_1',
      invoiceId: null,
      currency: 'EUR',
      refunds: [
        { refundId: 're_2', amount: 1000 },
        { refundId: 're_1', amount: 2000 },
      ],
      amountRefunded: 3000,
      chargeAmount: null,
    });
  });

  it('refuses events of another type or with amounts that are not whole numbers', () => {
    expect(() => readCheckoutSession({ type: 'invoice.paid', data: { object: {} } })).toThrow(StripePayloadError);
    expect(() =>
      readCheckoutSession({
        type: 'checkout.session.completed',
        data: { object: { id: 'cs_1', currency: 'eur', amount_subtotal: 12.5 } },
      }),
    ).toThrow(/amount_subtotal/);
    expect(() =>
      readChargeRefunded({
        type: 'charge.refunded',
        data: { object: { id: 'ch', currency: 'eur', refunds: { data: [{}] } } },
      }),
    ).toThrow(/refunds\.data\[0\]\.id/);
  });
});
