import { describe, expect, it } from 'vitest';
import { parseWooCommerceOrder, WooCommercePayloadError } from './woocommerce.js';

// The WooCommerce REST API v3 order, as its webhooks deliver it.
const order = {
  id: 727,
  status: 'processing',
  currency: 'USD',
  prices_include_tax: false,
  customer_id: 26,
  billing: { first_name: 'Sam', email: 'Sam@Example.com' },
  meta_data: [{ id: 13106, key: '_kclid', value: 'clk_01m8h806hasyb62kvd5hwh90f1' }],
  coupon_lines: [{ id: 318, code: 'dana15', discount: '6.75', discount_tax: '0.00' }],
  line_items: [
    {
      id: 315,
      name: 'Glow serum',
      product_id: 93,
      variation_id: 0,
      quantity: 1,
      subtotal: '45.00',
      total: '38.25',
      total_tax: '3.06',
      price: 38.25,
    },
    {
      id: 316,
      name: 'Night cream',
      product_id: 22,
      variation_id: 23,
      quantity: 2,
      subtotal: '20.00',
      total: '20.00',
      total_tax: '1.60',
      price: 10,
    },
  ],
};

describe('WooCommerce orders', () => {
  it("reads net line totals, the coupon, the customer and the checkout's click id", () => {
    const parsed = parseWooCommerceOrder(JSON.stringify(order));
    expect(parsed).toMatchObject({
      orderId: '727',
      status: 'processing',
      paid: true,
      currency: 'USD',
      customerId: '26',
      customerEmail: 'sam@example.com',
      couponCodes: ['dana15'],
      clickId: 'clk_01m8h806hasyb62kvd5hwh90f1',
    });
    expect(parsed.lines).toEqual([
      {
        lineId: '315',
        productId: '93',
        variationId: null,
        name: 'Glow serum',
        quantity: 1,
        amount: 3825,
        discount: 675,
      },
      {
        lineId: '316',
        productId: '22',
        variationId: '23',
        name: 'Night cream',
        quantity: 2,
        amount: 2000,
        discount: 0,
      },
    ]);
  });

  it('tells a pending order from a paid one and ignores a malformed click id', () => {
    const pending = parseWooCommerceOrder(
      JSON.stringify({ ...order, status: 'pending', meta_data: [{ key: 'kclid', value: 'javascript:alert(1)' }] }),
    );
    expect(pending.paid).toBe(false);
    expect(pending.clickId).toBeNull();
  });

  it('reads when the order was last changed from date_modified_gmt, a UTC time written without an offset', () => {
    // Read on a server whose local time is not UTC, where a time without an offset would be local.
    const tz = process.env.TZ;
    process.env.TZ = 'Europe/Helsinki';
    let changed: ReturnType<typeof parseWooCommerceOrder>;
    try {
      changed = parseWooCommerceOrder(
        JSON.stringify({ ...order, date_modified: '2026-12-01T11:40:00', date_modified_gmt: '2026-12-01T09:40:00' }),
      );
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(changed.updatedAt).toBe('2026-12-01T09:40:00.000Z');
    expect(parseWooCommerceOrder(JSON.stringify(order)).updatedAt).toBeNull();
    expect(parseWooCommerceOrder(JSON.stringify({ ...order, date_modified_gmt: 'yesterday' })).updatedAt).toBeNull();
  });

  it('refuses bodies that are not orders', () => {
    expect(() => parseWooCommerceOrder('webhook_id=12')).toThrow(WooCommercePayloadError);
    expect(() => parseWooCommerceOrder(JSON.stringify({ ...order, id: undefined }))).toThrow(/id is missing/);
    expect(() =>
      parseWooCommerceOrder(JSON.stringify({ ...order, line_items: [{ ...order.line_items[0], total: '38.255' }] })),
    ).toThrow(/total/);
  });
});
