import { describe, expect, it } from 'vitest';
import { day, money } from './format.js';
import { emailKinds, locales } from './kinds.js';
import { type EmailData, renderEmail } from './templates.js';

const hostile = 'Kesä <script>alert(1)</script> & "co"';
const samples: EmailData = {
  invitation: { brandName: hostile, programName: hostile, message: hostile, url: 'https://k.example/app/me/programs' },
  email_verification: { name: hostile, url: 'https://k.example/app/verify-email?token=kpt_x&y=1', validHours: 48 },
  password_reset: { name: hostile, url: 'https://k.example/app/reset-password?token=kpt_x', validMinutes: 60 },
  signup_attempt: {
    name: hostile,
    loginUrl: 'https://k.example/app/login',
    resetUrl: 'https://k.example/app/reset-password',
  },
  payout_sent: {
    name: hostile,
    brandName: hostile,
    programName: hostile,
    amount: 123_456,
    currency: 'EUR',
    method: 'sepa',
    reference: hostile,
    paidAt: '2026-12-07T12:00:00Z',
    url: 'https://k.example/app/me/payouts',
  },
  payout_failed: {
    name: hostile,
    brandName: hostile,
    programName: hostile,
    amount: 500,
    currency: 'USD',
    reason: hostile,
    url: 'https://k.example/app/me/payouts',
  },
  commission_approved: { name: hostile, programName: hostile, count: 3, amount: 1_999, currency: 'EUR' },
  tax_details_missing: {
    name: hostile,
    brandName: hostile,
    programName: hostile,
    missing: hostile,
    url: 'https://k.example/app/me/payouts',
  },
};

const cases = emailKinds.flatMap((kind) => locales.map((locale) => [kind, locale] as const));

describe('email templates', () => {
  it.each(cases)('%s in %s renders a subject, text and HTML with nothing left unfilled', (kind, locale) => {
    const mail = renderEmail(kind, locale, samples[kind] as never);
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part.length).toBeGreaterThan(10);
      expect(part).not.toMatch(/undefined|NaN|\[object/);
    }
    expect(mail.html).toContain(`<html lang="${locale}">`);
  });

  it.each(cases)('%s in %s escapes every piece of user text in the HTML', (kind, locale) => {
    const { html } = renderEmail(kind, locale, samples[kind] as never);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Kesä &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;');
  });

  it('writes the link of an action into the HTML with its ampersands escaped', () => {
    const { html, text } = renderEmail('email_verification', 'en', samples.email_verification);
    expect(html).toContain('href="https://k.example/app/verify-email?token=kpt_x&amp;y=1"');
    expect(text).toContain('https://k.example/app/verify-email?token=kpt_x&y=1');
  });

  it('writes one approved commission in the singular and several in the plural', () => {
    const one = renderEmail('commission_approved', 'fi', { ...samples.commission_approved, count: 1 });
    const many = renderEmail('commission_approved', 'fi', samples.commission_approved);
    expect(one.text).toContain('Yksi provisio (19,99\u00a0€)');
    expect(many.text).toContain('3 provisiota, yhteensä 19,99\u00a0€');
  });
});

describe('money and days in the reader’s locale', () => {
  it.each([
    ['en', 1_999, 'EUR', '€19.99'],
    ['fi', 1_999, 'EUR', '19,99\u00a0€'],
    ['fi', 1_234_567, 'EUR', '12\u00a0345,67\u00a0€'],
    ['en', 1_500, 'JPY', '¥1,500'],
    ['en', 1_234, 'KWD', 'KWD\u00a01.234'],
    ['en', 9_007_199_254_740_991, 'EUR', '€90,071,992,547,409.91'],
    ['en', -250, 'USD', '-$2.50'],
  ] as const)('%s writes %i %s as %s', (locale, amount, currency, expected) => {
    expect(money(locale, amount, currency)).toBe(expected);
  });

  it.each([
    ['en', 'Dec 7, 2026'],
    ['fi', '7.12.2026'],
  ] as const)('%s writes 7 December 2026 as %s', (locale, expected) => {
    expect(day(locale, '2026-12-07T23:30:00Z')).toBe(expected);
  });
});
