import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyShopify, verifyStripe, verifyWooCommerce } from './signatures.js';

const body = Buffer.from('{"id":5678901234567890123,"total_price":"60.00","currency":"EUR"}');
const sign = (secret: string, raw: Buffer) => createHmac('sha256', secret).update(raw).digest('base64');

describe('Shopify and WooCommerce signatures', () => {
  for (const [name, verify] of [
    ['Shopify', verifyShopify],
    ['WooCommerce', verifyWooCommerce],
  ] as const) {
    it(`${name}: accepts the platform's HMAC of the raw body and refuses anything else`, () => {
      const secret = 'shared-secret-123';
      expect(verify(body, sign(secret, body), secret)).toBe(true);
      expect(verify(body, sign('other-secret', body), secret)).toBe(false);
      expect(verify(Buffer.from(`${body} `), sign(secret, body), secret)).toBe(false);
      expect(verify(body, undefined, secret)).toBe(false);
      expect(verify(body, '', secret)).toBe(false);
      expect(verify(body, 'not base64 at all!', secret)).toBe(false);
      expect(verify(body, sign(secret, body).slice(0, 20), secret)).toBe(false);
    });
  }
});

describe('Stripe signatures, made by the official stripe package', () => {
  const secret = 'whsec_test_0123456789abcdef';
  const payload = JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type: 'checkout.session.completed',
    data: { object: { id: 'cs_test_1', client_reference_id: 'clk_01m8h806hasyb62kvd5hwh90f1' } },
  });

  it('accepts a fresh signature and gives the event', async () => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    const check = await verifyStripe<{ type: string }>(Buffer.from(payload), header, secret);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.event.type).toBe('checkout.session.completed');
  });

  it('refuses a wrong secret, an altered body, no header and an event older than the tolerance', async () => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect((await verifyStripe(Buffer.from(payload), header, 'whsec_other_secret')).ok).toBe(false);
    expect((await verifyStripe(Buffer.from(payload.replace('cs_test_1', 'cs_test_2')), header, secret)).ok).toBe(false);
    expect((await verifyStripe(Buffer.from(payload), undefined, secret)).ok).toBe(false);
    const old = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    const stale = await verifyStripe(Buffer.from(payload), old, secret, 300);
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.reason).toMatch(/tolerance/i);
  });
});
