/**
 * Currencies and money amounts. Amounts are integers in the currency's minor unit; rates are
 * integer basis points. Nothing here uses a float for money.
 */
const supported = new Set(Intl.supportedValuesOf('currency'));

/** Codes that ICU still lists but that are no longer legal tender or are not currencies of payment. */
const retired = new Set(['XXX', 'XTS', 'XAU', 'XAG', 'XPD', 'XPT', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XSU', 'XUA']);

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supported.has(code) && !retired.has(code);
}

const minorUnitCache = new Map<string, number>();

/** Digits after the decimal point in a currency's minor unit: JPY 0, EUR 2, KWD 3. */
export function minorUnitDigits(currency: string): number {
  const cached = minorUnitCache.get(currency);
  if (cached !== undefined) return cached;
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  minorUnitCache.set(currency, digits);
  return digits;
}

/** Renders minor units as a plain decimal string without a float: 1999 EUR → "19.99". */
export function formatAmount(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amount < 0;
  const abs = BigInt(Math.abs(amount))
    .toString()
    .padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const frac = digits === 0 ? '' : `.${abs.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${frac}`;
}

export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
