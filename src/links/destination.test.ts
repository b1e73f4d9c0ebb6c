import { describe, expect, it } from 'vitest';
import { destinationProblem, redirectLocation } from './destination.js';

const allowed = ['shop.example.com'];

describe('destinationProblem', () => {
  it.each([
    'https://shop.example.com/',
    'https://shop.example.com/products/synergy-leggings?variant=42#reviews',
    'http://shop.example.com',
    'https://eu.shop.example.com/p',
    'https://SHOP.example.com/p',
    'https://shop.example.com:443/p',
  ])('accepts %j', (url) => {
    expect(destinationProblem(url, allowed)).toBeUndefined();
  });

  it.each([
    ['javascript:alert(1)', 'INVALID_DESTINATION'],
    ['data:text/html,<script>alert(1)</script>', 'INVALID_DESTINATION'],
    ['ftp://shop.example.com/file', 'INVALID_DESTINATION'],
    ['//shop.example.com/x', 'INVALID_DESTINATION'],
    ['/products/x', 'INVALID_DESTINATION'],
    ['https://user:pass@shop.example.com/', 'INVALID_DESTINATION'],
    ['https://user@shop.example.com/', 'INVALID_DESTINATION'],
    [`https://shop.example.com/${'a'.repeat(2048)}`, 'INVALID_DESTINATION'],
    // Under 2,048 as typed, some 12,000 once each ä is percent-encoded as it is stored.
    [`https://shop.example.com/${'ä'.repeat(2000)}`, 'INVALID_DESTINATION'],
    ['https://evil.example.net/', 'DESTINATION_NOT_ALLOWED'],
    ['https://shop.example.com.evil.net/', 'DESTINATION_NOT_ALLOWED'],
    ['https://evilshop.example.com/', 'DESTINATION_NOT_ALLOWED'],
    ['https://example.com/', 'DESTINATION_NOT_ALLOWED'],
    ['https://shop.exаmple.com/', 'DESTINATION_NOT_ALLOWED'], // Cyrillic а: a punycode look-alike
    ['https://shop.example.com@evil.net/', 'INVALID_DESTINATION'],
    ['https://127.0.0.1/', 'DESTINATION_NOT_ALLOWED'],
  ])('refuses %j with %s', (url, code) => {
    expect(destinationProblem(url, allowed)?.code).toBe(code);
  });
});

describe('redirectLocation', () => {
  it('keeps the destination query and fragment, adds UTM, passes the visitor query through and sets kclid last', () => {
    const location = redirectLocation(
      'https://shop.example.com/p/leggings?variant=42&utm_source=brand#reviews',
      { source: 'tiktok', medium: 'creator', campaign: 'summer' },
      new URLSearchParams('variant=7&ref=abc&kclid=forged&via=qr'),
      'clk_01abc',
    );
    const url = new URL(location);
    expect(url.hash).toBe('#reviews');
    expect(url.searchParams.getAll('variant')).toEqual(['42']);
    expect(url.searchParams.get('utm_source')).toBe('brand');
    expect(url.searchParams.get('utm_medium')).toBe('creator');
    expect(url.searchParams.get('utm_campaign')).toBe('summer');
    expect(url.searchParams.get('ref')).toBe('abc');
    expect(url.searchParams.getAll('kclid')).toEqual(['clk_01abc']);
    expect(url.searchParams.has('via')).toBe(false);
    expect([...url.searchParams.keys()].pop()).toBe('kclid');
  });
});
