import { describe, expect, it } from 'vitest';
import { formatAmount, isCurrencyCode, minorUnitDigits } from './money.js';

describe('currencies', () => {
  it.each(['EUR', 'USD', 'SEK', 'JPY', 'KWD', 'GBP', 'CHF'])('knows %s', (code) => {
    expect(isCurrencyCode(code)).toBe(true);
  });

  it.each(['eur', 'EURO', 'EUX', 'XXX', 'XTS', 'XAU', '', '123'])('refuses %j', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
  });

  it.each([
    ['JPY', 0],
    ['EUR', 2],
    ['USD', 2],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i decimals', (code, digits) => {
    expect(minorUnitDigits(code)).toBe(digits);
  });
});

describe('formatAmount', () => {
  it.each([
    [1999, 'EUR', '19.99'],
    [5, 'EUR', '0.05'],
    [0, 'EUR', '0.00'],
    [-1200, 'EUR', '-12.00'],
    [1500, 'JPY', '1500'],
    [1234, 'KWD', '1.234'],
    [9_007_199_254_740_991, 'USD', '90071992547409.91'],
  ])('%i %s is %s', (amount, currency, text) => {
    expect(formatAmount(amount, currency)).toBe(text);
  });
});
