/**
 * Stripe Connect transfers, behind a small interface: the server uses the official SDK; tests
 * point the same SDK at a local server that answers in Stripe's wire format (`api` below).
 */
export interface TransferRequest {
  secretKey: string;
  amount: number;
  currency: string;
  destination: string;
  /** One key per payout: a retried request never transfers twice. */
  idempotencyKey: string;
  description: string;
  transferGroup: string;
  metadata: Record<string, string>;
}

export type TransferOutcome =
  | { ok: true; transferId: string }
  | { ok: false; code: string; message: string; retryable: boolean };

export interface StripeTransfers {
  create(request: TransferRequest): Promise<TransferOutcome>;
}

/** Where the SDK sends its requests; Stripe's own API unless a test says otherwise. */
export interface StripeApi {
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

export function stripeTransfers(api: StripeApi = {}): StripeTransfers {
  return {
    async create(r) {
      const { default: Stripe } = await import('stripe');
      const stripe = new Stripe(r.secretKey, {
        ...(api.host ? { host: api.host } : {}),
        ...(api.port ? { port: api.port } : {}),
        ...(api.protocol ? { protocol: api.protocol } : {}),
        maxNetworkRetries: 2,
        timeout: 20_000,
        telemetry: false,
      });
      try {
        const transfer = await stripe.transfers.create(
          {
            amount: r.amount,
            currency: r.currency.toLowerCase(),
            destination: r.destination,
            description: r.description,
            transfer_group: r.transferGroup,
            metadata: r.metadata,
          },
          { idempotencyKey: r.idempotencyKey },
        );
        return { ok: true, transferId: transfer.id };
      } catch (err) {
        const e = err as { type?: string; code?: string; message?: string; statusCode?: number };
        // Connection problems and Stripe's own errors may pass: the payout stays to be sent again
        // with the same idempotency key. Anything Stripe refused is a failure with its reason.
        const retryable =
          e.type === 'StripeConnectionError' || e.type === 'StripeAPIError' || (e.statusCode ?? 0) >= 500;
        return {
          ok: false,
          code: e.code ?? e.type ?? 'stripe_error',
          message: e.message ?? 'Stripe refused the transfer',
          retryable,
        };
      }
    },
  };
}
