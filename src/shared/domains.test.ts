import { describe, expect, it } from 'vitest';
import { hostAllowed, normaliseHostname } from './domains.js';

describe('normaliseHostname', () => {
  it.each([
    ['shop.example.com', 'shop.example.com'],
    ['Shop.Example.COM', 'shop.example.com'],
    ['shop.example.com.', 'shop.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['a-b.example.fi', 'a-b.example.fi'],
  ])('%j → %j', (input, output) => {
    expect(normaliseHostname(input)).toBe(output);
  });

  it.each([
    'https://shop.example.com',
    'shop.example.com/path',
    'shop.example.com:8080',
    'user@shop.example.com',
    'localhost',
    '127.0.0.1',
    '::1',
    '-shop.example.com',
    'shop-.example.com',
    'shop..example.com',
    'shop example.com',
    'example.123',
    '',
    `${'a'.repeat(64)}.example.com`,
  ])('refuses %j', (input) => {
    expect(normaliseHostname(input)).toBeUndefined();
  });
});

describe('hostAllowed', () => {
  const allowed = ['shop.example.com', 'kauppa.fi'];
  it.each([
    ['shop.example.com', true],
    ['SHOP.example.com', true],
    ['eu.shop.example.com', true],
    ['kauppa.fi', true],
    ['example.com', false],
    ['evilshop.example.com', false],
    ['shop.example.com.evil.net', false],
    ['notkauppa.fi', false],
  ])('%s → %s', (host, ok) => {
    expect(hostAllowed(host, allowed)).toBe(ok);
  });
});
