import { describe, expect, it } from 'vitest';
import { isValidBic, isValidIban } from './banking.js';

describe('IBAN', () => {
  it.each([
    'FI2112345600000785',
    'FI21 1234 5600 0007 85',
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'fi2112345600000785',
  ])('accepts %j', (iban) => expect(isValidIban(iban)).toBe(true));
  it.each(['FI2112345600000786', 'DE89370400440532013001', 'XX00', '', 'FI21-1234-5600-0007-85'])(
    'refuses %j',
    (iban) => expect(isValidIban(iban)).toBe(false),
  );
});

describe('BIC', () => {
  it.each(['NDEAFIHH', 'COBADEFFXXX', 'ndeafihh'])('accepts %j', (bic) => expect(isValidBic(bic)).toBe(true));
  it.each(['NDEAFIH', 'NDEA1IHH', 'COBADEFFXX', ''])('refuses %j', (bic) => expect(isValidBic(bic)).toBe(false));
});
