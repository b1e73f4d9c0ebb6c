import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks that a webhook really comes from the shop platform: each signs the raw request body
 * with the secret it shares with the program. Comparisons take the same time whatever the bytes.
 */

function sameBase64Digest(expected: Buffer, given: string | undefined): boolean {
  if (!given) return false;
  const received = Buffer.from(given.trim(), 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Shopify: base64 HMAC-SHA256 of the raw body in `X-Shopify-Hmac-Sha256`. */
export function verifyShopify(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  return sameBase64Digest(createHmac('sha256', secret).update(rawBody).digest(), header);
}

/** WooCommerce: base64 HMAC-SHA256 of the raw body in `X-WC-Webhook-Signature`. */
export function verifyWooCommerce(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  return sameBase64Digest(createHmac('sha256', secret).update(rawBody).digest(), header);
}

export type StripeCheck<E> = { ok: true; event: E } | { ok: false; reason: string };

/**
 * Stripe: the official package's own verification of `Stripe-Signature`, including its
 * timestamp tolerance (an event older than `toleranceSeconds` is refused, against replays).
 * The package is loaded on the first Stripe webhook, not at start-up.
 */
export async function verifyStripe<E = unknown>(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  toleranceSeconds = 300,
): Promise<StripeCheck<E>> {
  if (!header) return { ok: false, reason: 'no Stripe-Signature header' };
  const { default: Stripe } = await import('stripe');
  try {
    const event = Stripe.webhooks.constructEvent(rawBody, header, secret, toleranceSeconds);
    return { ok: true, event: event as E };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
