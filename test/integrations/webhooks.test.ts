import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySales } from '../../src/analytics/recount.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createKey,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { dialect } from '../helpers/database.js';

const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const STRIPE_SECRET = 'whsec_test_0123456789abcdefghij';
const WOO_SECRET = 'woo-secret-0123456789';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let t: TestApp;
let brand: Brand;
let key: string;
let programId: string;
let dana: CreatorAccount;
let krista: CreatorAccount;

beforeAll(async () => {
  // On SQLite the deliveries go through the conversions thread, as on a served instance; the track
  // tests and test/conversions-thread.test.ts cover recording in process.
  t = await startTestApp({ conversionsThread: dialect === 'sqlite' });
  expect(Boolean((t.app as unknown as { conversionsThread: unknown }).conversionsThread)).toBe(dialect === 'sqlite');
  brand = await signupBrand(t.app, 'Aino');
  key = await createKey(t.app, brand.token, 'manager');
  programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: 2000 } })
  ).id;
  dana = await approvedCreator(t.app, brand.token, programId, 'Dana Vaughan');
  krista = await approvedCreator(t.app, brand.token, programId, 'Krista Creator');
  const code = await call(t.app, key, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId: dana.creatorId, code: 'DANA15', discount: { type: 'percent', bps: 1500 } },
  });
  expect(code.statusCode).toBe(201);
  for (const [platform, webhookSecret] of [
    ['shopify', SHOPIFY_SECRET],
    ['stripe', STRIPE_SECRET],
    ['woocommerce', WOO_SECRET],
  ]) {
    const put = await call(t.app, key, {
      method: 'PUT',
      url: `/api/v1/programs/${programId}/integrations/${platform}`,
      payload: { webhookSecret },
    });
    expect(put.statusCode, put.body).toBe(200);
  }
});
afterAll(async () => {
  await t?.close();
});

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');

function shopify(topic: string, body: string, opts: { secret?: string; webhookId?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/integrations/shopify/${programId}/webhook`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-webhook-id': opts.webhookId ?? `wh-${Math.random()}`,
      'x-shopify-hmac-sha256': hmac(opts.secret ?? SHOPIFY_SECRET, body),
    },
    payload: body,
  });
}

function stripe(event: object, opts: { timestamp?: number } = {}) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: STRIPE_SECRET,
    ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
  });
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/integrations/stripe/${programId}/webhook`,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    payload,
  });
}

async function clickOf(creator: CreatorAccount, slug: string): Promise<string> {
  await createLink(t.app, creator.token, { programId, slug, destinationUrl: 'https://shop.example.com/' });
  const res = await t.app.inject({ method: 'GET', url: `/${slug}`, headers: { 'user-agent': IPHONE } });
  return new URL(res.headers.location as string).searchParams.get('kclid') as string;
}

async function conversionOf(orderId: string) {
  const row = await t.database.handle.db
    .selectFrom('conversions')
    .select('id')
    .where('external_id', '=', orderId)
    .executeTakeFirst();
  if (!row) return undefined;
  return (await call(t.app, key, { method: 'GET', url: `/api/v1/conversions/${row.id}` })).json();
}

const count = async (table: 'conversions' | 'commissions' | 'refunds') =>
  (await t.database.handle.db.selectFrom(table).select('program_id').where('program_id', '=', programId).execute())
    .length;

// Shopify's orders/paid as the REST Admin API sends it: 64-bit ids, decimal-string prices.
const shopifyOrder = `{
  "id": 5678901234567890123,
  "order_number": 1042,
  "email": "shopper@example.com",
  "currency": "EUR",
  "taxes_included": false,
  "landing_site": "/products/synergy-leggings",
  "referring_site": "https://www.tiktok.com/",
  "note_attributes": [],
  "discount_codes": [{ "code": "dana15", "amount": "10.50", "type": "percentage" }],
  "customer": { "id": 7012345678901234567, "email": "shopper@example.com" },
  "line_items": [
    { "id": 13579246801357924680, "product_id": 9876543210987654321, "variant_id": 9876543210987654999,
      "title": "Synergy leggings", "quantity": 1, "price": "60.00",
      "discount_allocations": [{ "amount": "9.00", "discount_application_index": 0 }], "tax_lines": [] },
    { "id": 13579246801357924681, "product_id": 9876543210987654322, "variant_id": null,
      "title": "Sports socks", "quantity": 2, "price": "5.00",
      "discount_allocations": [{ "amount": "1.50", "discount_application_index": 0 }], "tax_lines": [] }
  ]
}`;

describe('Shopify', () => {
  it('records orders/paid by code with exact 64-bit ids, and a second delivery changes nothing', async () => {
    const res = await shopify('orders/paid', shopifyOrder, { webhookId: 'b54557e4-0001' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ received: true, status: 'recorded' });
    const conversion = await conversionOf('5678901234567890123');
    expect(conversion).toMatchObject({
      attribution: 'code',
      creatorId: dana.creatorId,
      amount: 5100 + 850,
      source: 'shopify',
    });
    expect(conversion.lines.map((l: { lineId: string }) => l.lineId)).toEqual([
      '13579246801357924680',
      '13579246801357924681',
    ]);
    expect(conversion.lines[0].externalProductId).toBe('9876543210987654321');
    expect(conversion.commissions.map((c: { amount: number }) => c.amount)).toEqual([1020, 170]);
    expect(conversion.commissions[0].explanation).toBe(
      '10.20 € = 20 % of 51.00 € (Synergy leggings, after the 15 % DANA15 discount), code DANA15 of Dana Vaughan, program rate',
    );

    const before = [await count('conversions'), await count('commissions')];
    const again = await shopify('orders/paid', shopifyOrder, { webhookId: 'b54557e4-0001' });
    expect(again.json().status).toBe('duplicate');
    const retriedUnderNewId = await shopify('orders/paid', shopifyOrder, { webhookId: 'b54557e4-0002' });
    expect(retriedUnderNewId.json().status).toBe('duplicate');
    expect([await count('conversions'), await count('commissions')]).toEqual(before);
  });

  it('reverses exactly the refunded lines of refunds/create, once', async () => {
    // An order of its own, paid first: the test does not lean on another test's order.
    const paid = await shopify('orders/paid', shopifyOrder.replace('5678901234567890123', '5678901234567890124'));
    expect(paid.json()).toMatchObject({ received: true, status: 'recorded' });
    const refund = `{
      "id": 890123456789012345678,
      "order_id": 5678901234567890124,
      "created_at": "2026-11-30T10:00:00+02:00",
      "refund_line_items": [
        { "id": 61234567890123456, "line_item_id": 13579246801357924681, "quantity": 1, "restock_type": "return",
          "subtotal": "4.25", "total_tax": "0.00",
          "subtotal_set": { "shop_money": { "amount": "4.25", "currency_code": "EUR" } } }
      ],
      "transactions": [{ "id": 1, "kind": "refund", "amount": "4.25", "currency": "EUR" }]
    }`;
    const res = await shopify('refunds/create', refund);
    expect(res.statusCode, res.body).toBe(200);
    const conversion = await conversionOf('5678901234567890124');
    const reversals = conversion.commissions.filter((c: { kind: string }) => c.kind === 'reversal');
    expect(reversals).toHaveLength(1);
    expect(reversals[0]).toMatchObject({ amount: -85, lineNo: 2, refundId: '890123456789012345678' });
    expect(conversion.lines[1].refundedAmount).toBe(425);
    expect(conversion.lines[0].refundedAmount).toBe(0);
    const again = await shopify('refunds/create', refund);
    expect(again.json().status).toBe('duplicate');
    expect((await conversionOf('5678901234567890124')).commissions).toHaveLength(3);
  });

  it('refuses a wrong signature with 401, stores nothing, and logs the refusal', async () => {
    const before = [await count('conversions'), await count('commissions')];
    const body = shopifyOrder.replace('5678901234567890123', '5678901234567890999');
    const res = await shopify('orders/paid', body, { secret: 'not-the-secret-at-all' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_SIGNATURE');
    const unsigned = await t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/shopify/${programId}/webhook`,
      headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/paid' },
      payload: body,
    });
    expect(unsigned.statusCode).toBe(401);
    expect([await count('conversions'), await count('commissions')]).toEqual(before);
    const log = await call(t.app, key, {
      method: 'GET',
      url: `/api/v1/programs/${programId}/integrations/shopify/deliveries`,
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().data[0]).toMatchObject({ verified: false, outcome: 'refused', errorCode: 'INVALID_SIGNATURE' });
    expect(log.json().data[0].bodySha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('Stripe', () => {
  it('turns checkout.session.completed with a kclid into the right pending commission, and charge.refunded reverses it', async () => {
    const clickId = await clickOf(krista, 'krista/stripe');
    const session = {
      id: 'evt_1Q2w3E4r',
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: 'cs_test_b1',
          object: 'checkout.session',
          client_reference_id: clickId,
          currency: 'eur',
          amount_subtotal: 6000,
          amount_total: 7225,
          total_details: { amount_discount: 0, amount_shipping: 490, amount_tax: 735 },
          customer: 'cus_Q1',
          customer_details: { email: 'buyer@example.com' },
          discounts: [],
          metadata: {},
          payment_intent: 'pi_3Q1',
          payment_status: 'paid',
          subscription: null,
        },
      },
    };
    const res = await stripe(session);
    expect(res.statusCode, res.body).toBe(200);
    const conversion = await conversionOf('cs_test_b1');
    expect(conversion).toMatchObject({ attribution: 'click', creatorId: krista.creatorId, clickId, amount: 6000 });
    expect(conversion.commissions[0]).toMatchObject({ amount: 1200, status: 'pending' });
    expect((await stripe(session)).json().status).toBe('duplicate');

    const refunded = {
      id: 'evt_2',
      object: 'event',
      type: 'charge.refunded',
      data: {
        object: {
          id: 'ch_3Q1',
          object: 'charge',
          currency: 'eur',
          payment_intent: 'pi_3Q1',
          refunds: { object: 'list', data: [{ id: 're_3Q1a', object: 'refund', amount: 3000 }] },
        },
      },
    };
    const refund = await stripe(refunded);
    expect(refund.statusCode, refund.body).toBe(200);
    const after = await conversionOf('cs_test_b1');
    // 30.00 € of the 72.25 € paid (lines, shipping and tax) is 24.91 € of the 60.00 € of lines.
    expect(after.commissions.reduce((s: number, c: { amount: number }) => s + c.amount, 0)).toBe(1200 - 498);
  });

  it('refuses an event signed longer ago than the tolerance', async () => {
    const old = await stripe(
      { id: 'evt_old', object: 'event', type: 'invoice.paid', data: { object: {} } },
      {
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      },
    );
    expect(old.statusCode).toBe(401);
  });

  it('acknowledges and logs an event type it does not read', async () => {
    const res = await stripe({
      id: 'evt_3',
      object: 'event',
      type: 'customer.created',
      data: { object: { id: 'cus_x' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('ignored');
  });
});

describe('WooCommerce', () => {
  const order = (status: string, refunds: object[] = []) =>
    JSON.stringify({
      id: 727,
      status,
      currency: 'EUR',
      customer_id: 12,
      billing: { email: 'woo@example.com' },
      coupon_lines: [],
      refunds,
      meta_data: [{ id: 1, key: '_kclid', value: '' }],
      line_items: [
        {
          id: 315,
          name: 'Yoga mat',
          product_id: 93,
          variation_id: 0,
          quantity: 1,
          subtotal: '40.00',
          total: '40.00',
          total_tax: '0.00',
        },
      ],
    });
  const woo = (topic: string, body: string, signed = true) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/woocommerce/${programId}/webhook`,
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-topic': topic,
        'x-wc-webhook-delivery-id': String(Math.random()),
        ...(signed ? { 'x-wc-webhook-signature': hmac(WOO_SECRET, body) } : {}),
      },
      payload: body,
    });

  it('answers the ping of a saved webhook, records a paid order by click and its refunds', async () => {
    const ping = await t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/woocommerce/${programId}/webhook`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'webhook_id=15',
    });
    expect(ping.statusCode).toBe(200);
    const clickId = await clickOf(dana, 'dana/woo');
    const paid = order('processing').replace('"value":""', `"value":"${clickId}"`);
    const res = await woo('order.updated', paid);
    expect(res.statusCode, res.body).toBe(200);
    expect((await conversionOf('727'))?.commissions[0]).toMatchObject({ amount: 800 });
    const refunded = order('processing', [{ id: 730, reason: 'damaged', total: '-10.00' }]).replace(
      '"value":""',
      `"value":"${clickId}"`,
    );
    const again = await woo('order.updated', refunded);
    expect(again.statusCode, again.body).toBe(200);
    const entries = (await conversionOf('727')).commissions as { amount: number }[];
    expect(entries.reduce((s, c) => s + c.amount, 0)).toBe(600);
    expect((await woo('order.updated', paid, false)).statusCode).toBe(401);
  });

  it('reads an order edited after it was recorded again: the added 5.00 € earns, and its refund is recorded too', async () => {
    const clickId = await clickOf(dana, 'dana/woo-edit');
    const paid = order('processing').replace('"id":727', '"id":728').replace('"value":""', `"value":"${clickId}"`);
    expect((await woo('order.updated', paid)).statusCode).toBe(200);
    const edited = order('processing', [{ id: 731, reason: 'damaged', total: '-10.00' }])
      .replace('"id":727', '"id":728')
      .replace('"value":""', `"value":"${clickId}"`)
      .replaceAll('"40.00"', '"45.00"');
    const res = await woo('order.updated', edited);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatch(/^order 728 edited: now 45\.00 €; commission \+1\.00 €/);
    const entries = (await conversionOf('728')).commissions as { amount: number; explanation: string }[];
    expect(entries.map((c) => c.amount)).toEqual([800, 100, -178, -22]);
    expect(entries[1]?.explanation).toBe(
      '1.00 € = 20 % of the 5.00 € that Yoga mat went up by when order 728 was edited',
    );
    // Analytics' rollups follow the edit: the order's GMV, refund and commission as they now stand.
    expect((await verifySales(t.database.handle.db, [programId])).differences).toEqual([]);
  });
});

describe('oversized deliveries', () => {
  it('answers a body over the limit with 413 and stores nothing', async () => {
    const before = await count('conversions');
    const huge = JSON.stringify({ id: 1, padding: 'x'.repeat(t.config.bodyLimit + 1) });
    const res = await shopify('orders/paid', huge);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count('conversions')).toBe(before);
  });
});

describe('integration setup', () => {
  it('tells a store developer whether the secret and wiring work with a signed test event', async () => {
    for (const platform of ['shopify', 'stripe', 'woocommerce']) {
      const res = await call(t.app, key, {
        method: 'POST',
        url: `/api/v1/programs/${programId}/integrations/${platform}/test`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ verified: true });
      expect(res.json().wouldRecord[0].kind).toBe('sale');
    }
    const log = await call(t.app, key, {
      method: 'GET',
      url: `/api/v1/programs/${programId}/integrations/stripe/deliveries?limit=1`,
    });
    expect(log.json().data[0]).toMatchObject({ test: true, outcome: 'tested' });
  });

  it('answers 404 for an unknown program and 409 when no secret is set', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integrations/shopify/prg_missing/webhook',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(unknown.statusCode).toBe(404);
    const bare = (await createProgram(t.app, key)).id;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/stripe/${bare}/webhook`,
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INTEGRATION_NOT_CONFIGURED');
  });
});
