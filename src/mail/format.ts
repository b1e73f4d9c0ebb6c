import { formatAmount } from '../shared/money.js';
import type { Locale } from './kinds.js';

const intlLocale: Record<Locale, string> = { en: 'en-US', fi: 'fi-FI' };

/**
 * An amount in minor units as the reader's locale writes it: `€19.99` in English, `19,99 €` in
 * Finnish. The amount reaches Intl as an exact decimal string, never as a float.
 */
export function money(locale: Locale, amount: number, currency: string): string {
  return new Intl.NumberFormat(intlLocale[locale], { style: 'currency', currency }).format(
    formatAmount(amount, currency) as unknown as number, // Intl formats a decimal string exactly
  );
}

/** A day as the reader's locale writes it: `Dec 7, 2026` or `7.12.2026`. */
export function day(locale: Locale, iso: string): string {
  const options: Intl.DateTimeFormatOptions =
    locale === 'fi'
      ? { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: 'UTC' }
      : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(intlLocale[locale], options).format(new Date(iso));
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
