import { describe, expect, it } from 'vitest';
import { parseShopifyOrder, ShopifyPayloadError } from './shopify.js';

// The shape and types of Shopify's orders/paid webhook (REST Admin API order resource): ids are
// 64-bit integers, money amounts decimal strings.
const raw = `{
  "id": 5678901234567890123,
  "order_number": 1042,
  "email": "Shopper@Example.com",
  "currency": "EUR",
  "taxes_included": true,
  "landing_site": "/products/synergy-leggings?kclid=clk_01m8h806hasyb62kvd5hwh90f1&utm_source=kumppani",
  "note_attributes": [{ "name": "kclid", "value": "clk_01m8h806hasyb62kvd5hwh90f2" }],
  "discount_codes": [{ "code": "DANA15", "amount": "9.00", "type": "percentage" }],
  "customer": { "id": 7012345678901234567, "email": "shopper@example.com" },
  "line_items": [
    {
      "id": 13579246801357924680,
      "product_id": 9876543210987654321,
      "variant_id": 9876543210987654999,
      "title": "Synergy leggings",
      "quantity": 1,
      "price": "60.00",
      "total_discount": "0.00",
      "discount_allocations": [{ "amount": "9.00", "discount_application_index": 0 }],
      "tax_lines": [{ "title": "ALV", "price": "9.87", "rate": 0.24 }]
    },
    {
      "id": 13579246801357924681,
      "product_id": 9876543210987654322,
      "variant_id": null,
      "title": "Sports socks",
      "quantity": 3,
      "price": "5.00",
      "discount_allocations": [],
      "tax_lines": [{ "title": "ALV", "price": "2.90", "rate": 0.24 }]
    }
  ]
}`;

describe('Shopify orders', () => {
  it('keeps 64-bit ids exact and computes net line amounts after discounts, without tax', () => {
    const order = parseShopifyOrder(Buffer.from(raw));
    expect(order.orderId).toBe('5678901234567890123');
    expect(order.customerId).toBe('7012345678901234567');
    expect(order.lines[0]).toMatchObject({
      lineId: '13579246801357924680',
      productId: '9876543210987654321',
      variantId: '9876543210987654999',
      quantity: 1,
      amount: 6000 - 900 - 987,
    });
    expect(order.lines[1]).toMatchObject({ productId: '9876543210987654322', variantId: null, amount: 1500 - 290 });
    expect(order.discountCodes).toEqual(['DANA15']);
    expect(order.customerEmail).toBe('shopper@example.com');
    expect(order.orderNumber).toBe('1042');
    // The cart attribute the snippet wrote wins over the landing page.
    expect(order.clickId).toBe('clk_01m8h806hasyb62kvd5hwh90f2');
  });

  it('falls back to the landing page for the click id, and keeps prices as given without taxes_included', () => {
    const order = parseShopifyOrder(
      raw.replace('"note_attributes"', '"unused"').replace('"taxes_included": true', '"taxes_included": false'),
    );
    expect(order.clickId).toBe('clk_01m8h806hasyb62kvd5hwh90f1');
    expect(order.lines[0]?.amount).toBe(6000 - 900);
  });

  it('reads when the order was last changed (updated_at, with its offset) as an instant', () => {
    const order = parseShopifyOrder(
      raw.replace('"order_number"', '"updated_at": "2026-12-02T09:30:00+02:00", "order_number"'),
    );
    expect(order.updatedAt).toBe('2026-12-02T07:30:00.000Z');
    expect(parseShopifyOrder(raw).updatedAt).toBeNull();
  });

  it('reads currencies with 0 and 3 decimals', () => {
    const jpy = parseShopifyOrder(raw.replace('"EUR"', '"JPY"').replace(/"(\d+)\.(\d\d)"/g, '"$1"'));
    expect(jpy.lines[0]?.amount).toBe(60 - 9 - 9);
  });

  it('refuses bodies that are not orders, with the field that is wrong', () => {
    expect(() => parseShopifyOrder('not json')).toThrow(ShopifyPayloadError);
    expect(() => parseShopifyOrder('{"currency":"EUR","line_items":[]}')).toThrow(/id is missing/);
    expect(() => parseShopifyOrder(raw.replace('"60.00"', '"60.005"'))).toThrow(/line_items\[0\]\.price/);
    expect(() => parseShopifyOrder(raw.replace('"quantity": 3', '"quantity": 1.5'))).toThrow(/quantity/);
  });
});
