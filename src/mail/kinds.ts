/** Every kind of email the product sends. */
export const emailKinds = [
  'invitation',
  'email_verification',
  'password_reset',
  'signup_attempt',
  'payout_sent',
  'payout_failed',
  'commission_approved',
  'tax_details_missing',
] as const;

export type EmailKind = (typeof emailKinds)[number];

/**
 * The kinds a recipient may turn off. A verification link and a password reset are sent only
 * because the person asked for them that moment, so there is nothing to turn off.
 */
export const optionalKinds = [
  'invitation',
  'payout_sent',
  'payout_failed',
  'commission_approved',
  'tax_details_missing',
] as const satisfies readonly EmailKind[];

export type OptionalKind = (typeof optionalKinds)[number];

export const locales = ['en', 'fi'] as const;
export type Locale = (typeof locales)[number];

export function isOptionalKind(kind: string): kind is OptionalKind {
  return (optionalKinds as readonly string[]).includes(kind);
}

/** The language a person is written to when they have not chosen one: Finnish for Finland. */
export function defaultLocale(country: string | null | undefined): Locale {
  return country === 'FI' ? 'fi' : 'en';
}
