import { createHmac } from 'node:crypto';
import type { PayoutProfileInput } from './schemas.js';

/**
 * What a payout profile pays to, in the three forms it is kept: the details themselves (sealed
 * at rest), a masked copy for display, and a keyed hash of the account or email that lets two
 * creators' equal destinations be found without storing either in the clear.
 */
export interface Destination {
  details: Record<string, string>;
  masked: Record<string, string>;
  /** 'account' | 'email' | 'stripe' and the hash, or undefined for manual payouts. */
  key: { kind: 'account' | 'email' | 'stripe'; hash: string } | undefined;
  currency: string | null;
}

export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} •••• ${iban.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

export function maskStripeAccount(id: string): string {
  return `acct_•••${id.slice(-4)}`;
}

function keyOf(secret: string, kind: 'account' | 'email' | 'stripe', value: string) {
  return { kind, hash: createHmac('sha256', secret).update(`payout-destination:${kind}:${value}`).digest('hex') };
}

export function destinationOf(input: PayoutProfileInput, secret: string): Destination {
  switch (input.method) {
    case 'paypal':
      return {
        details: { paypalEmail: input.paypalEmail },
        masked: { paypalEmail: maskEmail(input.paypalEmail) },
        key: keyOf(secret, 'email', input.paypalEmail),
        currency: null,
      };
    case 'sepa':
      return {
        details: { iban: input.iban, accountName: input.accountName, ...(input.bic ? { bic: input.bic } : {}) },
        masked: {
          iban: maskIban(input.iban),
          accountName: input.accountName,
          ...(input.bic ? { bic: input.bic } : {}),
        },
        key: keyOf(secret, 'account', input.iban),
        currency: 'EUR',
      };
    case 'wise': {
      const details: Record<string, string> = { accountName: input.accountName };
      const masked: Record<string, string> = { accountName: input.accountName };
      if (input.wiseEmail) {
        details.wiseEmail = input.wiseEmail;
        masked.wiseEmail = maskEmail(input.wiseEmail);
      }
      if (input.iban) {
        details.iban = input.iban;
        masked.iban = maskIban(input.iban);
      }
      if (input.bic) {
        details.bic = input.bic;
        masked.bic = input.bic;
      }
      return {
        details,
        masked,
        key: input.iban ? keyOf(secret, 'account', input.iban) : keyOf(secret, 'email', input.wiseEmail ?? ''),
        currency: input.currency,
      };
    }
    case 'stripe':
      return {
        details: { stripeAccountId: input.stripeAccountId },
        masked: { stripeAccountId: maskStripeAccount(input.stripeAccountId) },
        key: keyOf(secret, 'stripe', input.stripeAccountId),
        currency: null,
      };
    case 'manual':
      return {
        details: input.note ? { note: input.note } : {},
        masked: input.note ? { note: input.note } : {},
        key: undefined,
        currency: null,
      };
  }
}

/** One line naming where a payout goes, masked: for lists and the creator's view. */
export function describeDestination(method: string, masked: Record<string, string>): string | null {
  switch (method) {
    case 'paypal':
      return masked.paypalEmail ? `PayPal ${masked.paypalEmail}` : null;
    case 'sepa':
      return masked.iban ? `IBAN ${masked.iban}` : null;
    case 'wise':
      return masked.iban ? `Wise, IBAN ${masked.iban}` : masked.wiseEmail ? `Wise ${masked.wiseEmail}` : null;
    case 'stripe':
      return masked.stripeAccountId ? `Stripe ${masked.stripeAccountId}` : null;
    default:
      return 'paid by hand';
  }
}
