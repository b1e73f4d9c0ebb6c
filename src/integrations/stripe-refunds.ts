import type { RefundInput } from '../conversions/contract.js';
import type { DbOrTx } from '../db/database.js';
import { invoiceOfPayment, keepInvoicePayments, keepRefundsSeen, refundsSeen } from './repository.js';
import type { StripeRefunds } from './stripe.js';

/**
 * Stripe tells of a payment's refunds two ways: `refund.created` / `refund.updated` name one
 * refund by its id, and `charge.refunded` gives the charge's cumulative `amount_refunded` (since
 * API version 2022-11-15 without the list of refunds). A store may listen to both, in any
 * order. What has been refunded is the larger of the two sums seen so far; each event records
 * only what it adds to that, so nothing is reversed twice and nothing is missed.
 */
export interface StripeRefundPlan {
  /** The refund to record, or null when the event adds nothing. */
  input: RefundInput | null;
  summary: string;
  /** Keeps what the event said, once its refund is recorded. */
  commit(db: DbOrTx): Promise<void>;
}

/** The order a payment belongs to: the invoice it paid (basil), else the payment itself. */
async function orderOf(db: DbOrTx, programId: string, r: StripeRefunds): Promise<string> {
  const refs = [r.paymentIntentId, r.chargeId].filter((x): x is string => x !== null);
  const linked = await invoiceOfPayment(db, programId, refs);
  return linked ?? r.invoiceId ?? r.paymentIntentId ?? (r.chargeId as string);
}

export async function planStripeRefund(
  db: DbOrTx,
  programId: string,
  r: StripeRefunds,
  at: Date,
): Promise<StripeRefundPlan> {
  const key = r.paymentIntentId ?? (r.chargeId as string);
  const seen = await refundsSeen(db, programId, key);
  const seenIds = new Set(seen.filter((s) => s.kind === 'refund').map((s) => s.ref));
  const idsTotal = seen.filter((s) => s.kind === 'refund').reduce((sum, s) => sum + Number(s.amount), 0);
  const cumulative = Math.max(0, ...seen.filter((s) => s.kind === 'cumulative').map((s) => Number(s.amount)));
  const recorded = seen.reduce((sum, s) => sum + Number(s.recorded), 0);

  const fresh = r.refunds.filter((x) => !seenIds.has(x.refundId));
  const newCumulative = Math.max(cumulative, r.amountRefunded ?? 0);
  const target = Math.max(idsTotal + fresh.reduce((sum, x) => sum + x.amount, 0), newCumulative);
  const delta = target - recorded;
  const rows = [
    ...fresh.map((x) => ({ ref: x.refundId, kind: 'refund' as const, amount: x.amount })),
    ...(r.amountRefunded !== null && r.amountRefunded > cumulative
      ? [{ ref: `total:${r.amountRefunded}`, kind: 'cumulative' as const, amount: r.amountRefunded }]
      : []),
  ].map((row, i) => ({
    program_id: programId,
    payment_key: key,
    ...row,
    recorded: i === 0 && delta > 0 ? delta : 0,
    created_at: at.toISOString(),
  }));
  const commit = (tx: DbOrTx) => keepRefundsSeen(tx, rows);
  const payment = r.chargeId ?? key;
  if (delta <= 0) {
    return {
      input: null,
      summary: `the refunds of ${payment} (${target} in all) were counted before: nothing more to reverse`,
      commit,
    };
  }
  const refundId = fresh.length ? fresh.map((x) => x.refundId).join('+') : `${payment}:refunded:${r.amountRefunded}`;
  return {
    input: {
      programId,
      orderId: await orderOf(db, programId, r),
      refundId,
      source: 'stripe',
      currency: r.currency,
      amount: delta,
      ofGross: r.chargeAmount,
    },
    summary: '',
    commit,
  };
}

/** Notes which payment paid which invoice, so that its refunds find the invoice's sale. */
export async function linkInvoicePayment(
  db: DbOrTx,
  programId: string,
  invoiceId: string,
  payments: string[],
  at: Date,
): Promise<void> {
  await keepInvoicePayments(
    db,
    payments.map((p) => ({
      program_id: programId,
      payment_ref: p,
      invoice_id: invoiceId,
      created_at: at.toISOString(),
    })),
  );
}
